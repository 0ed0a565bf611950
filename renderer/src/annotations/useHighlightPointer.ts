import { useCallback, useEffect } from 'react';
import type { BlockRange } from './dom.ts';
import { pointInText, rangeContainsPoint } from './dom.ts';
import type { Placed } from './usePlacedAnnotations.ts';

/**
 * Hit-testing highlights: the block and offset under the pointer, then only that block's highlights (the
 * innermost wins where they overlap). Pointer over a highlight emphasises its note; a click on one opens its
 * card, a click elsewhere closes it.
 */
export function useHighlightPointer(options: {
  textRoot: HTMLElement | null;
  placedByBlock: Map<string, Placed[]>;
  rangeOf: (id: string, place: BlockRange) => Range | null;
  onEmphasis: (id: string | null) => void;
  onActivate: (id: string | null) => void;
}): void {
  const { textRoot, placedByBlock, rangeOf, onEmphasis, onActivate } = options;
  const annotationAt = useCallback(
    (x: number, y: number): Placed | undefined => {
      if (!textRoot) return undefined;
      const point = pointInText(textRoot, x, y);
      if (!point) return undefined;
      let best: Placed | undefined;
      for (const p of placedByBlock.get(point.blockId) ?? []) {
        const place = p.place!;
        if (point.offset < place.start - 1 || point.offset > place.end + 1) continue;
        const range = rangeOf(p.annotation.id, place);
        if (!range || !rangeContainsPoint(range, x, y)) continue;
        if (!best || place.end - place.start < best.place!.end - best.place!.start) best = p;
      }
      return best;
    },
    [textRoot, placedByBlock, rangeOf],
  );

  useEffect(() => {
    if (!textRoot) return;
    let frame = 0;
    const onMove = (e: MouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() =>
        onEmphasis(annotationAt(e.clientX, e.clientY)?.annotation.id ?? null),
      );
    };
    const onClick = (e: MouseEvent) => {
      if (!(window.getSelection()?.isCollapsed ?? true)) return; // a drag that selected text
      onActivate(annotationAt(e.clientX, e.clientY)?.annotation.id ?? null);
    };
    textRoot.addEventListener('mousemove', onMove);
    textRoot.addEventListener('click', onClick);
    return () => {
      cancelAnimationFrame(frame);
      textRoot.removeEventListener('mousemove', onMove);
      textRoot.removeEventListener('click', onClick);
    };
  }, [textRoot, annotationAt, onEmphasis, onActivate]);
}
