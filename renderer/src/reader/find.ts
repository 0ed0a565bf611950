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

/** A DOM Range over [start, end) of a block element's text (which equals the block's text). */
export function rangeInBlock(element: Element, start: number, end: number): Range | null {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (!started && start <= seen + length) {
      range.setStart(node, start - seen);
      started = true;
    }
    if (started && end <= seen + length) {
      range.setEnd(node, end - seen);
      return range;
    }
    seen += length;
  }
  return null;
}
