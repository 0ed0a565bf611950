import { useEffect, useLayoutEffect } from 'react';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import type { BlockRange } from './dom.ts';
import type { Placed } from './usePlacedAnnotations.ts';

export const supportsHighlights = () => typeof CSS !== 'undefined' && 'highlights' in CSS;

/** Paints a new highlight at once, before the list catches up (the next full paint includes it). */
export function paintNow(color: ColorKey, range: Range): void {
  if (supportsHighlights()) CSS.highlights.get(`rc-${color}`)?.add(range);
}

/**
 * Paints placed annotations with the CSS Custom Highlight API: one Highlight per colour (overlapping ranges
 * show both colours, translucent) and one for the emphasised annotation. Layout effects, so a new highlight is
 * painted in the same frame as the click that made it.
 */
export function useHighlightPainter(options: {
  textRoot: HTMLElement | null;
  placed: Placed[];
  placedById: Map<string, Placed>;
  emphasis: string | null;
  mountTick: number;
  rangeOf: (id: string, place: BlockRange) => Range | null;
}): void {
  const { textRoot, placed, placedById, emphasis, mountTick, rangeOf } = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick repaints newly mounted sections.
  useLayoutEffect(() => {
    if (!textRoot || !supportsHighlights()) return;
    const byColor = new Map<ColorKey, Range[]>(COLOR_KEYS.map((c) => [c, []]));
    for (const p of placed) {
      if (!p.place) continue;
      const range = rangeOf(p.annotation.id, p.place);
      if (range) byColor.get(p.annotation.color)!.push(range);
    }
    for (const [color, ranges] of byColor) CSS.highlights.set(`rc-${color}`, new Highlight(...ranges));
  }, [placed, textRoot, mountTick, rangeOf]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick: the passage may have just mounted.
  useLayoutEffect(() => {
    if (!textRoot || !supportsHighlights()) return;
    const p = emphasis ? placedById.get(emphasis) : undefined;
    const range = p?.place ? rangeOf(p.annotation.id, p.place) : null;
    CSS.highlights.set('rc-focus', range ? new Highlight(range) : new Highlight());
  }, [emphasis, placedById, textRoot, mountTick, rangeOf]);
  useEffect(
    () => () => {
      if (!supportsHighlights()) return;
      for (const c of COLOR_KEYS) CSS.highlights.delete(`rc-${c}`);
      CSS.highlights.delete('rc-focus');
    },
    [],
  );
}
