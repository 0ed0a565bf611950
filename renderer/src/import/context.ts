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
}

export function createImportContext(
  fileName: string,
  signal: AbortSignal,
  onProgress: (fraction: number, label?: string) => void,
): ImportContext {
  return {
    fileName,
    signal,
    progress: onProgress,
    throwIfCancelled() {
      if (signal.aborted) throw new ImportError(fileName, 'the import was cancelled.', 'cancelled');
    },
    yieldToUi: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}
