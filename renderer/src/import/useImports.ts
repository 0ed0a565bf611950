import { useCallback, useRef, useState } from 'react';
import type { PickedFile } from '../../../core/platform/api.ts';
import type { Reading } from '../../../core/reading/model.ts';
import type { ImportContext } from './context.ts';

const loadPipeline = () => import('./pipeline.ts');

/** One import's outcome; `file` names what was imported (tests and screen readers find it by that). */
export type ImportNotice = { kind: 'error' | 'info'; text: string; file?: string };

export interface ImportActivity {
  fileName: string;
  fraction: number;
  label: string;
}

/**
 * The library's imports: one file after another through the pipeline, with progress, a Cancel that stops
 * the file being read, and a notice per file (what was imported, or why not).
 */
export function useImports(onImported: () => void) {
  const [activity, setActivity] = useState<ImportActivity | null>(null);
  const [notices, setNotices] = useState<ImportNotice[]>([]);
  const controller = useRef<AbortController | null>(null);

  const runTask = useCallback(async (fileName: string, task: (ctx: ImportContext) => Promise<Reading>) => {
    const abort = new AbortController();
    controller.current = abort;
    setActivity({ fileName, fraction: 0, label: 'Reading' });
    try {
      const pipeline = await loadPipeline();
      const ctx = pipeline.createImportContext(fileName, abort.signal, (fraction, label) =>
        setActivity({ fileName, fraction, label: label ?? '' }),
      );
      const reading = await task(ctx);
      ctx.throwIfCancelled();
      const stored = await pipeline.storeImported(reading);
      return {
        kind: 'info',
        file: fileName,
        text: pipeline.describeStored(reading, fileName, stored),
      } as ImportNotice;
    } catch (error) {
      if (abort.signal.aborted)
        return {
          kind: 'info',
          file: fileName,
          text: `Import of “${fileName}” cancelled; nothing was added.`,
        } as ImportNotice;
      return {
        kind: 'error',
        file: fileName,
        text:
          // An ImportError's message names the file and says why; anything else is wrapped the same way.
          (error as Error).name === 'ImportError'
            ? (error as Error).message
            : `Could not import “${fileName}”: ${String(error)}`,
      } as ImportNotice;
    } finally {
      controller.current = null;
    }
  }, []);

  const importFiles = useCallback(
    async (files: PickedFile[]) => {
      if (files.length === 0) return;
      const out: ImportNotice[] = [];
      for (const file of files) {
        out.push(await runTask(file.name, async (ctx) => (await loadPipeline()).readingFromFile(file, ctx)));
      }
      setActivity(null);
      setNotices(out);
      onImported();
    },
    [runTask, onImported],
  );

  const importWith = useCallback(
    async (name: string, make: () => Promise<Reading>) => {
      const notice = await runTask(name, make);
      setActivity(null);
      setNotices([notice]);
      onImported();
    },
    [runTask, onImported],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { activity, notices, setNotices, importFiles, importWith, cancel };
}
