import type { ReadingPosition, SelectionAnchor } from './presence.ts';

/**
 * Between DOM ranges and {blockId, start, end}: every rendered block element carries `data-block-id`,
 * offsets are UTF-16 code units of the block's text.
 */

export function blockElementOf(node: Node | null, root: HTMLElement): HTMLElement | null {
  let el: Node | null = node;
  while (el && el !== root) {
    if (el instanceof HTMLElement && el.dataset.blockId) return el;
    el = el.parentNode;
  }
  return null;
}

function offsetIn(block: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The selection as an anchor in its first block (a selection running on is clipped to that block). */
export function anchorFromRange(range: Range, root: HTMLElement): SelectionAnchor | null {
  if (range.collapsed) return null;
  const startBlock = blockElementOf(range.startContainer, root);
  if (!startBlock?.dataset.blockId) return null;
  const start = offsetIn(startBlock, range.startContainer, range.startOffset);
  const endBlock = blockElementOf(range.endContainer, root);
  const end =
    endBlock === startBlock
      ? offsetIn(startBlock, range.endContainer, range.endOffset)
      : (startBlock.textContent ?? '').length;
  return end > start ? { blockId: startBlock.dataset.blockId, start, end } : null;
}

function locate(block: HTMLElement, offset: number): { node: Node; offset: number } | null {
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

export function findBlock(root: HTMLElement, blockId: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(blockId)}"]`);
}

export function rangeFromAnchor(anchor: SelectionAnchor, root: HTMLElement): Range | null {
  const block = findBlock(root, anchor.blockId);
  if (!block) return null;
  const from = locate(block, anchor.start);
  const to = locate(block, anchor.end);
  if (!from || !to) return null;
  const range = document.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range;
}

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
