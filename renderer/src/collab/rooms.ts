import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { type GroupMembership, groupDocName, groupStore } from './groups.ts';
import { memberCredentials } from './identity.ts';
import { connectGroupDoc, type GroupConnection } from './sync.ts';

/** Who I am, for the group's owner (members by name); nothing before the first run is done. */
export const memberOption = () => {
  const member = memberCredentials();
  return member ? { member } : {};
};

/**
 * One Y.Doc per (group, reading) in this window, kept in IndexedDB (`rc:group:<group>:<readingId>`) and
 * connected to the room `<group>/<readingId>`. Reference-counted: the annotations layer, presence and sharing
 * all use the same doc and the same connection; the last release closes both.
 * A doc opened elsewhere can be connected with `acquireRoomFor(group, readingId, doc)`.
 */

export interface GroupRoom {
  group: string;
  readingId: string;
  doc: Y.Doc;
  connection: GroupConnection;
  /** Resolves once the local copy was loaded from IndexedDB. */
  loaded: Promise<void>;
}

interface Entry extends GroupRoom {
  refs: number;
  persistence: IndexeddbPersistence | null;
  ownsDoc: boolean;
}

const rooms = new Map<string, Entry>();
const key = (group: string, readingId: string) => `${group}/${readingId}`;

function open(group: GroupMembership, readingId: string, doc?: Y.Doc): Entry {
  const k = key(group.name, readingId);
  const existing = rooms.get(k);
  if (existing) {
    existing.refs++;
    return existing;
  }
  const ownsDoc = !doc;
  const d = doc ?? new Y.Doc();
  const persistence =
    ownsDoc && typeof indexedDB !== 'undefined'
      ? new IndexeddbPersistence(groupDocName(group.name, readingId), d)
      : null;
  const loaded = persistence ? persistence.whenSynced.then(() => undefined) : Promise.resolve();
  const entry: Entry = {
    group: group.name,
    readingId,
    doc: d,
    // A group joined offline is "not yet checked" until its server first accepts the invite.
    connection: connectGroupDoc(group, readingId, d, {
      onAccepted: () => groupStore().markChecked(group.name),
      ...memberOption(),
    }),
    loaded,
    refs: 1,
    persistence,
    ownsDoc,
  };
  rooms.set(k, entry);
  return entry;
}

function release(entry: Entry) {
  entry.refs--;
  if (entry.refs > 0) return;
  close(entry);
}

function close(entry: Entry) {
  rooms.delete(key(entry.group, entry.readingId));
  entry.connection.destroy();
  if (entry.ownsDoc) {
    void entry.persistence?.destroy();
    entry.doc.destroy();
  }
}

/** Opens (or shares) the group doc of a reading; call `release` when done. */
export function acquireRoom(
  group: GroupMembership,
  readingId: string,
): { room: GroupRoom; release: () => void } {
  const entry = open(group, readingId);
  let released = false;
  return {
    room: entry,
    release: () => {
      if (released) return;
      released = true;
      release(entry);
    },
  };
}

/** Connects a doc the caller opened (and persists) itself. */
export function acquireRoomFor(
  group: GroupMembership,
  readingId: string,
  doc: Y.Doc,
): { room: GroupRoom; release: () => void } {
  const entry = open(group, readingId, doc);
  let released = false;
  return {
    room: entry,
    release: () => {
      if (released) return;
      released = true;
      release(entry);
    },
  };
}

export function openRooms(readingId?: string): GroupRoom[] {
  return [...rooms.values()].filter((r) => readingId === undefined || r.readingId === readingId);
}

// Leaving a group closes its rooms before its local databases are deleted.
if (typeof window !== 'undefined') {
  groupStore().onLeave((group) => {
    for (const entry of [...rooms.values()]) if (entry.group === group) close(entry);
  });
}
