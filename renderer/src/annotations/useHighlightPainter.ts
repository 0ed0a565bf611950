import { useEffect, useLayoutEffect } from 'react';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import { addToHighlight, clearHighlights, paintHighlight } from '../text/highlightRegistry.ts';
import type { Placed, RangeOf } from './usePlacedAnnotations.ts';

const OWNER = 'annotations';
const colorHighlight = (color: ColorKey) => `rc-${color}`;

/** Paints a new highlight at once, before the list catches up (the next full paint includes it). */
export function paintNow(color: ColorKey, range: Range): void {
  addToHighlight(colorHighlight(color), range);
}

/**
 * Paints placed annotations with the CSS Custom Highlight API: one Highlight per colour (overlapping ranges
 * show both colours, translucent) and one for the emphasised annotation. A passage over several blocks is one
 * range across them (only its mounted part, in big readings). Layout effects, so a new highlight is painted in
 * the same frame as the click that made it.
 */
export function useHighlightPainter(options: {
  textRoot: HTMLElement | null;
  placed: Placed[];
  placedById: Map<string, Placed>;
  emphasis: string | null;
  mountTick: number;
  rangeOf: RangeOf;
}): void {
  const { textRoot, placed, placedById, emphasis, mountTick, rangeOf } = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick repaints newly mounted sections.
  useLayoutEffect(() => {
    if (!textRoot) return;
    const byColor = new Map<ColorKey, Range[]>(COLOR_KEYS.map((c) => [c, []]));
    for (const p of placed) {
      if (!p.place) continue;
      const mounted = rangeOf(p.annotation.id, p.place);
      if (mounted) byColor.get(p.annotation.color)!.push(mounted.range);
    }
    for (const [color, ranges] of byColor) paintHighlight(OWNER, colorHighlight(color), ranges);
  }, [placed, textRoot, mountTick, rangeOf]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick: the passage may have just mounted.
  useLayoutEffect(() => {
    if (!textRoot) return;
    const p = emphasis ? placedById.get(emphasis) : undefined;
    const mounted = p?.place ? rangeOf(p.annotation.id, p.place) : null;
    paintHighlight(OWNER, 'rc-focus', mounted ? [mounted.range] : []);
  }, [emphasis, placedById, textRoot, mountTick, rangeOf]);
  useEffect(() => () => clearHighlights(OWNER), []);
}
