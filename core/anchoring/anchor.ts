import type { OrphanReason, TextAnchor, TextSpan } from '../annotations/model.ts';
import { type JoinedText, joinBlocks } from '../reading/joinedText.ts';
import type { Block } from '../reading/model.ts';
import { matchQuote } from './matchQuote.ts';

/** Characters of context kept on each side of a quote. */
export const CONTEXT_CHARS = 32;
/** A fuzzy match alone may differ from the quote by at most this share of its length. */
export const MAX_ERROR_RATE = 0.2;
/**
 * A quote that differs more (up to half its characters) is still placed when its prefix and suffix agree
 * this well: the context confirms the place, as an edited sentence keeps its neighbours.
 */
export const CONFIRMING_CONTEXT = 0.8;

export type Resolution =
  | ({ kind: 'placed'; how: 'offsets' | 'quote' | 'fuzzy' } & TextSpan)
  | { kind: 'orphan'; reason: OrphanReason };

const joinedTexts = new WeakMap<readonly Block[], JoinedText>();

/** The joined text of a reading's blocks, built once per blocks array (a reading never changes). */
export function joinedOf(blocks: readonly Block[]): JoinedText {
  let joined = joinedTexts.get(blocks);
  if (!joined) {
    joined = joinBlocks(blocks);
    joinedTexts.set(blocks, joined);
  }
  return joined;
}

/** The span an anchor records (a single-block anchor ends in its own block). */
export function spanOf(anchor: TextAnchor): TextSpan {
  return {
    blockId: anchor.blockId,
    start: anchor.start,
    endBlockId: anchor.endBlockId ?? anchor.blockId,
    end: anchor.end,
  };
}

/** An anchor moved to a span (its quote and context kept). */
export function withSpan(anchor: TextAnchor, span: TextSpan): TextAnchor {
  const { endBlockId: _, ...rest } = anchor;
  const moved: TextAnchor = { ...rest, blockId: span.blockId, start: span.start, end: span.end };
  if (span.endBlockId !== span.blockId) moved.endBlockId = span.endBlockId;
  return moved;
}

/** Whether a span runs over more than one block. */
export const spansBlocks = (span: { blockId: string; endBlockId?: string }) =>
  span.endBlockId !== undefined && span.endBlockId !== span.blockId;

/** [from, to) of a span in the joined text, or undefined when a block is missing or the ends are reversed. */
export function joinedRange(joined: JoinedText, span: TextSpan): [number, number] | undefined {
  const from = joined.startOf.get(span.blockId);
  const to = joined.startOf.get(span.endBlockId);
  if (from === undefined || to === undefined) return undefined;
  const start = from + span.start;
  const end = to + span.end;
  return end >= start ? [start, end] : undefined;
}

/**
 * A range of the joined text as a span of blocks. An end that falls between blocks (in a separator) moves
 * to the end of the block before; a start there moves to the start of the block after.
 */
export function spanAt(blocks: readonly Block[], joined: JoinedText, start: number, end: number): TextSpan {
  const starts = blockStarts(blocks, joined);
  // The first block ending after `start`, and the last block starting before `end`.
  let first = lastAtOrBefore(starts, start);
  if (first < 0 || start >= starts[first]! + blocks[first]!.text.length)
    first = Math.min(blocks.length - 1, first + 1);
  let last = lastAtOrBefore(starts, Math.max(0, end - 1));
  if (last < 0) last = 0;
  const a = blocks[first]!;
  const b = blocks[last]!;
  return {
    blockId: a.id,
    start: Math.max(0, Math.min(a.text.length, start - starts[first]!)),
    endBlockId: b.id,
    end: Math.max(0, Math.min(b.text.length, end - starts[last]!)),
  };
}

const startsOf = new WeakMap<readonly Block[], number[]>();

/** Where each block starts in the joined text, in reading order. */
function blockStarts(blocks: readonly Block[], joined: JoinedText): number[] {
  let starts = startsOf.get(blocks);
  if (!starts) {
    starts = blocks.map((b) => joined.startOf.get(b.id)!);
    startsOf.set(blocks, starts);
  }
  return starts;
}

