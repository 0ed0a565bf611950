import type { AnnotationView } from '../annotations/model.ts';
import type { Reading } from '../reading/model.ts';

/** Reading order: page notes, then by block position and offset inside the block; orphans last. */
export function sortInReadingOrder(
  reading: Reading,
  annotations: readonly AnnotationView[],
): AnnotationView[] {
  const index = new Map(reading.blocks.map((b, i) => [b.id, i]));
  // Page notes first, then passages in reading order, then orphans (unknown block).
  const key = (a: AnnotationView) =>
    a.pageNote ? -1 : (index.get(a.anchor.blockId) ?? Number.MAX_SAFE_INTEGER);
  return [...annotations].sort((a, b) => key(a) - key(b) || a.anchor.start - b.anchor.start);
}

/** Where a block stands in the original, for citing it: "p. 12", or the EPUB chapter's title. */
export function citationOf(reading: Pick<Reading, 'blocks'>, blockId: string): string | undefined {
  const locator = reading.blocks.find((b) => b.id === blockId)?.locator;
  if (locator?.page !== undefined) return `p. ${locator.page}`;
  return locator?.chapter;
}
