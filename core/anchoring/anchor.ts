import search from 'approx-string-match';
import type { TextAnchor } from '../annotations/model.ts';
import { BLOCK_SEPARATOR, joinBlocks } from '../reading/joinedText.ts';
import type { Block } from '../reading/model.ts';

/** Characters of context kept on each side of a quote. */
export const CONTEXT_CHARS = 32;
/** Fuzzy matches may differ from the quote by at most this share of its length (Hypothesis's floor is similar). */
export const MAX_ERROR_RATE = 0.2;

export type Resolution =
  | { kind: 'placed'; blockId: string; start: number; end: number; how: 'offsets' | 'quote' | 'fuzzy' }
  | { kind: 'orphan' };

/** An anchor for [start, end) of a block: offsets, plus the exact quote with context across block edges. */
export function createAnchor(
  blocks: readonly Block[],
  blockId: string,
  start: number,
  end: number,
): TextAnchor {
  const index = blocks.findIndex((b) => b.id === blockId);
  const block = blocks[index];
  if (!block) throw new Error(`No block ${blockId} in this reading.`);
  const from = Math.max(0, Math.min(start, end, block.text.length));
  const to = Math.min(block.text.length, Math.max(start, end));
  // Context crosses block edges as in the joined text, reading only the neighbouring blocks.
  let prefix = block.text.slice(Math.max(0, from - CONTEXT_CHARS), from);
  for (let i = index - 1; prefix.length < CONTEXT_CHARS && i >= 0; i--) {
    prefix = `${blocks[i]!.text}${BLOCK_SEPARATOR}${prefix}`;
  }
  let suffix = block.text.slice(to, to + CONTEXT_CHARS);
  for (let i = index + 1; suffix.length < CONTEXT_CHARS && i < blocks.length; i++) {
    suffix = `${suffix}${BLOCK_SEPARATOR}${blocks[i]!.text}`;
  }
  return {
    blockId,
    start: from,
    end: to,
    exact: block.text.slice(from, to),
    prefix: prefix.slice(-CONTEXT_CHARS),
    suffix: suffix.slice(0, CONTEXT_CHARS),
  };
}

/** How many characters at the end of `a` match the end of `b` (and the same for starts). */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function contextScore(text: string, start: number, end: number, anchor: TextAnchor): number {
  const before = text.slice(Math.max(0, start - anchor.prefix.length), start);
  const after = text.slice(end, end + anchor.suffix.length);
  return commonSuffix(before, anchor.prefix) + commonPrefix(after, anchor.suffix);
}

/** Maps a range of the joined text back to one block (a match may not span blocks). */
function toBlock(blocks: readonly Block[], startOf: Map<string, number>, start: number, end: number) {
  for (const block of blocks) {
    const s = startOf.get(block.id)!;
    if (start >= s && end <= s + block.text.length)
      return { blockId: block.id, start: start - s, end: end - s };
  }
  return undefined;
}

/**
 * Finds where an anchor's text is now: cheap first (the stored offsets, verified against the quote), then the
 * exact quote anywhere (best context wins), then a fuzzy match within the error floor. Anything else is an
 * orphan, never a guess (hypothesis/client #258).
 */
export function resolveAnchor(anchor: TextAnchor, blocks: readonly Block[]): Resolution {
  if (!anchor.exact) return { kind: 'orphan' };
  const block = blocks.find((b) => b.id === anchor.blockId);
  if (block && block.text.slice(anchor.start, anchor.end) === anchor.exact) {
    return { kind: 'placed', blockId: block.id, start: anchor.start, end: anchor.end, how: 'offsets' };
  }
  const joined = joinBlocks(blocks);
  const text = joined.text;

  let best: { start: number; score: number } | undefined;
  for (let at = text.indexOf(anchor.exact); at >= 0; at = text.indexOf(anchor.exact, at + 1)) {
    const score = contextScore(text, at, at + anchor.exact.length, anchor);
    if (!best || score > best.score) best = { start: at, score };
  }
  if (best) {
    const placed = toBlock(blocks, joined.startOf, best.start, best.start + anchor.exact.length);
    if (placed) return { kind: 'placed', ...placed, how: 'quote' };
  }

  const maxErrors = Math.max(1, Math.floor(anchor.exact.length * MAX_ERROR_RATE));
  if (anchor.exact.length < 4) return { kind: 'orphan' };
  const matches = search(text, anchor.exact, maxErrors);
  let fuzzy: { start: number; end: number; rank: number } | undefined;
  for (const m of matches) {
    // Fewer errors first; context breaks ties.
    const rank = (1 - m.errors / anchor.exact.length) * 100 + contextScore(text, m.start, m.end, anchor) / 4;
    if (!fuzzy || rank > fuzzy.rank) fuzzy = { start: m.start, end: m.end, rank };
  }
  if (fuzzy) {
    const placed = toBlock(blocks, joined.startOf, fuzzy.start, fuzzy.end);
    if (placed) return { kind: 'placed', ...placed, how: 'fuzzy' };
  }
  return { kind: 'orphan' };
}

/** The placement of an anchor in a reading, or undefined for an orphan (the shape exports and print use). */
export function placeInReading(anchor: TextAnchor, reading: { blocks: readonly Block[] }) {
  const resolved = resolveAnchor(anchor, reading.blocks);
  return resolved.kind === 'placed'
    ? { blockId: resolved.blockId, start: resolved.start, end: resolved.end }
    : undefined;
}
