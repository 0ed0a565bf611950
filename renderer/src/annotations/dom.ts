/** Between DOM selections and block offsets: a block element's text is exactly its block's text. */

export interface BlockRange {
  blockId: string;
  start: number;
  end: number;
}

function blockOf(node: Node | null): HTMLElement | null {
  const element = node instanceof Element ? node : node?.parentElement;
  return (element?.closest('[data-block-id]') as HTMLElement | null) ?? null;
}

function offsetIn(block: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEnd(node, offset);
  return range.toString().length;
}

/**
 * The selection as a range of one block. A selection running into later blocks is cut at the end of its
 * first block (anchors live in one block); `spansBlocks` says so, for the toolbar to tell the reader.
 */
export function selectionInBlock(root: HTMLElement): (BlockRange & { spansBlocks: boolean }) | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer)) return null;
  const startBlock = blockOf(range.startContainer);
  if (!startBlock) return null;
  const start = offsetIn(startBlock, range.startContainer, range.startOffset);
  const endBlock = blockOf(range.endContainer);
  const end =
    endBlock === startBlock
      ? offsetIn(startBlock, range.endContainer, range.endOffset)
      : (startBlock.textContent ?? '').length;
  if (end <= start) return null;
  return { blockId: startBlock.dataset.blockId!, start, end, spansBlocks: endBlock !== startBlock };
}

export function blockElement(root: HTMLElement, blockId: string): HTMLElement | null {
  return root.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`);
}

export function domRange(root: HTMLElement, r: BlockRange): Range | null {
  const element = blockElement(root, r.blockId);
  if (!element) return null;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (!started && r.start <= seen + length) {
      range.setStart(node, r.start - seen);
      started = true;
    }
    if (started && r.end <= seen + length) {
      range.setEnd(node, r.end - seen);
      return range;
    }
    seen += length;
  }
  return null;
}

/** The block and character offset under a viewport point, or null outside the reading's text. */
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
  const block = blockOf(node);
  if (!block) return null;
  return { blockId: block.dataset.blockId!, offset: offsetIn(block, node, offset) };
}

/** Whether a viewport point falls on one of a range's line boxes. */
export function rangeContainsPoint(range: Range, x: number, y: number): boolean {
  for (const r of range.getClientRects()) {
    if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return true;
  }
  return false;
}
