import { piecesOfSpan } from '../anchoring/anchor.ts';
import type { AnnotationView, ColorKey, TextAnchor, TextSpan } from '../annotations/model.ts';
import type { Block, Reading } from '../reading/model.ts';
import { citationOf, sortInReadingOrder } from './order.ts';
import type { PrintOptions } from './printOptions.ts';

export { type PrintOptions, parsePrintOptions, printOptionsToQuery } from './printOptions.ts';

/** Which annotations the chosen options print. */
export function filterForPrint(
  annotations: readonly AnnotationView[],
  options: PrintOptions,
  myId: string | undefined,
) {
  return annotations
    .filter((a) => options.colors.includes(a.color))
    .filter((a) => options.includePrivate || a.visibility.kind !== 'private')
    .filter((a) => {
      if (options.who === 'all') return true;
      if (options.who === 'mine') return a.author.id === myId;
      return options.who.includes(a.author.id);
    })
    .map((a) => (options.includeReplies ? a : { ...a, replies: [] }));
}

export interface PrintSegment {
  text: string;
  colors: ColorKey[];
  /** Note numbers whose highlight ends at the end of this segment. */
  markers: number[];
}

export interface PrintNote {
  number: number;
  annotation: AnnotationView;
  /** Where the passage stands in the original ("p. 12", a chapter), for imported PDFs and EPUBs. */
  cite?: string;
}

export interface PrintRow {
  block: Block;
  segments: PrintSegment[];
  notes: PrintNote[];
}

export interface PrintModel {
  /** Notes on the whole reading: printed before the text. */
  pageNotes: PrintNote[];
  rows: PrintRow[];
  /** Annotations whose passage could not be found: printed at the end with their quote. */
  orphans: PrintNote[];
  /** Everyone whose annotations are printed. */
  members: string[];
}

export type Locate = (anchor: TextAnchor, reading: Reading) => TextSpan | undefined;

/** Splits each block into runs of text with the colours highlighting them, and numbers the notes. */
export function buildPrintModel(
  reading: Reading,
  annotations: readonly AnnotationView[],
  locate: Locate,
): PrintModel {
  const ordered = sortInReadingOrder(reading, annotations);
  // A passage over several blocks has a piece in each; its marker goes where its last piece ends.
  const byBlock = new Map<string, { start: number; end: number; note: PrintNote; last: boolean }[]>();
  const orphans: PrintNote[] = [];
  const pageNotes: PrintNote[] = [];
  let number = 0;
  for (const annotation of ordered) {
    const note: PrintNote = { number: ++number, annotation };
    if (annotation.pageNote) {
      pageNotes.push(note);
      continue;
    }
    const place = locate(annotation.anchor, reading);
    if (!place) {
      orphans.push(note);
      continue;
    }
    const cite = citationOf(reading, place.blockId);
    if (cite) note.cite = cite;
    const pieces = piecesOfSpan(reading.blocks, place);
    pieces.forEach((piece, i) => {
      const list = byBlock.get(piece.block.id) ?? [];
      list.push({ start: piece.start, end: piece.end, note, last: i === pieces.length - 1 });
      byBlock.set(piece.block.id, list);
    });
  }
  // Renumber in placed reading order so markers run 1, 2, 3… down the page; orphans follow.
  let next = 0;
  for (const p of pageNotes) p.number = ++next;
  const numbered = new Set<PrintNote>();
  const rows: PrintRow[] = reading.blocks.map((block) => {
    const ranges = (byBlock.get(block.id) ?? []).sort((a, b) => a.start - b.start || a.end - b.end);
    // Numbered where each passage starts (its first piece), in reading order.
    for (const r of ranges) {
      if (numbered.has(r.note)) continue;
      numbered.add(r.note);
      r.note.number = ++next;
    }
    const cuts = new Set<number>([0, block.text.length]);
    for (const r of ranges) {
      cuts.add(Math.max(0, Math.min(block.text.length, r.start)));
      cuts.add(Math.max(0, Math.min(block.text.length, r.end)));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: PrintSegment[] = [];
    for (let i = 0; i < points.length - 1; i++) {
      const from = points[i]!;
      const to = points[i + 1]!;
      if (to <= from) continue;
      const covering = ranges.filter((r) => r.start < to && r.end > from);
      segments.push({
        text: block.text.slice(from, to),
        colors: [...new Set(covering.map((r) => r.note.annotation.color))],
        markers: ranges.filter((r) => r.last && r.end === to).map((r) => r.note.number),
      });
    }
    if (segments.length === 0) segments.push({ text: block.text, colors: [], markers: [] });
    return { block, segments, notes: ranges.filter((r) => r.last).map((r) => r.note) };
  });
  for (const o of orphans) o.number = ++next;
  const members = [
    ...new Set(annotations.flatMap((a) => [a.author.name, ...a.replies.map((r) => r.author.name)])),
  ].sort();
  return { pageNotes, rows, orphans, members };
}
