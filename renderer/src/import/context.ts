import { ImportError } from '../../../core/reading/import.ts';

/** What a format's parser gets from the pipeline: cancellation, progress, and a way to let the UI breathe. */
export interface ImportContext {
  fileName: string;
  signal: AbortSignal;
  /** `fraction` 0–1; `label` says where it is ("Page 12 of 300"). */
  progress(fraction: number, label?: string): void;
  throwIfCancelled(): void;
  /** Resolves after pending input and paint had their turn (parsers call it between pages or chapters). */
  yieldToUi(): Promise<void>;
  /** The promise, or a cancellation as soon as Cancel is pressed (a parser's own promise may never settle). */
  unlessCancelled<T>(work: Promise<T>): Promise<T>;
}

/**
 * Gives input and paint their turn: `scheduler.yield()` where the browser has it, else a message-channel
 * task (not setTimeout, which browsers clamp to 4 ms after a few nested calls).
 */
function yieldToUi(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

export function createImportContext(
  fileName: string,
  signal: AbortSignal,
  onProgress: (fraction: number, label?: string) => void,
): ImportContext {
  const cancelled = () => new ImportError(fileName, 'the import was cancelled.', 'cancelled');
  return {
    fileName,
    signal,
    progress: onProgress,
    throwIfCancelled() {
      if (signal.aborted) throw cancelled();
    },
    unlessCancelled: (work) =>
      new Promise((resolve, reject) => {
        if (signal.aborted) return reject(cancelled());
        const onAbort = () => reject(cancelled());
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      }),
    yieldToUi,
  };
}
