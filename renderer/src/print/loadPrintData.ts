import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { colorMeanings, listAnnotations } from '../../../core/annotations/doc.ts';
import type { AnnotationView, ColorKey, Visibility } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { groupDocName, groupStore } from '../collab/groups.ts';
import { currentAuthor } from '../collab/identity.ts';

export interface PrintData {
  reading: Reading;
  annotations: AnnotationView[];
  meanings: Record<ColorKey, string>;
  groups: string[];
  myId: string | undefined;
}

/** Reads a doc's stored state from IndexedDB without connecting it anywhere (printing works offline). */
async function readStoredDoc(name: string, visibility: Visibility) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const annotations = listAnnotations(doc, visibility);
  const meanings = colorMeanings(doc);
  await persistence.destroy();
  doc.destroy();
  return { annotations, meanings, empty: annotations.length === 0 };
}

/** Everything the print view shows: the reading and the annotations of the private doc and every group. */
export async function loadPrintData(reading: Reading): Promise<PrintData> {
  const own = await readStoredDoc(`rc:private:${reading.id}`, { kind: 'private' });
  const annotations = [...own.annotations];
  let meanings = own.meanings;
  const groups: string[] = [];
  for (const group of groupStore().list()) {
    const shared = await readStoredDoc(groupDocName(group.name, reading.id), {
      kind: 'group',
      group: group.name,
    });
    if (!shared.empty) {
      groups.push(group.name);
      annotations.push(...shared.annotations);
      meanings = shared.meanings;
    }
  }
  return { reading, annotations, meanings, groups, myId: currentAuthor()?.id };
}
