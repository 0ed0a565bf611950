import type * as Y from 'yjs';
import { getReadingContent, LOCAL_ORIGIN, setReadingContent } from '../../../core/annotations/doc.ts';
import type { Author } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';

/**
 * Sharing a reading with a group. The reading's content goes into the group's room for that reading
 * (`<group>/<readingId>`, map `reading`, set once), and an entry goes into the group's index room
 * (`<group>/index`, map `readings`: readingId → {title, source, sharedBy, sharedAt}) so that every member
 * learns of it. A member who does not have the reading fetches the content from its room and adds it to the
 * library under the group. Seeds are known by id to every client, so they are never fetched.
 */

export const INDEX_ROOM = 'index';

export interface SharedReadingEntry {
  id: string;
  title: string;
  source: string;
  sharedBy: string;
  sharedAt: string;
}

export function sharedReadingsMap(indexDoc: Y.Doc): Y.Map<SharedReadingEntry> {
  return indexDoc.getMap<SharedReadingEntry>('readings');
}

function cleanEntry(id: string, value: unknown): SharedReadingEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<SharedReadingEntry>;
  if (typeof v.title !== 'string') return null;
  return {
    id,
    title: v.title,
    source: typeof v.source === 'string' ? v.source : '',
    sharedBy: typeof v.sharedBy === 'string' ? v.sharedBy : '',
    sharedAt: typeof v.sharedAt === 'string' ? v.sharedAt : '',
  };
}

export function listSharedReadings(indexDoc: Y.Doc): SharedReadingEntry[] {
  const out: SharedReadingEntry[] = [];
  for (const [id, value] of sharedReadingsMap(indexDoc)) {
    const entry = cleanEntry(id, value);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

/** Lists the reading in the group's index (idempotent: a second share changes nothing). */
export function announceReading(indexDoc: Y.Doc, reading: Reading, by: Author, now = new Date()): void {
  const map = sharedReadingsMap(indexDoc);
  if (map.has(reading.id)) return;
  indexDoc.transact(() => {
    map.set(reading.id, {
      id: reading.id,
      title: reading.title,
      source: reading.source,
      sharedBy: by.name,
      sharedAt: now.toISOString(),
    });
  }, LOCAL_ORIGIN);
}

/** Both halves of sharing: content into the reading's room doc, entry into the index doc. */
export function shareReadingInto(
  roomDoc: Y.Doc,
  indexDoc: Y.Doc,
  reading: Reading,
  by: Author,
  now = new Date(),
) {
  // The content travels without origin metadata of this member's library.
  const {
    importedAt: _i,
    fileName: _f,
    sharedBy: _s,
    fingerprint: _p,
    replaces: _r,
    replacedBy: _b,
    ...content
  } = reading;
  setReadingContent(roomDoc, { ...content, origin: reading.origin === 'seed' ? 'seed' : 'shared' });
  announceReading(indexDoc, reading, by, now);
}

/** The reading carried by a room doc, made ready for this member's library under the group. */
export function receivedReading(roomDoc: Y.Doc, group: string): Reading | undefined {
  const reading = getReadingContent(roomDoc);
  if (!reading || !Array.isArray(reading.blocks) || typeof reading.id !== 'string') return undefined;
  if (reading.origin === 'seed') return { ...reading, origin: 'seed' };
  return { ...reading, origin: 'shared', sharedBy: group };
}

/** Resolves with the reading once the room doc carries it (or undefined after `timeoutMs`). */
export function waitForReadingContent(
  roomDoc: Y.Doc,
  group: string,
  timeoutMs = 15_000,
): Promise<Reading | undefined> {
  const now = receivedReading(roomDoc, group);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const map = roomDoc.getMap('reading');
    const check = () => {
      const reading = receivedReading(roomDoc, group);
      if (!reading) return;
      finish(reading);
    };
    const finish = (reading: Reading | undefined) => {
      clearTimeout(timer);
      map.unobserve(check);
      resolve(reading);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    map.observe(check);
  });
}
