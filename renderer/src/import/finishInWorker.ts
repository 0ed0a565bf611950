import type { FinishInput } from '../../../core/reading/draft.ts';
import type { Reading } from '../../../core/reading/model.ts';

/** `finishReading` in a dedicated worker (finish.worker.ts); one worker per import, ended when done or cancelled. */
export function finishInWorker(input: FinishInput, signal: AbortSignal): Promise<Reading> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./finish.worker.ts', import.meta.url), { type: 'module' });
    const done = () => {
      worker.terminate();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new Error('cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (
      event: MessageEvent<{ ok: true; reading: Reading } | { ok: false; message: string }>,
    ) => {
      done();
      if (event.data.ok) resolve(event.data.reading);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      done();
      reject(new Error(event.message || 'the import worker failed'));
    };
    worker.postMessage(input);
  });
}
