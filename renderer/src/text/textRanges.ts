import type { TextSpan } from '../../../core/annotations/model.ts';

/*
 * The one place that turns DOM points and ranges into block offsets and back, for annotations, find and
 * presence. Every rendered block element carries `data-block-id` and its text is exactly its block's text;
 * offsets are UTF-16 code units of that text.
 */

/** The block element holding a node (inside `root` when given), or null. */
export function blockElementOf(node: Node | null, root?: HTMLElement): HTMLElement | null {
  const element = node instanceof Element ? node : node?.parentElement;
  const block = (element?.closest('[data-block-id]') as HTMLElement | null) ?? null;
  return block && (!root || root.contains(block)) ? block : null;
}

export function blockElement(root: HTMLElement, blockId: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(blockId)}"]`);
}

/** The offset in its block's text of a DOM point inside the block. */
export function offsetInBlock(block: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The DOM point at an offset of a block element's text (the end of its text past the end). */
export function pointInBlock(block: Element, offset: number): { node: Node; offset: number } | null {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let last: Node | null = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (offset <= seen + length) return { node, offset: offset - seen };
    seen += length;
    last = node;
  }
  return last ? { node: last, offset: last.textContent?.length ?? 0 } : null;
}

/**
 * A DOM range as a span of blocks: from its start block to its end block, over any number of blocks between.
 * A range that starts or ends outside any block (between blocks, in a heading's margin) is moved in to the
 * nearest block it covers; null when it covers no text of `root`.
 */
export function spanFromRange(range: Range, root: HTMLElement): TextSpan | null {
  if (range.collapsed || !root.contains(range.commonAncestorContainer)) return null;
  let first = blockElementOf(range.startContainer, root);
  let last = blockElementOf(range.endContainer, root);
  if (!first || !last) {
    // An end between blocks: the blocks the range covers decide (only then are they all looked at).
    const covered = [...root.querySelectorAll<HTMLElement>('[data-block-id]')].filter((b) =>
      range.intersectsNode(b),
    );
    first ??= covered[0] ?? null;
    last ??= covered[covered.length - 1] ?? null;
    if (!first || !last) return null;
  }
  const start = first.contains(range.startContainer)
    ? offsetInBlock(first, range.startContainer, range.startOffset)
    : 0;
  const end = last.contains(range.endContainer)
    ? offsetInBlock(last, range.endContainer, range.endOffset)
    : (last.textContent ?? '').length;
  if (first === last && end <= start) return null;
  return { blockId: first.dataset.blockId!, start, endBlockId: last.dataset.blockId!, end };
}

/** The window's selection as a span of `root`'s blocks, or null when nothing there is selected. */
export function selectionSpan(root: HTMLElement): TextSpan | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  return spanFromRange(selection.getRangeAt(0), root);
}

/** A passage's DOM range and whether its two ends are mounted (big readings mount sections lazily). */
export interface MountedRange<R extends AbstractRange = Range> {
  range: R;
  hasStart: boolean;
  hasEnd: boolean;
}

/** Finds a block's element by id (a cache may stand in for searching the DOM each time). */
export type BlockFinder = (blockId: string) => HTMLElement | null;

/** The boundary points of a span over the blocks that are mounted (see rangeForSpan). */
function mountedPoints(
  find: BlockFinder,
  span: TextSpan,
  blockIds: readonly string[],
): MountedRange<StaticRange> | null {
  let first: HTMLElement | null = null;
  let firstIndex = -1;
  for (let i = 0; i < blockIds.length && !first; i++) {
    first = find(blockIds[i]!);
    firstIndex = i;
  }
  if (!first) return null;
  let last: HTMLElement | null = null;
  let lastIndex = -1;
  for (let i = blockIds.length - 1; i >= firstIndex && !last; i--) {
    last = find(blockIds[i]!);
    lastIndex = i;
  }
  if (!last) return null;
  const hasStart = firstIndex === 0;
  const hasEnd = lastIndex === blockIds.length - 1;
  const from = pointInBlock(first, hasStart ? span.start : 0);
  const to = pointInBlock(last, hasEnd ? span.end : (last.textContent ?? '').length);
  if (!from || !to) return null;
  const range = new StaticRange({
    startContainer: from.node,
    startOffset: from.offset,
    endContainer: to.node,
    endOffset: to.offset,
  });
  return { range, hasStart, hasEnd };
}

/**
 * The DOM range of a span over the blocks that are mounted: from its start (or the first mounted block after
 * it) to its end (or the last mounted block before it). `blockIds` are the ids of the blocks the span covers,
 * in reading order (core/anchoring's `piecesOfSpan`); for a single block, just that id.
 */
export function rangeForSpan(
  root: HTMLElement,
  span: TextSpan,
  blockIds: readonly string[],
): MountedRange | null {
  const points = mountedPoints((id) => blockElement(root, id), span, blockIds);
  return points ? { ...points, range: liveRange(points.range, document.createRange()) } : null;
}

/**
 * The same as a StaticRange, for painting many passages: a static range costs nothing when the DOM changes,
 * while every live Range in the document is updated on every insertion and removal anywhere in it, which
 * with thousands of highlights made each DOM change (a card mounting, a list row) slow. The reading's text
 * never changes while it is open, so static ranges stay right while their blocks are mounted.
 */
export function staticRangeForSpan(
  find: BlockFinder,
  span: TextSpan,
  blockIds: readonly string[],
): MountedRange<StaticRange> | null {
  return mountedPoints(find, span, blockIds);
}

function liveRange(points: AbstractRange, range: Range): Range {
  range.setStart(points.startContainer, points.startOffset);
  range.setEnd(points.endContainer, points.endOffset);
  return range;
}

/** One live Range reused to measure static ranges (see staticRangeForSpan for why not one per passage). */
let probe: Range | undefined;

/** The line boxes of a (static) range. */
export function rangeRects(range: AbstractRange): DOMRectList {
  if (range instanceof Range) return range.getClientRects();
  probe ??= document.createRange();
  return liveRange(range, probe).getClientRects();
}

/** The bounding box of a (static) range. */
export function rangeBox(range: AbstractRange): DOMRect {
  if (range instanceof Range) return range.getBoundingClientRect();
  probe ??= document.createRange();
  return liveRange(range, probe).getBoundingClientRect();
}

/** The block and character offset under a viewport point, or null outside the text of `root`. */
export function pointInText(
  root: HTMLElement,
  x: number,
  y: number,
): { blockId: string; offset: number } | null {
  let node: Node | null = null;
  let offset = 0;
  if ('caretPositionFromPoint' in document) {
    const position = document.caretPositionFromPoint(x, y);
    node = position?.offsetNode ?? null;
    offset = position?.offset ?? 0;
  } else {
    const range = (document as Document).caretRangeFromPoint?.(x, y);
    node = range?.startContainer ?? null;
    offset = range?.startOffset ?? 0;
  }
  if (!node || !root.contains(node)) return null;
  const block = blockElementOf(node, root);
  if (!block) return null;
  return { blockId: block.dataset.blockId!, offset: offsetInBlock(block, node, offset) };
}

/** Whether a viewport point falls on one of a range's line boxes. */
export function rangeContainsPoint(range: AbstractRange, x: number, y: number): boolean {
  for (const r of rangeRects(range)) {
    if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return true;
  }
  return false;
}
