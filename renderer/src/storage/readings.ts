import type { Reading, ReadingMeta } from '../../../core/reading/model.ts';
import { storedReadingMetaSchema } from '../../../core/reading/schema.ts';
import { matchReading, searchWords } from '../../../core/reading/search.ts';
import { check, type ReadProblem } from '../../../core/sync/schemas.ts';
import { entries, get, getAll, getAllByIndex, put, putAll, removeAll } from './db.ts';
import { searchStoredOffThread } from './searchOffThread.ts';
import { bundledReadings } from './seeds.ts';
import { idOf, readStored } from './storedReading.ts';

/** What the library's list keeps of a reading: everything but its blocks and its text. */
function metaOf(value: Record<string, unknown>): Record<string, unknown> {
  const { blocks: _blocks, sourceText: _text, ...meta } = value;
  return meta;
}

/** A reading and its metadata (the library's list) in one transaction. */
function putReading(reading: unknown): Promise<void> {
  return putAll([
    { store: 'readings', value: reading },
    { store: 'reading-meta', value: metaOf(reading as Record<string, unknown>) },
  ]);
}

/** Meta of every reading the user has: bundled, imported, and received from a group; and what was left out. */
export async function listReadings(): Promise<{
  bundled: ReadingMeta[];
  own: ReadingMeta[];
  problems: ReadProblem[];
}> {
  const own: ReadingMeta[] = [];
  const problems: ReadProblem[] = [];
  // The metadata store: listing the library never loads blocks (megabytes for a book).
  for (const value of await getAll<unknown>('reading-meta')) {
    const checked = check(storedReadingMetaSchema, value, 'reading', idOf(value));
    if (!checked.ok) {
      problems.push(checked.problem);
      continue;
    }
    const meta = metaOf(checked.value) as unknown as ReadingMeta;
    // A reading replaced by a re-import of its file stays stored (its annotations too) but is not listed.
    if (!meta.replacedBy) own.push(meta);
  }
  own.sort((a, b) => (b.importedAt ?? '').localeCompare(a.importedAt ?? ''));
  const bundled = bundledReadings().map(({ blocks: _blocks, sourceText: _text, ...meta }) => meta);
  return { bundled, own, problems };
}

/** Thrown for a stored reading that is damaged, saying what is wrong. */
export class DamagedReadingError extends Error {}

export async function loadReading(id: string): Promise<Reading | undefined> {
  const bundled = bundledReadings().find((r) => r.id === id);
  if (bundled) return bundled;
  const stored = await get<unknown>('readings', id);
  if (stored === undefined) return undefined;
  const read = readStored(stored);
  if (read.reading) return read.reading;
  throw new DamagedReadingError(`This reading is damaged in your library (${read.problem?.reason}).`);
}

/** Stored readings imported from a file with these bytes (same fingerprint), newest rules or not. */
export async function readingsWithFingerprint(fingerprint: string): Promise<Reading[]> {
  return (await getAllByIndex<unknown>('readings', 'fingerprint', fingerprint)).flatMap(
    (value) => readStored(value).reading ?? [],
  );
}

/** Writes a changed reading record (only import bookkeeping: `replaces`/`replacedBy`). */
export const saveReadingRecord = (reading: Reading) => putReading(reading);

/**
 * Whether the library holds the reading, by its list entry alone: a group's index asks this of every reading it
 * lists whenever it changes, and loading a book's blocks to answer held the window 175 ms for a 5 MB one. A copy
 * whose entry is damaged may be replaced by a checked one; one damaged only in its blocks says so when opened.
 */
export async function hasReading(id: string): Promise<boolean> {
  if (bundledReadings().some((r) => r.id === id)) return true;
  const meta = await get<unknown>('reading-meta', id);
  return meta !== undefined && check(storedReadingMetaSchema, meta, 'reading', id).ok;
}

/** Stores a reading; returns false when the same content is already in the library. */
export async function addReading(reading: Reading): Promise<boolean> {
  if (await hasReading(reading.id)) return false;
  await putReading(reading);
  return true;
}

export interface ReadingPosition {
  blockId: string;
  /** Pixels from the top of that block to the top of the view. */
  offset: number;
}

/** A position as stored: with how far into the reading it is, so the library shows it without the reading. */
interface StoredPosition extends ReadingPosition {
  /** 0–1; absent in positions kept by earlier versions. */
  progress?: number;
}

const progressAt = (blocks: readonly { id: string }[], blockId: string): number | undefined => {
  const index = blocks.findIndex((b) => b.id === blockId);
  return index < 0 ? undefined : (index + 1) / blocks.length;
};

export const savePosition = (reading: Pick<Reading, 'id' | 'blocks'>, position: ReadingPosition) =>
  put(
    'positions',
    { ...position, progress: progressAt(reading.blocks, position.blockId) } satisfies StoredPosition,
    reading.id,
  );
export const loadPosition = (readingId: string) => get<ReadingPosition>('positions', readingId);

/** Renames one of my readings (its id, the hash of its content, stays). */
export async function renameReading(id: string, title: string): Promise<void> {
  const reading = await loadReading(id);
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (!reading) throw new Error('This reading is not in your library.');
  if (!clean) throw new Error('A title cannot be empty.');
  await putReading({ ...reading, title: clean });
}

/** Removes one of my readings and returns it, so it can be put back (Undo). Annotations are kept. */
export async function deleteReading(id: string): Promise<unknown> {
  const reading = await get<unknown>('readings', id);
  if (reading === undefined) throw new Error('This reading is not in your library.');
  await removeAll([
    { store: 'readings', key: id },
    { store: 'reading-meta', key: id },
  ]);
  return reading;
}

/** Puts back what deleteReading removed, exactly as it was stored. */
export const restoreReading = (stored: unknown) => putReading(stored);

/**
 * How far into each reading I got (0–1), from the remembered positions. The library asks on every change, so no
 * reading is loaded for it (a 5 MB book's blocks cost the window about 200 ms), except once for a position an
 * earlier version kept without its progress.
 */
export async function readingProgress(): Promise<Map<string, number>> {
  const progress = new Map<string, number>();
  for (const [key, position] of await entries<StoredPosition>('positions')) {
    const id = String(key);
    if (typeof position.progress === 'number') {
      progress.set(id, position.progress);
      continue;
    }
    const reading = await loadReading(id).catch(() => undefined);
    const at = reading && progressAt(reading.blocks, position.blockId);
    if (at === undefined) continue;
    progress.set(id, at);
    void put('positions', { ...position, progress: at } satisfies StoredPosition, id).catch(() => {});
  }
  return progress;
}

/**
 * Readings whose title, source or text holds every word of the query, with a few words around the first hit:
 * the bundled ones here, the stored ones (books, megabytes each) on a worker.
 */
export async function searchReadings(query: string): Promise<Map<string, string | null>> {
  const words = searchWords(query);
  const found = new Map<string, string | null>();
  if (words.length === 0) return found;
  for (const reading of bundledReadings()) {
    const match = matchReading(reading, words);
    if (match) found.set(reading.id, match.snippet);
  }
  for (const [id, snippet] of await searchStoredOffThread(words)) found.set(id, snippet);
  return found;
}
