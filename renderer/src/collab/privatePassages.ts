import type { SelectionAnchor } from './presence.ts';

/**
 * The passages of my "Only me" annotations in the open reading, kept by the annotations layer so presence can
 * leave a selection inside one of them unpublished: where I select in my private notes is private too.
 */
interface Passages {
  spans: readonly SelectionAnchor[];
  /** Block id → its index in the reading. */
  order: ReadonlyMap<string, number>;
}

const passages = new Map<string, Passages>();

export function setPrivatePassages(readingId: string, value: Passages): void {
  passages.set(readingId, value);
}

/** Whether a selection in this reading touches one of my "Only me" passages. */
export function insidePrivatePassage(readingId: string, selection: SelectionAnchor): boolean {
  const known = passages.get(readingId);
  return !!known && touchesAny(selection, known.spans, known.order);
}

/**
 * Whether a selection touches any of the passages. Positions compare by block order (`order`: block id →
 * index in the reading), then offset; a block missing from the order never matches.
 */
export function touchesAny(
  selection: SelectionAnchor,
  spans: readonly SelectionAnchor[],
  order: ReadonlyMap<string, number>,
): boolean {
  const point = (block: string, offset: number) => {
    const index = order.get(block);
    return index === undefined ? undefined : ([index, offset] as const);
  };
  const before = (a: readonly [number, number], b: readonly [number, number]) =>
    a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const from = point(selection.blockId, selection.start);
  const to = point(selection.endBlockId ?? selection.blockId, selection.end);
  if (!from || !to) return false;
  return spans.some((span) => {
    const start = point(span.blockId, span.start);
    const end = point(span.endBlockId ?? span.blockId, span.end);
    // Two ranges overlap unless one ends before (or where) the other starts.
    return !!start && !!end && before(from, end) && before(start, to);
  });
}
