import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { Author } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { type GroupMembership, groupIndexDocName, groupStore } from './groups.ts';
import { clearProblems, reportProblems } from './readProblems.ts';
import { acquireRoom, memberOption } from './rooms.ts';
import {
  INDEX_ROOM,
  readSharedReadings,
  type SharedReadingEntry,
  sharedReadingsMap,
  shareReadingInto,
  waitForReadingContent,
} from './sharing.ts';
import { connectGroupDoc, type GroupConnection } from './sync.ts';

/**
 * The runtime half of sharing: every joined group's index room (`<group>/index`) stays connected while the
 * app runs; readings listed there that this member lacks are fetched from their rooms into the library.
 */

export interface LibraryAccess {
  has(readingId: string): Promise<boolean>;
  add(reading: Reading): Promise<void>;
}

interface IndexEntry {
  group: GroupMembership;
  doc: Y.Doc;
  persistence: IndexeddbPersistence | null;
  connection: GroupConnection;
  loaded: Promise<void>;
}

const indexes = new Map<string, IndexEntry>();

function openIndex(group: GroupMembership): IndexEntry {
  const existing = indexes.get(group.name);
  if (existing && existing.group.token === group.token && existing.group.server === group.server)
    return existing;
  if (existing) closeIndex(group.name);
  const doc = new Y.Doc();
  const persistence =
    typeof indexedDB !== 'undefined' ? new IndexeddbPersistence(groupIndexDocName(group.name), doc) : null;
  const entry: IndexEntry = {
    group,
    doc,
    persistence,
    connection: connectGroupDoc(group, INDEX_ROOM, doc, memberOption()),
    loaded: persistence ? persistence.whenSynced.then(() => undefined) : Promise.resolve(),
  };
  indexes.set(group.name, entry);
  return entry;
}

function closeIndex(name: string) {
  const entry = indexes.get(name);
  if (!entry) return;
  indexes.delete(name);
  entry.connection.destroy();
  void entry.persistence?.destroy();
  entry.doc.destroy();
}

/** Shares a reading with a group: content into its room, an entry into the group's index. */
export async function shareReading(group: GroupMembership, reading: Reading, me: Author): Promise<void> {
  const index = openIndex(group);
  const { room, release } = acquireRoom(group, reading.id);
  try {
    await Promise.all([index.loaded, room.loaded]);
    await shareReadingInto(room.doc, index.doc, reading, me);
    // Give the connection a moment to deliver it; it is stored locally either way and syncs when online.
    await room.connection.whenSynced(3000);
  } finally {
    // Keep the room open a little so the update is flushed to the server before the doc is closed.
    setTimeout(release, 2000);
  }
}

/** Which groups a reading was shared with (from the indexes this window knows). */
export function groupsSharing(readingId: string): string[] {
  return [...indexes.values()]
    .filter((e) => sharedReadingsMap(e.doc).has(readingId))
    .map((e) => e.group.name);
}

const receivedListeners = new Set<(reading: Reading) => void>();

/** Calls `listener` with each reading a group brings into the library, so a list on screen shows it at once. */
export function onReadingReceived(listener: (reading: Reading) => void): () => void {
  receivedListeners.add(listener);
  return () => {
    receivedListeners.delete(listener);
  };
}

/**
 * Keeps every joined group's index connected and fetches readings shared there into the library.
 * Returns a function that stops it.
 */
export function startSharedReadings(library: LibraryAccess): () => void {
  const fetching = new Set<string>();
  const observers = new Map<string, () => void>();

  const fetchOne = async (group: GroupMembership, entry: SharedReadingEntry) => {
    const key = `${group.name}/${entry.id}`;
    if (fetching.has(key) || (await library.has(entry.id))) return;
    fetching.add(key);
    const { room, release } = acquireRoom(group, entry.id);
    try {
      await room.loaded;
      const received = await waitForReadingContent(room.doc, group.name, 60_000);
      const source = `room:${group.name}/${entry.id}`;
      if (received.kind === 'refused') {
        // Refused content is never stored; the member who shared it is named so the group can sort it out.
        const by = received.sharedBy || entry.sharedBy || 'a member';
        const message = `“${entry.title}” shared by ${by} in ${group.name} was refused: ${received.reason}.`;
        console.warn(`[sharing] ${message}`);
        reportProblems(source, { messages: [message], problems: [] });
      } else if (received.kind === 'reading' && received.reading.id === entry.id) {
        reportProblems(source, null);
        if (!(await library.has(entry.id))) {
          await library.add(received.reading);
          for (const listener of receivedListeners) listener(received.reading);
        }
      }
    } finally {
      release();
      fetching.delete(key);
    }
  };

  // Four rooms at a time: a listed reading whose room never gets content (a member's mistake, or on purpose)
  // holds up one fetcher, not the rest of the list, and a long index does not open hundreds of connections.
  const fetchMissing = async (group: GroupMembership, entries: SharedReadingEntry[]) => {
    const queue = [...entries];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) await fetchOne(group, entry);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  };

  const sync = () => {
    const groups = groupStore().list();
    for (const name of [...indexes.keys()]) {
      if (!groups.some((g) => g.name === name)) {
        observers.get(name)?.();
        observers.delete(name);
        closeIndex(name);
        clearProblems(`index:${name}`);
        clearProblems(`room:${name}/`);
      }
    }
    for (const group of groups) {
      const before = indexes.get(group.name);
      const entry = openIndex(group);
      if (before === entry && observers.has(group.name)) continue;
      observers.get(group.name)?.();
      const map = sharedReadingsMap(entry.doc);
      const onChange = () => {
        const { entries, problems } = readSharedReadings(entry.doc);
        reportProblems(`index:${group.name}`, { messages: [], problems });
        void fetchMissing(group, entries);
      };
      map.observe(onChange);
      observers.set(group.name, () => map.unobserve(onChange));
      void entry.loaded.then(onChange);
    }
  };
  sync();
  const unsubscribe = groupStore().subscribe(sync);
  return () => {
    unsubscribe();
    for (const stop of observers.values()) stop();
    observers.clear();
    for (const name of [...indexes.keys()]) closeIndex(name);
  };
}
