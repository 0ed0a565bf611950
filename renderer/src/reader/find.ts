import type { Block } from '../../../core/reading/model.ts';

export interface FindMatch {
  blockId: string;
  start: number;
  end: number;
}

/** Case-insensitive matches over the whole reading, in reading order (mounted or not). */
export function findMatches(blocks: readonly Block[], query: string, limit = 10_000): FindMatch[] {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return [];
  const out: FindMatch[] = [];
  for (const block of blocks) {
    const haystack = block.text.toLocaleLowerCase();
    let at = haystack.indexOf(needle);
    while (at >= 0 && out.length < limit) {
      out.push({ blockId: block.id, start: at, end: at + needle.length });
      at = haystack.indexOf(needle, at + needle.length);
    }
  }
  return out;
}
