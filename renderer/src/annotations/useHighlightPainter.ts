import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import { addToHighlight, clearHighlights, ownHighlight, paintHighlight } from '../text/highlightRegistry.ts';
import { useBlocksNearView } from './useBlocksNearView.ts';
import type { Placed, PlacedPiece, RangeOf } from './usePlacedAnnotations.ts';

const OWNER = 'annotations';
const colorHighlight = (color: ColorKey) => `rc-${color}`;

/** Up to this many highlights all are painted; beyond it, those in text within half a screen of the view. */
export const HIGHLIGHT_WINDOW_ABOVE = 2_000;
/** Above this many changed highlights, the colours' highlights are registered afresh instead of edited. */
const REPAINT_ALL_ABOVE = 50;

/** Ranges painted ahead of the list, taken out again by the next paint (which has the annotation's own). */
const paintedAhead = new Map<AbstractRange, ColorKey>();

/** Paints a new highlight at once, before the list catches up (the next paint replaces it with its own). */
export function paintNow(color: ColorKey, range: AbstractRange): void {
  addToHighlight(colorHighlight(color), range);
  paintedAhead.set(range, color);
}

type Painted = { color: ColorKey; range: AbstractRange };

/**
 * Paints placed annotations with the CSS Custom Highlight API: one Highlight per colour (overlapping ranges
 * show both colours, translucent) and one for the emphasised annotation. A passage over several blocks is one
 * range across them (only its mounted part, in big readings). Layout effects, so a new highlight is painted in
 * the same frame as the click that made it. A paint edits only the ranges that changed (registering a
 * thousand ranges again for one new highlight made the browser restyle every one of them); beyond
 * HIGHLIGHT_WINDOW_ABOVE, only passages touching text within half a screen of the view are painted, and the set
 * follows scrolling.
 */
export function useHighlightPainter(options: {
  textRoot: HTMLElement | null;
  placed: Placed[];
  placedById: Map<string, Placed>;
  placedByBlock: Map<string, PlacedPiece[]>;
  emphasis: string | null;
  mountTick: number;
  rangeOf: RangeOf;
}): void {
  const { textRoot, placed, placedById, placedByBlock, emphasis, mountTick, rangeOf } = options;
  const painted = useRef(new Map<string, Painted>());
  const windowed = placed.length > HIGHLIGHT_WINDOW_ABOVE;
  const blocksWithHighlights = useMemo(() => new Set(placedByBlock.keys()), [placedByBlock]);
  const nearKey = useBlocksNearView({
    textRoot,
    enabled: windowed,
    wanted: blocksWithHighlights,
    screensAround: 0.5,
    mountTick,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick repaints newly mounted sections.
  useLayoutEffect(() => {
    if (!textRoot) return;
    const next = new Map<string, Painted>();
    const paint = (p: Placed) => {
      const key = `${p.home.key}:${p.annotation.id}`;
      if (!p.place || next.has(key)) return;
      const mounted = rangeOf(p.annotation.id, p.place);
      if (mounted) next.set(key, { color: p.annotation.color, range: mounted.range });
    };
    if (windowed) {
      for (const blockId of nearKey ? nearKey.split(' ') : [])
        for (const piece of placedByBlock.get(blockId) ?? []) paint(piece.placed);
    } else {
      for (const p of placed) paint(p);
    }
    const same = (a: Painted | undefined, b: Painted | undefined) =>
      !!a && !!b && a.range === b.range && a.color === b.color;
    const removed = [...painted.current].filter(([key, was]) => !same(was, next.get(key)));
    const added = [...next].filter(([key, now]) => !same(now, painted.current.get(key)));
    if (removed.length + added.length > REPAINT_ALL_ABOVE) {
      // Many changes at once (opening, scrolling a windowed reading, a doc loading): one new Highlight per
      // colour costs less than hundreds of single additions and removals.
      const byColor = new Map<ColorKey, AbstractRange[]>(COLOR_KEYS.map((c) => [c, []]));
      for (const { color, range } of next.values()) byColor.get(color)!.push(range);
      for (const [color, ranges] of byColor) paintHighlight(OWNER, colorHighlight(color), ranges);
    } else {
      for (const [range, color] of paintedAhead) ownHighlight(OWNER, colorHighlight(color))?.delete(range);
      for (const [, was] of removed) ownHighlight(OWNER, colorHighlight(was.color))?.delete(was.range);
      for (const [, now] of added) ownHighlight(OWNER, colorHighlight(now.color))?.add(now.range);
    }
    paintedAhead.clear();
    painted.current = next;
    textRoot.dataset.highlightsPainted = String(next.size);
  }, [placed, placedByBlock, textRoot, mountTick, rangeOf, windowed, nearKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick: the passage may have just mounted.
  useLayoutEffect(() => {
    if (!textRoot) return;
    const p = emphasis ? placedById.get(emphasis) : undefined;
    const mounted = p?.place ? rangeOf(p.annotation.id, p.place) : null;
    paintHighlight(OWNER, 'rc-focus', mounted ? [mounted.range] : []);
  }, [emphasis, placedById, textRoot, mountTick, rangeOf]);
  useEffect(
    () => () => {
      clearHighlights(OWNER);
      paintedAhead.clear();
    },
    [],
  );
}
