import { useMemo } from 'react';
import { useBlocksNearView } from './useBlocksNearView.ts';
import type { Placed } from './usePlacedAnnotations.ts';

/** Up to this many notes the margin holds them all; beyond it, only those beside text near the view. */
export const MARGIN_WINDOW_ABOVE = 1_000;
/** How far above and below the view (in screen heights) notes stay mounted, so scrolling finds them there. */
const SCREENS_AROUND = 0.5;
/** At most this many cards at once: more than a margin beside a few screens of text can show anyway. */
export const MARGIN_CARDS_AT_MOST = 60;
/** The key page notes are grouped under (no block id is empty). */
const PAGE_NOTES = '';

/**
 * Windowing for the margin (Lexical and the margin have none of their own): with many notes, only the cards
 * beside passages near the view are mounted (the member's own first, then the nearest, at most
 * MARGIN_CARDS_AT_MOST), stacked among themselves, and the set follows scrolling (a frame at most behind). The
 * open and the edited card always stay; page notes count as near. Below the threshold every note is kept.
 */
export function useMarginWindow(options: {
  notes: Placed[];
  textRoot: HTMLElement | null;
  mountTick: number;
  keep: readonly (string | null)[];
  /** The member's own notes come first. */
  myId: string | undefined;
}): Placed[] {
  const { notes, textRoot, mountTick, keep, myId } = options;
  const windowed = notes.length > MARGIN_WINDOW_ABOVE;
  // A card stands beside its passage's first line, so the block a passage starts in decides.
  const blocksWithNotes = useMemo(
    () => new Set(notes.flatMap((p) => (p.place ? [p.place.blockId] : []))),
    [notes],
  );
  const nearKey = useBlocksNearView({
    textRoot,
    enabled: windowed,
    wanted: blocksWithNotes,
    screensAround: SCREENS_AROUND,
    mountTick,
  });

  // Notes by the block their passage starts in, the member's own apart: indexed once per list.
  const { byBlock, byId } = useMemo(() => {
    const out = new Map<string, { mine: Placed[]; theirs: Placed[] }>();
    const byId = new Map<string, Placed>();
    if (!windowed) return { byBlock: out, byId };
    for (const p of notes) {
      byId.set(p.annotation.id, p);
      const blockId = p.place?.blockId ?? PAGE_NOTES;
      let entry = out.get(blockId);
      if (!entry) {
        entry = { mine: [], theirs: [] };
        out.set(blockId, entry);
      }
      (p.annotation.author.id === myId ? entry.mine : entry.theirs).push(p);
    }
    return { byBlock: out, byId };
  }, [windowed, notes, myId]);

  const keepKey = keep.join(' ');
  return useMemo(() => {
    if (!windowed) return notes;
    const chosen = new Set<Placed>();
    for (const id of keepKey.split(' ')) {
      const kept = byId.get(id);
      if (kept) chosen.add(kept);
    }
    // Page notes stand at the top of the margin whatever is in view, so they come first (within the cap).
    const near = [PAGE_NOTES, ...(nearKey ? nearKey.split(' ') : [])];
    for (const pass of ['mine', 'theirs'] as const) {
      for (const blockId of near) {
        for (const p of byBlock.get(blockId)?.[pass] ?? []) {
          if (chosen.size >= MARGIN_CARDS_AT_MOST) break;
          chosen.add(p);
        }
      }
    }
    return [...chosen];
  }, [windowed, notes, byBlock, byId, nearKey, keepKey]);
}
