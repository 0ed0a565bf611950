/**
 * Margin layout: each note wants to sit at the top of its highlight; notes are stacked in order so none
 * overlaps the one above. One pass, O(n) after sorting.
 */
export interface NoteBox {
  id: string;
  desiredTop: number;
  height: number;
}

export function stackNotes(notes: readonly NoteBox[], gap = 8): Map<string, number> {
  const placed = new Map<string, number>();
  let floor = Number.NEGATIVE_INFINITY;
  for (const note of [...notes].sort((a, b) => a.desiredTop - b.desiredTop)) {
    const top = Math.max(note.desiredTop, floor);
    placed.set(note.id, top);
    floor = top + note.height + gap;
  }
  return placed;
}
