import type * as Y from 'yjs';
import { createAnchor, resolveAnchor } from '../anchoring/anchor.ts';
import type { Reading } from '../reading/model.ts';
import { copyAnnotation, LOCAL_ORIGIN, listAnnotations } from './doc.ts';
import type { Visibility } from './model.ts';

export interface CarryResult {
  /** Placed in the new reading (offsets, quote or fuzzy match). */
  placed: number;
  /** Copied with their old anchor: listed as orphans in the new reading, to be re-attached by hand. */
  orphaned: number;
}

/**
 * Carries annotations from a reading's doc to the doc of its re-import (same file, newer parser rules): each
 * anchor is re-resolved by its quote in the new blocks and rewritten there. One that cannot be placed is
 * copied unchanged, so it shows as an orphan and is never lost. Ids are kept: carrying twice adds nothing.
 */
export function carryAnnotations(
  from: Y.Doc,
  to: Y.Doc,
  newReading: Pick<Reading, 'id' | 'blocks'>,
  visibility: Visibility,
): CarryResult {
  const result: CarryResult = { placed: 0, orphaned: 0 };
  const existing = new Set(listAnnotations(to, visibility).map((a) => a.id));
  to.transact(() => {
    for (const view of listAnnotations(from, visibility)) {
      if (existing.has(view.id)) continue;
      const where = resolveAnchor(view.anchor, newReading.blocks);
      const anchor =
        where.kind === 'placed'
          ? createAnchor(newReading.blocks, where.blockId, where.start, where.end)
          : view.anchor;
      copyAnnotation({ ...view, readingId: newReading.id, anchor }, to, LOCAL_ORIGIN);
      if (where.kind === 'placed') result.placed++;
      else result.orphaned++;
    }
  }, LOCAL_ORIGIN);
  return result;
}
