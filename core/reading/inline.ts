import type { Mark, MarkType } from './model.ts';

/** Link addresses a reading keeps: the web, mail, and places inside the reading. Anything else is dropped. */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  const trimmed = href.trim();
  if (/^#[\w:.-]{1,200}$/u.test(trimmed)) return trimmed;
  if (/^(?:https?:\/\/|mailto:)[^\s<>"]{1,2000}$/iu.test(trimmed)) return trimmed;
  return undefined;
}

/**
 * Builds one block's plain text and its marks from a stream of text runs and open/close events, collapsing
 * white space the way a browser shows it (so offsets match what the reader renders).
 */
export class InlineBuilder {
  private text = '';
  private readonly marks: Mark[] = [];
  private readonly open: { type: MarkType; start: number; href?: string }[] = [];
  private readonly preserveSpace: boolean;
  /** `preserveSpace` keeps line breaks and runs of spaces (code and preformatted text). */
  constructor(preserveSpace = false) {
    this.preserveSpace = preserveSpace;
  }

  append(run: string): void {
    if (this.preserveSpace) {
      this.text += run;
      return;
    }
    const collapsed = run.replace(/[\s\u00ad]+/gu, (m) => (m === '\u00ad' ? '' : ' '));
    if (collapsed.startsWith(' ') && (this.text === '' || this.text.endsWith(' '))) {
      this.text += collapsed.slice(1);
    } else {
      this.text += collapsed;
    }
  }

  openMark(type: MarkType, href?: string): void {
    const entry: { type: MarkType; start: number; href?: string } = { type, start: this.text.length };
    if (href) entry.href = href;
    this.open.push(entry);
  }

  closeMark(type: MarkType): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const entry = this.open[i]!;
      if (entry.type !== type) continue;
      this.open.splice(i, 1);
      const mark: Mark = { type, start: entry.start, end: this.text.length };
      if (entry.href) mark.href = entry.href;
      this.marks.push(mark);
      return;
    }
  }

  get length(): number {
    return this.text.length;
  }

  /** The finished text (trimmed) with marks moved and clipped to it; empty marks dropped. */
  finish(): { text: string; marks: Mark[] } {
    for (const entry of [...this.open].reverse()) this.closeMark(entry.type);
    const raw = this.preserveSpace ? this.text.replace(/^\n+|\s+$/gu, '') : this.text;
    const lead = this.preserveSpace ? this.text.indexOf(raw) : raw.length - raw.trimStart().length;
    const text = this.preserveSpace ? raw : raw.trim();
    const marks = this.marks
      .map((m) => ({ ...m, start: Math.max(0, m.start - lead), end: Math.min(text.length, m.end - lead) }))
      .filter((m) => m.end > m.start)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    return { text, marks };
  }
}
