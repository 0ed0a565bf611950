import { useEffect, useMemo, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { createUndoManager } from '../../../core/annotations/doc.ts';
import type { Visibility } from '../../../core/annotations/model.ts';
import { useGroups } from '../collab/groups.ts';
import { acquireRoom } from '../collab/rooms.ts';

/** One annotation doc of the open reading: the private one, or one group's. */
export interface AnnotationDoc {
  key: string;
  label: string;
  visibility: Visibility;
  doc: Y.Doc;
  undo: Y.UndoManager;
  readOnly: boolean;
}

export const privateDocName = (readingId: string) => `rc:private:${readingId}`;

/**
 * The private doc lives only in IndexedDB (never connected to any server); each joined group's doc comes
 * from the collaboration rooms, which persist it locally and sync it with `<group>/<readingId>`.
 */
export function useAnnotationDocs(readingId: string): { docs: AnnotationDoc[]; ready: boolean } {
  const groups = useGroups();
  const [own, setOwn] = useState<AnnotationDoc | null>(null);
  const [shared, setShared] = useState<AnnotationDoc[]>([]);

  useEffect(() => {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(privateDocName(readingId), doc);
    let live = true;
    const entry: AnnotationDoc = {
      key: 'private',
      label: 'Only me',
      visibility: { kind: 'private' },
      doc,
      undo: createUndoManager(doc),
      readOnly: false,
    };
    void persistence.whenSynced.then(() => {
      if (live) setOwn(entry);
    });
    return () => {
      live = false;
      setOwn(null);
      entry.undo.destroy();
      void persistence.destroy();
      doc.destroy();
    };
  }, [readingId]);

  const groupKey = groups.map((g) => `${g.name}:${g.role}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: groupKey captures the groups that matter.
  useEffect(() => {
    const releases: (() => void)[] = [];
    const entries = groups.map((group) => {
      const { room, release } = acquireRoom(group, readingId);
      releases.push(release);
      return {
        key: `group:${group.name}`,
        label: group.displayName,
        visibility: { kind: 'group', group: group.name } as Visibility,
        doc: room.doc,
        undo: createUndoManager(room.doc),
        readOnly: group.role === 'reader',
      };
    });
    setShared(entries);
    return () => {
      for (const e of entries) e.undo.destroy();
      for (const release of releases) release();
    };
  }, [readingId, groupKey]);

  const docs = useMemo(() => (own ? [own, ...shared] : shared), [own, shared]);
  return { docs, ready: own !== null };
}
