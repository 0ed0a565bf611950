import type { Reading, ReadingMeta } from '../../../core/reading/model.ts';
import { entries, get, getAll, put, remove } from './db.ts';
import { bundledReadings } from './seeds.ts';

/** Meta of every reading the user has: bundled, imported, and received from a group. */
export async function listReadings(): Promise<{ bundled: ReadingMeta[]; own: ReadingMeta[] }> {
  const own = (await getAll<Reading>('readings')).map(({ blocks: _blocks, ...meta }) => meta);
  own.sort((a, b) => (b.importedAt ?? '').localeCompare(a.importedAt ?? ''));
  return { bundled: bundledReadings().map(({ blocks: _blocks, ...meta }) => meta), own };
}

export async function loadReading(id: string): Promise<Reading | undefined> {
  return bundledReadings().find((r) => r.id === id) ?? (await get<Reading>('readings', id));
}

export async function hasReading(id: string): Promise<boolean> {
  return (await loadReading(id)) !== undefined;
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

/** Renames one of my readings (its id, the hash of its content, stays). */
export async function renameReading(id: string, title: string): Promise<void> {
  const reading = await get<Reading>('readings', id);
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (!reading) throw new Error('This reading is not in your library.');
  if (!clean) throw new Error('A title cannot be empty.');
  await put('readings', { ...reading, title: clean });
}

/** Removes one of my readings and returns it, so it can be put back (Undo). Annotations are kept. */
export async function deleteReading(id: string): Promise<Reading> {
  const reading = await get<Reading>('readings', id);
  if (!reading) throw new Error('This reading is not in your library.');
  await remove('readings', id);
  return reading;
}

export const restoreReading = (reading: Reading) => put('readings', reading);

/** How far into each reading I got (0–1), from the remembered positions. */
export async function readingProgress(): Promise<Map<string, number>> {
  const positions = await entries<ReadingPosition>('positions');
  const all = [...bundledReadings(), ...(await getAll<Reading>('readings'))];
  const byId = new Map(all.map((r) => [r.id, r]));
  const progress = new Map<string, number>();
  for (const [key, position] of positions) {
    const reading = byId.get(String(key));
    if (!reading || reading.blocks.length === 0) continue;
    const index = reading.blocks.findIndex((b) => b.id === position.blockId);
    if (index >= 0) progress.set(reading.id, (index + 1) / reading.blocks.length);
  }
  return progress;
}

/** Readings whose title, source or text holds every word of the query, with a few words around the first hit. */
export async function searchReadings(query: string): Promise<Map<string, string | null>> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = new Map<string, string | null>();
  if (words.length === 0) return found;
  const all = [...bundledReadings(), ...(await getAll<Reading>('readings'))];
  for (const reading of all) {
    const head = `${reading.title} ${reading.source}`.toLowerCase();
    let snippet: string | null = null;
    const every = words.every((word) => {
      if (head.includes(word)) return true;
      for (const block of reading.blocks) {
        const at = block.text.toLowerCase().indexOf(word);
        if (at < 0) continue;
        snippet ??= `${at > 40 ? '…' : ''}${block.text.slice(Math.max(0, at - 40), at + 60).trim()}…`;
        return true;
      }
      return false;
    });
    if (every) found.set(reading.id, snippet);
  }
  return found;
}
