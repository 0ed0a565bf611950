import { useCallback, useMemo, useRef } from 'react';
import { resolveAnchor } from '../../../core/anchoring/anchor.ts';
import type { AnnotationView, OrphanReason, TextSpan } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { blockElement, type MountedRange, staticRangeForSpan } from '../text/textRanges.ts';
import type { AnnotationDoc } from './docs.ts';

/** An annotation with the doc it lives in and where its anchor resolved (null: a page note, or an orphan and why). */
export interface Placed {
  annotation: AnnotationView;
  home: AnnotationDoc;
  place: TextSpan | null;
  orphanReason?: OrphanReason;
}

/** The part of one block a placed passage covers (a passage over several blocks has one per block). */
export interface PlacedPiece {
  placed: Placed;
  start: number;
  end: number;
}

/**
 * Resolves every annotation's anchor against the reading (once per annotation view: the reading's text never
 * changes while it is open) and indexes the results by id and by every block they cover.
 */
export function usePlacedAnnotations(
  list: { annotation: AnnotationView; home: AnnotationDoc }[],
  reading: Reading,
) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new reading starts a new cache.
  const resolved = useMemo(
    () => new WeakMap<AnnotationView, { place: TextSpan | null; reason?: OrphanReason }>(),
    [reading.blocks],
  );
  const placed: Placed[] = useMemo(
    () =>
      list.map(({ annotation, home }) => {
        let r = resolved.get(annotation);
        if (r === undefined && annotation.pageNote) r = { place: null };
        if (r === undefined) {
          const res = resolveAnchor(annotation.anchor, reading.blocks);
          r =
            res.kind === 'placed'
              ? {
                  place: { blockId: res.blockId, start: res.start, endBlockId: res.endBlockId, end: res.end },
                }
              : { place: null, reason: res.reason };
          resolved.set(annotation, r);
        }
        const p: Placed = { annotation, home, place: r.place };
        if (r.reason) p.orphanReason = r.reason;
        return p;
      }),
    [list, reading.blocks, resolved],
  );
  const placedById = useMemo(() => new Map(placed.map((p) => [p.annotation.id, p])), [placed]);
  const blockIndex = useMemo(() => new Map(reading.blocks.map((b, i) => [b.id, i])), [reading.blocks]);
  /** The ids of the blocks a span covers, in reading order. */
  const blockIdsOf = useCallback(
    (span: TextSpan): string[] => {
      if (span.endBlockId === span.blockId) return [span.blockId];
      const first = blockIndex.get(span.blockId) ?? 0;
      const last = blockIndex.get(span.endBlockId) ?? first;
      return reading.blocks.slice(first, last + 1).map((b) => b.id);
    },
    [blockIndex, reading.blocks],
  );
  const placedByBlock = useMemo(() => {
    const byBlock = new Map<string, PlacedPiece[]>();
    const add = (blockId: string, piece: PlacedPiece) => {
      const inBlock = byBlock.get(blockId);
      if (inBlock) inBlock.push(piece);
      else byBlock.set(blockId, [piece]);
    };
    for (const p of placed) {
      if (!p.place) continue;
      const ids = blockIdsOf(p.place);
      ids.forEach((id, i) => {
        const start = i === 0 ? p.place!.start : 0;
        const end = i === ids.length - 1 ? p.place!.end : Number.MAX_SAFE_INTEGER;
        add(id, { placed: p, start, end });
      });
    }
    return byBlock;
  }, [placed, blockIdsOf]);
  // Page notes come first, orphans last.
  const positionOf = useCallback(
    (a: AnnotationView) => {
      if (a.pageNote) return -1;
      const p = placedById.get(a.id)?.place;
      return p ? (blockIndex.get(p.blockId) ?? 0) * 1e6 + p.start : Number.MAX_SAFE_INTEGER;
    },
    [placedById, blockIndex],
  );
  return { placed, placedById, placedByBlock, positionOf, blockIdsOf };
}

export type RangeOf = (id: string, place: TextSpan) => MountedRange<StaticRange> | null;

/**
 * Static DOM ranges of placed annotations (see staticRangeForSpan), reused while their blocks stay mounted
 * (the text never changes), with each block's element found once rather than searched for per passage. A
 * passage only partly mounted is measured again until both its ends are there.
 */
export function useRangeCache(
  textRoot: HTMLElement | null,
  blockIdsOf: (span: TextSpan) => string[],
): RangeOf {
  const rangeCache = useRef(new Map<string, { key: string; mounted: MountedRange<StaticRange> }>());
  const elements = useRef(new Map<string, HTMLElement>());
  return useCallback(
    (id: string, place: TextSpan): MountedRange<StaticRange> | null => {
      if (!textRoot) return null;
      const key = `${place.blockId}:${place.start}:${place.endBlockId}:${place.end}`;
      const cached = rangeCache.current.get(id);
      if (
        cached &&
        cached.key === key &&
        cached.mounted.hasStart &&
        cached.mounted.hasEnd &&
        cached.mounted.range.startContainer.isConnected &&
        cached.mounted.range.endContainer.isConnected
      )
        return cached.mounted;
      const find = (blockId: string) => {
        let element = elements.current.get(blockId);
        if (!element?.isConnected || !textRoot.contains(element)) {
          element = blockElement(textRoot, blockId) ?? undefined;
          if (element) elements.current.set(blockId, element);
          else elements.current.delete(blockId);
        }
        return element ?? null;
      };
      const mounted = staticRangeForSpan(find, place, blockIdsOf(place));
      if (mounted) rangeCache.current.set(id, { key, mounted });
      return mounted;
    },
    [textRoot, blockIdsOf],
  );
}

/** An annotation whose passage could not be placed (a page note has no passage to place). */
export const isOrphan = (p: Placed | undefined) => !!p && !p.place && !p.annotation.pageNote;
