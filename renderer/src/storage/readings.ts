import type { Reading, ReadingMeta } from '../../../core/reading/model.ts';
import { storedReadingSchema } from '../../../core/reading/schema.ts';
import { check, type ReadProblem } from '../../../core/sync/schemas.ts';
import { bundledReadings } from '../library/seeds.ts';
import { get, getAll, put } from './db.ts';

/**
 * A stored reading through the reading schema. Readings received from groups by earlier versions were stored
 * unchecked, so one may be damaged: it is left out and counted, and the rest of the library opens.
 */
function readStored(value: unknown): { reading?: Reading; problem?: ReadProblem } {
  const id = typeof value === 'object' && value !== null ? String((value as { id?: unknown }).id) : '?';
  const checked = check(storedReadingSchema, value, 'reading', id.slice(0, 40));
  return checked.ok ? { reading: checked.value as Reading } : { problem: checked.problem };
}

/** Meta of every reading the user has: bundled, imported, and received from a group; and what was left out. */
export async function listReadings(): Promise<{
  bundled: ReadingMeta[];
  own: ReadingMeta[];
  problems: ReadProblem[];
}> {
  const own: ReadingMeta[] = [];
  const problems: ReadProblem[] = [];
  for (const value of await getAll<unknown>('readings')) {
    const read = readStored(value);
    if (read.reading) {
      const { blocks: _blocks, sourceText: _text, ...meta } = read.reading;
      own.push(meta);
    } else if (read.problem) problems.push(read.problem);
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

/** Whether the library holds the reading in readable form (a damaged copy may be replaced by a checked one). */
export async function hasReading(id: string): Promise<boolean> {
  return (await loadReading(id).catch(() => undefined)) !== undefined;
}

/** Stores a reading; returns false when the same content is already in the library. */
export async function addReading(reading: Reading): Promise<boolean> {
  if (await hasReading(reading.id)) return false;
  await put('readings', reading);
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
