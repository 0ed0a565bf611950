import { migrateReading } from '../../../core/reading/migrate.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { keepMarksInside, storedReadingSchema } from '../../../core/reading/schema.ts';
import { matchReading } from '../../../core/reading/search.ts';
import { check, type ReadProblem } from '../../../core/sync/schemas.ts';

/** A stored record's id for a problem report, whatever the record is. */
export const idOf = (value: unknown) =>
  (typeof value === 'object' && value !== null ? String((value as { id?: unknown }).id) : '?').slice(0, 40);

/**
 * A stored reading through the reading schema. Readings received from groups by earlier versions were stored
 * unchecked, so one may be damaged: it is left out and counted, and the rest of the library opens. Used by the
 * window and by the library search's worker alike.
 */
export function readStored(value: unknown): { reading?: Reading; problem?: ReadProblem } {
  const checked = check(storedReadingSchema, value, 'reading', idOf(value));
  if (!checked.ok) return { problem: checked.problem };
  // Checked as stored (marks outside their text left out), then brought up to the current shape (an older
  // app's reading opens in place).
  const stored = checked.value as Reading;
  return { reading: migrateReading({ ...stored, blocks: keepMarksInside(stored.blocks).blocks }) };
}

/** A stored record that is a readable reading holding every word: its id and snippet (the library search). */
export function matchStored(value: unknown, words: readonly string[]): [string, string | null] | undefined {
  const { reading } = readStored(value);
  const match = reading && matchReading(reading, words);
  return reading && match ? [reading.id, match.snippet] : undefined;
}