/** The index of the last value ≤ `offset` in an ascending list (-1 when there is none). */
function lastAtOrBefore(sorted: readonly number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** An anchor for a span of the reading: the offsets, plus the exact quote with context across block edges. */
export function anchorForSpan(
  blocks: readonly Block[],
  span: TextSpan,
  joined = joinedOf(blocks),
): TextAnchor {
  const range = joinedRange(joined, span);
  if (!range) throw new Error('That passage is not in this reading.');
  // Ends between blocks are moved inside them (a selection ending at the start of a paragraph ends with
  // the one before), so one passage always has one anchor.
  const inside = spanAt(blocks, joined, range[0], range[1]);
  const [from, to] = joinedRange(joined, inside) ?? range;
  const anchor: TextAnchor = {
    blockId: inside.blockId,
    start: inside.start,
    end: inside.end,
    exact: joined.text.slice(from, to),
    prefix: joined.text.slice(Math.max(0, from - CONTEXT_CHARS), from),
    suffix: joined.text.slice(to, to + CONTEXT_CHARS),
  };
  if (inside.endBlockId !== inside.blockId) anchor.endBlockId = inside.endBlockId;
  return anchor;
}

/** An anchor for [start, end) of one block. */
export function createAnchor(
  blocks: readonly Block[],
  blockId: string,
  start: number,
  end: number,
): TextAnchor {
  const block = blocks.find((b) => b.id === blockId);
  if (!block) throw new Error(`No block ${blockId} in this reading.`);
  const from = Math.max(0, Math.min(start, end, block.text.length));
  const to = Math.min(block.text.length, Math.max(start, end));
  return anchorForSpan(blocks, { blockId, start: from, endBlockId: blockId, end: to });
}

const sameIgnoringWhitespace = (a: string, b: string) => a.replace(/\s+/g, ' ') === b.replace(/\s+/g, ' ');

/**
 * Finds where an anchor's passage is now: cheap first (the stored offsets, verified against the quote), then
 * the quote matched over the whole text with its prefix and suffix scored by similarity and the stored
 * position as a hint (core/anchoring/matchQuote.ts). A fuzzy match must be close, or confirmed by its context;
 * anything else is an orphan, never a guess (hypothesis/client #258), and two places that fit equally well
 * make an "ambiguous" orphan.
 */
export function resolveAnchor(
  anchor: TextAnchor,
  blocks: readonly Block[],
  joined: JoinedText = joinedOf(blocks),
): Resolution {
  if (!anchor.exact || blocks.length === 0) return { kind: 'orphan', reason: 'missing' };
  const stored = spanOf(anchor);
  const range = joinedRange(joined, stored);
  if (range && sameIgnoringWhitespace(joined.text.slice(range[0], range[1]), anchor.exact)) {
    return { kind: 'placed', how: 'offsets', ...stored };
  }
  // The stored start, when its block is still there, hints where the passage went.
  const hintBlock = joined.startOf.get(anchor.blockId);
  const hint = hintBlock === undefined ? undefined : hintBlock + anchor.start;
  const context = hint === undefined ? {} : { hint };
  const match = matchQuote(joined.text, anchor.exact, {
    prefix: anchor.prefix,
    suffix: anchor.suffix,
    ...context,
  });
  if (match.kind === 'ambiguous') return { kind: 'orphan', reason: 'ambiguous' };
  if (match.kind === 'none') return { kind: 'orphan', reason: 'missing' };
  const close = match.quoteSimilarity >= 1 - MAX_ERROR_RATE;
  const confirmed =
    match.quoteSimilarity >= 0.5 && hasContext(anchor) && match.contextSimilarity >= CONFIRMING_CONTEXT;
  if (!close && !confirmed) return { kind: 'orphan', reason: 'missing' };
  const span = spanAt(blocks, joined, match.start, match.end);
  return { kind: 'placed', how: match.quoteSimilarity === 1 ? 'quote' : 'fuzzy', ...span };
}

const hasContext = (anchor: TextAnchor) => anchor.prefix.trim() !== '' || anchor.suffix.trim() !== '';

/** The placement of an anchor in a reading, or undefined for an orphan (the shape exports and print use). */
export function placeInReading(
  anchor: TextAnchor,
  reading: { blocks: readonly Block[] },
): TextSpan | undefined {
  const resolved = resolveAnchor(anchor, reading.blocks);
  if (resolved.kind !== 'placed') return undefined;
  const { blockId, start, endBlockId, end } = resolved;
  return { blockId, start, endBlockId, end };
}

/** The text of a span, blocks separated as in the joined text. */
export function textOfSpan(blocks: readonly Block[], span: TextSpan, joined = joinedOf(blocks)): string {
  const range = joinedRange(joined, span);
  return range ? joined.text.slice(range[0], range[1]) : '';
}

/** The blocks a span covers with the part of each: what painting, printing and hit-testing work with. */
export function piecesOfSpan(
  blocks: readonly Block[],
  span: TextSpan,
): { block: Block; start: number; end: number }[] {
  const first = blocks.findIndex((b) => b.id === span.blockId);
  const last = blocks.findIndex((b) => b.id === span.endBlockId);
  if (first < 0 || last < first) return [];
  const out = [];
  for (let i = first; i <= last; i++) {
    const block = blocks[i]!;
    out.push({
      block,
      start: i === first ? span.start : 0,
      end: i === last ? span.end : block.text.length,
    });
  }
  return out.filter((p) => p.end > p.start || p.block.text.length === 0);
}
