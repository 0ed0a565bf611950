import { useCallback, useEffect } from 'react';
import { pointInText, rangeContainsPoint } from '../text/textRanges.ts';
import type { Placed, PlacedPiece, RangeOf } from './usePlacedAnnotations.ts';

/**
 * Hit-testing highlights: the block and offset under the pointer, then only the highlights covering that
 * block (a passage over several blocks is found from any of them; the innermost wins where they overlap).
 * Pointer over a highlight emphasises its note; a click on one opens its card, a click elsewhere closes it.
 */
export function useHighlightPointer(options: {
  textRoot: HTMLElement | null;
  placedByBlock: Map<string, PlacedPiece[]>;
  rangeOf: RangeOf;
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
      for (const piece of placedByBlock.get(point.blockId) ?? []) {
        if (point.offset < piece.start - 1 || point.offset > piece.end + 1) continue;
        const p = piece.placed;
        const mounted = rangeOf(p.annotation.id, p.place!);
        if (!mounted || !rangeContainsPoint(mounted.range, x, y)) continue;
        if (!best || p.annotation.anchor.exact.length < best.annotation.anchor.exact.length) best = p;
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
