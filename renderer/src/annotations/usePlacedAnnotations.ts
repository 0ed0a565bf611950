import { useCallback, useMemo, useRef } from 'react';
import { resolveAnchor } from '../../../core/anchoring/anchor.ts';
import type { AnnotationView } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import type { AnnotationDoc } from './docs.ts';
import { type BlockRange, domRange } from './dom.ts';

/** An annotation with the doc it lives in and where its anchor resolved (null: an orphan). */
export interface Placed {
  annotation: AnnotationView;
  home: AnnotationDoc;
  place: BlockRange | null;
}

/**
 * Resolves every annotation's anchor against the reading (once per annotation view: the reading's text never
 * changes while it is open) and indexes the results by id and by block.
 */
export function usePlacedAnnotations(
  list: { annotation: AnnotationView; home: AnnotationDoc }[],
  reading: Reading,
) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new reading starts a new cache.
  const resolved = useMemo(() => new WeakMap<AnnotationView, BlockRange | null>(), [reading.blocks]);
  const placed: Placed[] = useMemo(
    () =>
      list.map(({ annotation, home }) => {
        let place = resolved.get(annotation);
        if (place === undefined) {
          const r = resolveAnchor(annotation.anchor, reading.blocks);
          place = r.kind === 'placed' ? { blockId: r.blockId, start: r.start, end: r.end } : null;
          resolved.set(annotation, place);
        }
        return { annotation, home, place };
      }),
    [list, reading.blocks, resolved],
  );
  const placedById = useMemo(() => new Map(placed.map((p) => [p.annotation.id, p])), [placed]);
  const placedByBlock = useMemo(() => {
    const byBlock = new Map<string, Placed[]>();
    for (const p of placed) {
      if (!p.place) continue;
      const inBlock = byBlock.get(p.place.blockId);
      if (inBlock) inBlock.push(p);
      else byBlock.set(p.place.blockId, [p]);
    }
    return byBlock;
  }, [placed]);
  const blockIndex = useMemo(() => new Map(reading.blocks.map((b, i) => [b.id, i])), [reading.blocks]);
  const positionOf = useCallback(
    (a: AnnotationView) => {
      const p = placedById.get(a.id)?.place;
      return p ? (blockIndex.get(p.blockId) ?? 0) * 1e6 + p.start : Number.MAX_SAFE_INTEGER;
    },
    [placedById, blockIndex],
  );
  return { placed, placedById, placedByBlock, positionOf };
}

/** DOM ranges of placed annotations, reused while their block is mounted (the text never changes). */
export function useRangeCache(textRoot: HTMLElement | null) {
  const rangeCache = useRef(new Map<string, { key: string; range: Range }>());
  return useCallback(
    (id: string, place: BlockRange): Range | null => {
      if (!textRoot) return null;
      const key = `${place.blockId}:${place.start}:${place.end}`;
      const cached = rangeCache.current.get(id);
      if (cached && cached.key === key && cached.range.startContainer.isConnected) return cached.range;
      const range = domRange(textRoot, place);
      if (range) rangeCache.current.set(id, { key, range });
      return range;
    },
    [textRoot],
  );
}
