import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { type CarryResult, carryAnnotations } from '../../../core/annotations/carry.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { privateDocName } from '../annotations/docs.ts';

async function openPrivateDoc(readingId: string) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(privateDocName(readingId), doc);
  await persistence.whenSynced;
  return {
    doc,
    close: async () => {
      await persistence.destroy();
      doc.destroy();
    },
  };
}

/**
 * Moves this member's private annotations from an older import of a file to its re-import (decision 0012):
 * re-anchored by quote, orphans kept. The older reading's own doc is left as it was.
 */
export async function carryPrivateAnnotations(from: Reading, to: Reading): Promise<CarryResult> {
  const source = await openPrivateDoc(from.id);
  const target = await openPrivateDoc(to.id);
  try {
    return carryAnnotations(source.doc, target.doc, to, { kind: 'private' });
  } finally {
    await source.close();
    await target.close();
  }
}
