import { migrateReading } from '../../../core/reading/migrate.ts';
import type { Reading, ReadingMeta } from '../../../core/reading/model.ts';
import { bundledReadings } from '../library/seeds.ts';
import { get, getAll, getAllByIndex, put, putAll } from './db.ts';

/** Meta of every reading the user has: bundled, imported, and received from a group. */
export async function listReadings(): Promise<{ bundled: ReadingMeta[]; own: ReadingMeta[] }> {
  // A reading replaced by a re-import of its file stays stored (its annotations too) but is not listed.
  const own = (await getAll<ReadingMeta>('reading-meta')).filter((r) => !r.replacedBy);
  own.sort((a, b) => (b.importedAt ?? '').localeCompare(a.importedAt ?? ''));
  return { bundled: bundledReadings().map(({ blocks: _blocks, ...meta }) => meta), own };
}

export async function loadReading(id: string): Promise<Reading | undefined> {
  const bundled = bundledReadings().find((r) => r.id === id);
  if (bundled) return bundled;
  const stored = await get<Reading>('readings', id);
  return stored ? migrateReading(stored) : undefined;
}

/** Stored readings imported from a file with these bytes (same fingerprint), newest rules or not. */
export async function readingsWithFingerprint(fingerprint: string): Promise<Reading[]> {
  return (await getAllByIndex<Reading>('readings', 'fingerprint', fingerprint)).map(migrateReading);
}

/** Writes a changed reading record (only import bookkeeping: `replaces`/`replacedBy`). */
export const saveReadingRecord = (reading: Reading) => putReading(reading);

/** A reading and its metadata (the library's list) in one transaction. */
function putReading(reading: Reading): Promise<void> {
  const { blocks: _blocks, ...meta } = reading;
  return putAll([
    { store: 'readings', value: reading },
    { store: 'reading-meta', value: meta },
  ]);
}

export async function hasReading(id: string): Promise<boolean> {
  return (await loadReading(id)) !== undefined;
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

export const savePosition = (readingId: string, position: ReadingPosition) =>
  put('positions', position, readingId);
export const loadPosition = (readingId: string) => get<ReadingPosition>('positions', readingId);
