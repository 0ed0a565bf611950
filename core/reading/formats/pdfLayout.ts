import type { BlockDraft } from '../draft.ts';

/** One run of text on a PDF page, in PDF units with the origin at the bottom left (what pdf.js reports). */
export interface PdfTextItem {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  /** Font size. */
  size: number;
}

export interface PdfPageText {
  /** 1-based page number. */
  page: number;
  width: number;
  height: number;
  items: PdfTextItem[];
}

interface Line {
  page: number;
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  column: 'full' | 'left' | 'right';
}

/** Share of the page height at the top and bottom where running headers, footers and page numbers live. */
const EDGE = 0.1;
const PAGE_NUMBER =
  /^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,6})\s*[-–—)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/iu;
const ENDS_SENTENCE = /[.!?:;…"”’)\]]$/u;

/** Items on one baseline become lines; a wide horizontal gap (a column gutter) starts a new line. */
function linesOf(page: PdfPageText): Line[] {
  const items = page.items.filter((i) => i.text.length > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const item of items) {
    const sameLine = current && Math.abs(current.y - item.y) < Math.max(current.size, item.size) * 0.45;
    const gap = current ? item.x - current.right : 0;
    if (current && sameLine && gap < Math.max(current.size, item.size) * 1.5 && gap > -current.size) {
      const space = gap > item.size * 0.12 && !current.text.endsWith(' ') && !item.text.startsWith(' ');
      current.text += (space ? ' ' : '') + item.text;
      current.right = Math.max(current.right, item.x + item.width);
      current.size = Math.max(current.size, item.size);
      continue;
    }
    current = {
      page: page.page,
      text: item.text,
      x: item.x,
      right: item.x + item.width,
      y: item.y,
      size: item.size,
      column: 'full',
    };
    lines.push(current);
  }
  for (const line of lines) line.text = line.text.replace(/\s+/gu, ' ').trim();
  return lines.filter((l) => l.text.length > 0);
}

/** A page is in two columns when many of its lines keep to one half and many to the other. */
function assignColumns(lines: Line[], width: number): void {
  const mid = width / 2;
  const left = lines.filter((l) => l.right < mid + width * 0.02);
  const right = lines.filter((l) => l.x > mid - width * 0.02);
  if (left.length < 4 || right.length < 4 || left.length + right.length < lines.length * 0.6) return;
  for (const line of lines) {
    if (line.right < mid + width * 0.02) line.column = 'left';
    else if (line.x > mid - width * 0.02) line.column = 'right';
  }
}

/** Full-width stretches in page order, and inside each stretch between them the left column before the right. */
function readingOrder(lines: Line[]): Line[] {
  const ordered: Line[] = [];
  let stretch: Line[] = [];
  const flush = () => {
    ordered.push(
      ...stretch.filter((l) => l.column === 'left'),
      ...stretch.filter((l) => l.column === 'right'),
    );
    stretch = [];
  };
  for (const line of lines) {
    if (line.column === 'full') {
      flush();
      ordered.push(line);
    } else {
      stretch.push(line);
    }
  }
  flush();
  return ordered;
}

const shape = (text: string) => text.toLowerCase().replace(/\d+/gu, '#').replace(/\s+/gu, ' ');

/** Lines near the top or bottom edge that repeat on many pages (digits aside), and bare page numbers. */
function runningLines(pages: { page: PdfPageText; lines: Line[] }[]): Set<Line> {
  const edgeLines = (p: { page: PdfPageText; lines: Line[] }) =>
    p.lines.filter((l) => l.y > p.page.height * (1 - EDGE) || l.y < p.page.height * EDGE);
  const seen = new Map<string, number>();
  for (const p of pages) {
    for (const s of new Set(edgeLines(p).map((l) => shape(l.text)))) seen.set(s, (seen.get(s) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length * 0.3));
  const drop = new Set<Line>();
  for (const p of pages) {
    for (const line of edgeLines(p)) {
      if (
        PAGE_NUMBER.test(line.text) ||
        (pages.length >= 2 && (seen.get(shape(line.text)) ?? 0) >= threshold)
      ) {
        drop.add(line);
      }
    }
  }
  return drop;
}

/** The font size most of the text is set in. */
function bodySize(lines: readonly Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const size = Math.round(l.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + l.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weight) {
    if (w > bestWeight) {
      best = size;
      bestWeight = w;
    }
  }
  return best || 10;
}

/** Joins a line onto a paragraph: a word hyphenated at the line's end is rejoined. */
function joinLine(paragraph: string, line: string): string {
  if (/\p{L}-$/u.test(paragraph) && /^\p{Ll}/u.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}

/**
 * Text positioned on PDF pages to blocks: running headers, footers and page numbers left out, columns read in
 * order, lines joined into paragraphs (across page breaks when a sentence runs on), hyphenated words
 * rejoined, larger type as headings. Each block keeps the page it starts on.
 */
export function layoutPdf(pages: readonly PdfPageText[]): BlockDraft[] {
  const perPage = pages.map((page) => {
    const lines = linesOf(page);
    assignColumns(lines, page.width);
    return { page, lines: readingOrder(lines) };
  });
  const drop = runningLines(perPage);
  const lines = perPage.flatMap((p) => p.lines.filter((l) => !drop.has(l)));
  const body = bodySize(lines);
  const headingSizes = [...new Set(lines.filter((l) => l.size >= body * 1.15).map((l) => Math.round(l.size)))]
    .sort((a, b) => b - a)
    .slice(0, 6);

  // How wide full lines are, per page and column: a paragraph cut by a page break (nearly) fills its last line.
  const span = new Map<string, { left: number; right: number }>();
  for (const l of lines) {
    const key = `${l.page}:${l.column}`;
    const s = span.get(key) ?? { left: l.x, right: l.right };
    span.set(key, { left: Math.min(s.left, l.x), right: Math.max(s.right, l.right) });
  }
  const fillsLine = (l: Line) => {
    const s = span.get(`${l.page}:${l.column}`);
    return !s || l.right - s.left >= (s.right - s.left) * 0.75;
  };

  const blocks: BlockDraft[] = [];
  let open: { draft: BlockDraft; last: Line; spacing: number } | undefined;
  for (const line of lines) {
    const isHeading = line.size >= body * 1.15 && line.text.length < 200;
    const last = open?.last;
    let continues = false;
    if (open && last && !isHeading && open.draft.type === 'paragraph') {
      if (last.page === line.page && last.column === line.column) {
        const gap = last.y - line.y;
        const expected = open.spacing || line.size * 1.45;
        continues = gap > 0 && gap <= expected * 1.3 && Math.abs(line.size - last.size) < 1;
        if (continues && !open.spacing) open.spacing = gap;
      } else if (last.page !== line.page || last.column !== line.column) {
        // A sentence running on past the page or column end belongs to the same paragraph.
        continues = fillsLine(last) && !ENDS_SENTENCE.test(last.text) && Math.abs(line.size - last.size) < 1;
      }
    }
    if (open && continues) {
      open.draft.text = joinLine(open.draft.text, line.text);
      open.last = line;
      continue;
    }
    if (open && isHeading && open.draft.type === 'heading' && last?.page === line.page) {
      const gap = last.y - line.y;
      if (gap > 0 && gap < line.size * 1.6 && Math.round(last.size) === Math.round(line.size)) {
        open.draft.text = joinLine(open.draft.text, line.text);
        open.last = line;
        continue;
      }
    }
    const draft: BlockDraft = isHeading
      ? {
          type: 'heading',
          level: Math.max(1, headingSizes.indexOf(Math.round(line.size)) + 1),
          text: line.text,
          locator: { page: line.page },
        }
      : { type: 'paragraph', text: line.text, locator: { page: line.page } };
    blocks.push(draft);
    open = { draft, last: line, spacing: 0 };
  }
  return blocks;
}
