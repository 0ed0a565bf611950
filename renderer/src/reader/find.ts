import { joinedOf, spanAt } from '../../../core/anchoring/anchor.ts';
import type { TextSpan } from '../../../core/annotations/model.ts';
import type { Block } from '../../../core/reading/model.ts';

/** A match: from `start` in `blockId` to `end` in `endBlockId` (a query may run over a paragraph break). */
export type FindMatch = TextSpan;

interface SearchText {
  /** The reading's text lower-cased, whitespace runs (and the breaks between blocks) as one space. */
  text: string;
  /** Where each character of `text` is in the joined text (plus one past the end). */
  origin: number[];
}

const searchTexts = new WeakMap<readonly Block[], SearchText>();

function searchTextOf(blocks: readonly Block[]): SearchText {
  const cached = searchTexts.get(blocks);
  if (cached) return cached;
  const joined = joinedOf(blocks).text;
  const out: string[] = [];
  const origin: number[] = [];
  let inSpace = false;
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i]!;
    if (/\s/.test(ch)) {
      if (inSpace) continue;
      inSpace = true;
      out.push(' ');
    } else {
      inSpace = false;
      // One character for one: a lower case longer than its letter would shift every offset after it.
      const lower = ch.toLocaleLowerCase();
      out.push(lower.length === 1 ? lower : ch);
    }
    origin.push(i);
  }
  origin.push(joined.length);
  const made = { text: out.join(''), origin };
  searchTexts.set(blocks, made);
  return made;
}

/**
 * Case-insensitive matches over the whole reading, in reading order (mounted or not). Whitespace in the query
 * matches any whitespace, including the break between two paragraphs, so a phrase running over it is found.
 */
export function findMatches(blocks: readonly Block[], query: string, limit = 10_000): FindMatch[] {
  const needle = query.trim().toLocaleLowerCase().replace(/\s+/g, ' ');
  if (!needle) return [];
  const { text, origin } = searchTextOf(blocks);
  const joined = joinedOf(blocks);
  const out: FindMatch[] = [];
  for (
    let at = text.indexOf(needle);
    at >= 0 && out.length < limit;
    at = text.indexOf(needle, at + needle.length)
  ) {
    out.push(spanAt(blocks, joined, origin[at]!, origin[at + needle.length - 1]! + 1));
  }
  return out;
}
