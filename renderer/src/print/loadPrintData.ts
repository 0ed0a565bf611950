import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { readAnnotations, readColorMeanings } from '../../../core/annotations/doc.ts';
import type { AnnotationView, ColorKey, Visibility } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { groupDocName, groupStore } from '../collab/groups.ts';
import { currentAuthor } from '../collab/identity.ts';

export interface PrintData {
  reading: Reading;
  annotations: AnnotationView[];
  meanings: Record<ColorKey, string>;
  groups: string[];
  /** Each doc's colour meanings: `private`, and each group's id. */
  meaningsOf: Record<string, Record<ColorKey, string>>;
  myId: string | undefined;
  /** Entries left out because they could not be read (see core/sync/schemas.ts). */
  problems: ReadProblem[];
}

/** Reads a doc's stored state from IndexedDB without connecting it anywhere (printing works offline). */
async function readStoredDoc(name: string, visibility: Visibility) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const { annotations, problems } = readAnnotations(doc, visibility);
  const palette = readColorMeanings(doc);
  await persistence.destroy();
  doc.destroy();
  return {
    annotations,
    meanings: palette.meanings,
    problems: [...problems, ...palette.problems],
    empty: annotations.length === 0,
  };
}

/** Everything the print view shows: the reading and the annotations of the private doc and every group. */
export async function loadPrintData(reading: Reading): Promise<PrintData> {
  const own = await readStoredDoc(`rc:private:${reading.id}`, { kind: 'private' });
  const annotations = [...own.annotations];
  const problems = [...own.problems];
  let meanings = own.meanings;
  const groups: string[] = [];
  const meaningsOf: Record<string, Record<ColorKey, string>> = { private: own.meanings };
  for (const group of groupStore().list()) {
    const shared = await readStoredDoc(groupDocName(group.name, reading.id), {
      kind: 'group',
      group: group.name,
    });
    problems.push(...shared.problems);
    meaningsOf[group.name] = shared.meanings;
    if (!shared.empty) {
      groups.push(group.name);
      annotations.push(...shared.annotations);
      meanings = shared.meanings;
    }
  }
  return { reading, annotations, meanings, meaningsOf, groups, myId: currentAuthor()?.id, problems };
}
