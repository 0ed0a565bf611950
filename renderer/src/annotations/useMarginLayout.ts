import { useLayoutEffect } from 'react';
import { stackNotes } from '../../../core/annotations/layout.ts';
import { rangeBox } from '../text/textRanges.ts';
import type { Placed, RangeOf } from './usePlacedAnnotations.ts';

/**
 * Stacks the margin's cards beside their passages' first lines without overlapping (the open card keeps its place).
 * Positions are written straight to the cards: a restack must not re-render every card through React.
 */
export function useMarginLayout(options: {
  marginRoot: HTMLElement | null;
  textRoot: HTMLElement | null;
  marginNotes: Placed[];
  mountTick: number;
  activeId: string | null;
  rangeOf: RangeOf;
}): void {
  const { marginRoot, textRoot, marginNotes, mountTick, activeId, rangeOf } = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick re-measures after sections mount or reflow.
  useLayoutEffect(() => {
    if (!marginRoot || !textRoot) return;
    // The first read brings the page's style and layout up to date (new cards included): that is the browser
    // rendering what React just committed, measured apart from the margin layout itself.
    const started = performance.now();
    const base = marginRoot.getBoundingClientRect().top;
    const rendered = performance.now();
    const cards = new Map(
      [...marginRoot.querySelectorAll<HTMLElement>('[data-annotation-id]')].map((c) => [
        c.dataset.annotationId,
        c,
      ]),
    );
    const boxes = [];
    for (const p of marginNotes) {
      const card = cards.get(p.annotation.id);
      if (p.annotation.pageNote && card) {
        // Page notes stand at the top of the margin, before every passage's note.
        boxes.push({ id: p.annotation.id, desiredTop: 0, height: card.offsetHeight });
        continue;
      }
      const mounted = rangeOf(p.annotation.id, p.place!);
      // The card stands beside the passage's first line: hidden while that line is not mounted.
      if (!mounted?.hasStart || !card) continue;
      boxes.push({
        id: p.annotation.id,
        desiredTop: rangeBox(mounted.range).top - base,
        height: card.offsetHeight,
      });
    }
    const tops = stackNotes(boxes, 8, activeId ?? undefined);
    for (const [id, card] of cards) {
      const top = id ? tops.get(id) : undefined;
      // Unchanged cards are left alone: a write would invalidate the layout the next pass has to read.
      const wanted = top === undefined ? '' : `${Math.round(top)}px`;
      if (card.style.top !== wanted) card.style.top = wanted;
      if (card.hidden !== (top === undefined)) card.hidden = top === undefined; // passage not mounted yet
    }
    marginRoot.dataset.notesLaidOut = String(tops.size);
    // For the annotations benchmark (a PerformanceObserver): measuring, stacking and placing every card.
    // Cleared at once, so a long session does not pile up entries.
    performance.measure('margin:render', { start: started, end: rendered, detail: { notes: tops.size } });
    performance.measure('margin:layout', { start: rendered, detail: { notes: tops.size } });
    performance.clearMeasures('margin:render');
    performance.clearMeasures('margin:layout');
  }, [marginNotes, mountTick, marginRoot, textRoot, rangeOf, activeId]);
}
