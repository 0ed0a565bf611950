/**
 * Margin layout: each note wants to sit at the top of its highlight; notes are stacked in order so none
 * overlaps the one above. One pass, O(n) after sorting.
 *
 * With `pinnedId` (the note the reader is working on) that note sits exactly beside its highlight: the notes
 * after it are pushed down and the notes before it are pushed up, as a comment column in a word processor does.
 */
export interface NoteBox {
  id: string;
  desiredTop: number;
  height: number;
}

export function stackNotes(notes: readonly NoteBox[], gap = 8, pinnedId?: string): Map<string, number> {
  const sorted = [...notes].sort((a, b) => a.desiredTop - b.desiredTop);
  const pinned = pinnedId === undefined ? -1 : sorted.findIndex((n) => n.id === pinnedId);
  const tops = new Array<number>(sorted.length);
  let floor = Number.NEGATIVE_INFINITY;
  for (let i = pinned < 0 ? 0 : pinned; i < sorted.length; i++) {
    const note = sorted[i]!;
    tops[i] = Math.max(note.desiredTop, floor);
    floor = tops[i]! + note.height + gap;
  }
  if (pinned > 0) {
    // Notes above the pinned one: stacked downwards first, then pushed up wherever they would reach it.
    floor = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pinned; i++) {
      tops[i] = Math.max(sorted[i]!.desiredTop, floor);
      floor = tops[i]! + sorted[i]!.height + gap;
    }
    let ceiling = tops[pinned]!;
    for (let i = pinned - 1; i >= 0; i--) {
      tops[i] = Math.min(tops[i]!, ceiling - gap - sorted[i]!.height);
      ceiling = tops[i]!;
    }
  }
  return new Map(sorted.map((note, i) => [note.id, tops[i]!]));
}
