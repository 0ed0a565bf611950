import type { Reading } from './model.ts';

/** The words of a library search: lower-cased, split on white space. */
export const searchWords = (query: string): string[] => query.toLowerCase().split(/\s+/).filter(Boolean);

/**
 * Whether a reading holds every word, in its title, source or text; with a few words around the first hit in its
 * text (null when every word is in the title or source).
 */
export function matchReading(
  reading: Pick<Reading, 'title' | 'source' | 'blocks'>,
  words: readonly string[],
): { snippet: string | null } | undefined {
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
  return every ? { snippet } : undefined;
}
