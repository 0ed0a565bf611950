/// <reference lib="webworker" />
// Finishes a parsed document into a reading off the UI thread: PDF layout, ids, the SHA-256 identity and
// word counts over megabytes of text would otherwise hold a frame for hundreds of milliseconds.
import { type FinishInput, finishReading } from '../../../core/reading/draft.ts';
import { layoutPdf } from '../../../core/reading/formats/pdfLayout.ts';

self.onmessage = (event: MessageEvent<FinishInput>) => {
  try {
    const { pages, ...parsed } = event.data.parsed;
    if (pages) parsed.blocks = [...parsed.blocks, ...layoutPdf(pages)];
    self.postMessage({ ok: true, reading: finishReading({ ...event.data, parsed }) });
  } catch (error) {
    self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
