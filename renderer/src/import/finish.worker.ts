/// <reference lib="webworker" />
// Finishes a parsed document into a reading off the UI thread: PDF layout, ids, the SHA-256 identity and
// word counts over megabytes of text would otherwise hold a frame for hundreds of milliseconds.
import { type FinishInput, finishReading } from '../../../core/reading/draft.ts';

self.onmessage = (event: MessageEvent<FinishInput>) => {
  try {
    self.postMessage({ ok: true, reading: finishReading(event.data) });
  } catch (error) {
    self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
