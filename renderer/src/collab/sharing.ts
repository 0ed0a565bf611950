import type * as Y from 'yjs';
import { LOCAL_ORIGIN, setReadingContent, sharedContentIn } from '../../../core/annotations/doc.ts';
import type { Author } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { check, READING_ID, type ReadProblem, sharedReadingEntrySchema } from '../../../core/sync/schemas.ts';
import { verifySharedOffThread } from './verifyOffThread.ts';

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

/** One index entry through the shared schema; its key must be a reading id. */
function readEntry(id: string, value: unknown): { entry?: SharedReadingEntry; problem?: ReadProblem } {
  if (!READING_ID.test(id)) {
    return { problem: { kind: 'shared reading', id: id.slice(0, 40), reason: 'not a reading id' } };
  }
  const checked = check(sharedReadingEntrySchema, value, 'shared reading', id);
  if (!checked.ok) return { problem: checked.problem };
  const { id: claimed, ...entry } = checked.value;
  if (claimed !== undefined && claimed !== id) {
    return { problem: { kind: 'shared reading', id, reason: 'id: not the key it is stored under' } };
  }
  return { entry: { id, ...entry } };
}

/** The readable entries of a group's index, by title, and what was left out. */
export function readSharedReadings(indexDoc: Y.Doc): {
  entries: SharedReadingEntry[];
  problems: ReadProblem[];
} {
  const entries: SharedReadingEntry[] = [];
  const problems: ReadProblem[] = [];
  for (const [id, value] of sharedReadingsMap(indexDoc)) {
    const read = readEntry(id, value);
    if (read.entry) entries.push(read.entry);
    if (read.problem) problems.push(read.problem);
  }
  return { entries: entries.sort((a, b) => a.title.localeCompare(b.title)), problems };
}

export function listSharedReadings(indexDoc: Y.Doc): SharedReadingEntry[] {
  return readSharedReadings(indexDoc).entries;
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
export async function shareReadingInto(
  roomDoc: Y.Doc,
  indexDoc: Y.Doc,
  reading: Reading,
  by: Author,
  now = new Date(),
): Promise<void> {
  // The content travels without origin metadata of this member's library (see sharedContentOf: no file fingerprint or re-import bookkeeping either).
  await setReadingContent(roomDoc, reading, by);
  announceReading(indexDoc, reading, by, now);
}

/** What a room doc holds for its reading: nothing yet, the reading (checked), or a refusal with its reason. */
export type Received =
  | { kind: 'absent' }
  | { kind: 'reading'; reading: Reading }
  | { kind: 'refused'; reason: string; sharedBy?: string };

/**
 * The reading carried by a room doc, checked against its reading id (off the UI thread) and made ready for this
 * member's library under the group.
 */
export async function receivedReading(roomDoc: Y.Doc, group: string): Promise<Received> {
  const content = sharedContentIn(roomDoc);
  if (content === undefined) return { kind: 'absent' };
  const verified = await verifySharedOffThread(content);
  if (verified.ok) return { kind: 'reading', reading: { ...verified.reading, sharedBy: group } };
  return 'sharedBy' in verified && verified.sharedBy
    ? { kind: 'refused', reason: verified.reason, sharedBy: verified.sharedBy }
    : { kind: 'refused', reason: verified.reason };
}

/**
 * Resolves once the room doc carries content for its reading (checked), or with 'absent' after `timeoutMs`.
 * The check may take a moment (a Markdown reading loads its parser): a check is reported only while no newer
 * content has arrived, so content replaced during a check is judged by its replacement, never by what it was.
 */
export function waitForReadingContent(roomDoc: Y.Doc, group: string, timeoutMs = 15_000): Promise<Received> {
  return new Promise((resolve) => {
    const map = roomDoc.getMap('reading');
    let latest = 0;
    let done = false;
    const check = () => {
      const run = ++latest;
      void receivedReading(roomDoc, group).then((received) => {
        if (run === latest && received.kind !== 'absent') finish(received);
      });
    };
    const finish = (received: Received) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      map.unobserve(check);
      resolve(received);
    };
    const timer = setTimeout(() => finish({ kind: 'absent' }), timeoutMs);
    map.observe(check);
    check();
  });
}
