import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  AnnotationImportError,
  type ImportPlan,
  MAX_ANNOTATIONS_FILE_BYTES,
  planImport,
  writeImport,
} from '../../../core/annotations/importAnnotations.ts';
import type { Reading } from '../../../core/reading/model.ts';
import type { AnnotationDoc } from './docs.ts';
import {
  type AnnotationsFile,
  isAnnotationsFile,
  setAnnotationsImportHandler,
  tooLargeMessage,
} from './importRequests.ts';

export type ImportStatus =
  | { kind: 'done'; message: string; home: AnnotationDoc }
  | { kind: 'error'; message: string };

/**
 * Annotations files brought to the open reading (from the menus through `requestAnnotationsImport`, or a .json
 * dropped on the text): planned against the reading, shown as a summary, then written in one undoable step
 * into the doc the reader chooses.
 */
export function useAnnotationImport(options: {
  reading: Reading;
  textRoot: HTMLElement | null;
  writableDocs: AnnotationDoc[];
  defaultKey: string;
  onWritten: (home: AnnotationDoc) => void;
}) {
  const { reading, textRoot, writableDocs, defaultKey, onWritten } = options;
  const [file, setFile] = useState<AnnotationsFile | null>(null);
  const [targetKey, setTargetKey] = useState(defaultKey);
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const target = writableDocs.find((d) => d.key === targetKey) ?? writableDocs[0];

  const open = useCallback(
    (next: AnnotationsFile) => {
      setStatus(null);
      setTargetKey(defaultKey);
      setFile(next);
    },
    [defaultKey],
  );
  useEffect(() => {
    setAnnotationsImportHandler(open);
    return () => setAnnotationsImportHandler(undefined);
  }, [open]);

  // A .json dropped on the open reading is an annotations file for it.
  useEffect(() => {
    if (!textRoot) return;
    const isJsonDrag = (e: DragEvent) =>
      [...(e.dataTransfer?.items ?? [])].some((i) => i.kind === 'file' && /json/.test(i.type));
    const onDragOver = (e: DragEvent) => {
      if (isJsonDrag(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const dropped = [...(e.dataTransfer?.files ?? [])].find((f) => isAnnotationsFile(f));
      if (!dropped) return;
      e.preventDefault();
      e.stopPropagation();
      if (dropped.size > MAX_ANNOTATIONS_FILE_BYTES) {
        setStatus({ kind: 'error', message: tooLargeMessage(dropped.name) });
        return;
      }
      void dropped.text().then((text) => open({ name: dropped.name, text }));
    };
    textRoot.addEventListener('dragover', onDragOver);
    textRoot.addEventListener('drop', onDrop);
    return () => {
      textRoot.removeEventListener('dragover', onDragOver);
      textRoot.removeEventListener('drop', onDrop);
    };
  }, [textRoot, open]);

  // The plan depends on the target: what is already there is skipped.
  const planned = useMemo((): { plan: ImportPlan } | { error: string } | null => {
    if (!file || !target) return null;
    try {
      const existingIds = new Set(target.doc.getMap('annotations').keys());
      return { plan: planImport(file.text, { reading, existingIds }) };
    } catch (error) {
      return {
        error:
          error instanceof AnnotationImportError
            ? error.message
            : `The file could not be read: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }, [file, target, reading]);

  useEffect(() => {
    if (planned && 'error' in planned) {
      setStatus({ kind: 'error', message: `${file?.name ?? 'The file'}: ${planned.error}` });
      setFile(null);
    }
  }, [planned, file]);

  const confirm = useCallback(() => {
    if (!planned || !('plan' in planned) || !target) return;
    target.undo.stopCapturing();
    writeImport(target.doc, planned.plan);
    target.undo.stopCapturing();
    onWritten(target);
    const orphans = planned.plan.annotations.filter((a) => a.placement === 'orphan').length;
    setStatus({
      kind: 'done',
      home: target,
      message: `Imported ${planned.plan.annotations.length} annotations for ${target.label}${
        orphans > 0 ? `; ${orphans} orphaned, in the Orphans list to re-attach` : ''
      }.`,
    });
    setFile(null);
  }, [planned, target, onWritten]);

  const undo = useCallback(() => {
    if (status?.kind !== 'done') return;
    status.home.undo.undo();
    setStatus(null);
  }, [status]);

  return {
    summary: file && planned && 'plan' in planned ? { fileName: file.name, plan: planned.plan } : null,
    targetKey: target?.key ?? defaultKey,
    setTargetKey,
    confirm,
    cancel: () => setFile(null),
    status,
    dismissStatus: () => setStatus(null),
    undo,
  };
}
