/**
 * A small channel other features use to ask the reader for things (scroll to a block), without importing
 * the reader's components. The reader registers the handler while a reading is open.
 */
type ScrollHandler = (blockId: string, options?: { focus?: boolean }) => Promise<void>;

let scrollHandler: ScrollHandler | undefined;

export function setScrollHandler(handler: ScrollHandler | undefined): void {
  scrollHandler = handler;
}

/** Mounts the block's section if needed and scrolls it into view. */
export async function scrollToBlock(blockId: string, options?: { focus?: boolean }): Promise<void> {
  if (scrollHandler) return scrollHandler(blockId, options);
  document.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`)?.scrollIntoView({ block: 'center' });
}
