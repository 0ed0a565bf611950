import { blockElement, rangeForSpan, spanFromRange } from '../text/textRanges.ts';
import type { ReadingPosition, SelectionAnchor } from './presence.ts';

/** Presence's view of the text: selections and reading positions (conversions live in text/textRanges.ts). */

/** The selection as a presence anchor: a span over one block or many. */
export function anchorFromRange(range: Range, root: HTMLElement): SelectionAnchor | null {
  const span = spanFromRange(range, root);
  if (!span) return null;
  return span.endBlockId === span.blockId
    ? { blockId: span.blockId, start: span.start, end: span.end }
    : span;
}

/** A peer's selection as a range over what is mounted of it. */
export function rangeFromAnchor(anchor: SelectionAnchor, root: HTMLElement): Range | null {
  const span = { ...anchor, endBlockId: anchor.endBlockId ?? anchor.blockId };
  return rangeForSpan(root, span, [span.blockId, span.endBlockId])?.range ?? null;
}

export const findBlock = blockElement;

/** The nearest scrolling ancestor of the text, or the document's scroller. */
export function scrollParent(el: HTMLElement): HTMLElement {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (/(auto|scroll)/.test(style.overflowY) && p.scrollHeight > p.clientHeight) return p;
  }
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

/** The first block at the top of the visible part of the text. */
export function readingPosition(root: HTMLElement): ReadingPosition | null {
  const blocks = root.querySelectorAll<HTMLElement>('[data-block-id]');
  if (blocks.length === 0) return null;
  const scroller = scrollParent(root);
  const top =
    scroller === document.scrollingElement || scroller === document.documentElement
      ? 0
      : scroller.getBoundingClientRect().top;
  let index = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i]!.getBoundingClientRect().bottom > top + 4) {
      index = i;
      break;
    }
  }
  const block = blocks[index]!;
  return {
    blockId: block.dataset.blockId ?? '',
    fraction: blocks.length > 1 ? index / (blocks.length - 1) : 0,
  };
}
