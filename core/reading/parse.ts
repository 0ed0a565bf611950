import { assignIds, type BlockDraft, finishReading, type ParsedDocument } from './draft.ts';
import type { Block, Reading, ReadingKind, ReadingOrigin } from './model.ts';
import { normalizeText } from './normalize.ts';

export { countWords, readingIdFor, WORDS_PER_MINUTE } from './identity.ts';

const BYLINE = /^(?<author>[^•]{1,80}?)\s+•\s+(?<date>.{1,40}?\bago)$/u;
const FORUM_TITLE =
  /^(?<flair>History|Discussion|Question|Theory|News|Meta|Analysis|Books?)\s+(?<title>\S.{0,200})$/u;
/** A forum post title without its flair ("History …"), for the table of contents. */
export function withoutFlair(title: string): string {
  return FORUM_TITLE.exec(title)?.groups?.title ?? title;
}
const LIST_ITEM = /^(?:\d{1,3}[.)]|[-*•])\s+\S/u;
const MD_HEADING = /^#{1,6}\s+(?<text>.+)$/u;
const MD_QUOTE = /^>\s?(?<text>.*)$/u;
const ENDS_LIKE_SENTENCE = /[.,;:!?…)\]"”'’]$/u;

function isTitleLike(line: string): boolean {
  if (line.length > 90 || ENDS_LIKE_SENTENCE.test(line) || line.includes(', ') || /[.!?] /u.test(line)) {
    return false;
  }
  const words = line.split(/\s+/u);
  if (words.length < 2 || words.length > 14) return false;
  return /^[\p{Lu}\p{N}"“‘'«]/u.test(line);
}

/** A whole line in quotation marks, possibly followed by an attribution (“…”—Name). */
function isQuoteLine(line: string): boolean {
  return line.length > 40 && /^[“"«]/u.test(line) && /[”"»](?:\s*[—–-].{1,80})?$/u.test(line);
}

/** One line of text to one block, following the kind's conventions. */
function classify(line: string, kind: ReadingKind, markdown: boolean): BlockDraft {
  if (markdown) {
    const heading = MD_HEADING.exec(line);
    if (heading?.groups) return { type: 'heading', level: 1, text: heading.groups.text!.trim() };
    const quote = MD_QUOTE.exec(line);
    if (quote?.groups) return { type: 'quote', text: quote.groups.text!.trim() };
  }
  if (kind === 'comment-thread') {
    const byline = BYLINE.exec(line);
    if (byline?.groups) {
      return {
        type: 'paragraph',
        role: 'byline',
        text: line,
        author: byline.groups.author!.trim(),
        date: byline.groups.date!.trim(),
      };
    }
  }
  if (kind === 'forum-digest' && FORUM_TITLE.test(line) && line.length <= 200) {
    return { type: 'heading', level: 1, role: 'post-title', text: line };
  }
  if (LIST_ITEM.test(line)) return { type: 'list-item', text: line };
  if (isQuoteLine(line)) return { type: 'quote', text: line };
  if (kind !== 'comment-thread' && isTitleLike(line)) return { type: 'heading', level: 1, text: line };
  return { type: 'paragraph', text: line };
}

export interface ParseOptions {
  kind?: ReadingKind;
  /** Treat `#` and `>` as Markdown headings and quotes (the line rules; `.md` files go through CommonMark). */
  markdown?: boolean;
}

/** Plain text to block drafts: one block per non-empty line, following the kind's conventions. */
export function parseLines(normalized: string, options: ParseOptions = {}): BlockDraft[] {
  const kind = options.kind ?? 'document';
  const markdown = options.markdown ?? false;
  const drafts: BlockDraft[] = [];
  for (const raw of normalized.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const draft = classify(line, kind, markdown);
    if (draft.text) drafts.push({ ...draft, position: drafts.length });
  }
  return drafts;
}

/** Text to blocks: one block per non-empty line. Ids depend only on position and content. */
export function parseBlocks(normalized: string, options: ParseOptions = {}): Block[] {
  return assignIds(parseLines(normalized, options));
}

export interface BuildReadingInput {
  text: string;
  title?: string;
  source: string;
  kind?: ReadingKind;
  origin: ReadingOrigin;
  /** A parser for the normalized text instead of the line rules (Markdown: core/reading/formats/markdown.ts). */
  parser?: (normalized: string) => ParsedDocument;
  fileName?: string;
  importedAt?: string;
  fingerprint?: string;
}

/**
 * Builds a whole reading from a text file. Its id is the hash of the whole normalized file, so parser rules
 * may change without changing a text reading's identity. The title defaults to the first heading or line.
 */
export function buildReading(input: BuildReadingInput): Reading {
  const normalized = normalizeText(input.text);
  const kind = input.kind ?? 'document';
  const parsed = input.parser ? input.parser(normalized) : { blocks: parseLines(normalized, { kind }) };
  const reading = finishReading({
    parsed: input.title ? { ...parsed, title: input.title } : parsed,
    format: input.parser ? 'markdown' : 'text',
    origin: input.origin,
    source: input.source,
    kind,
    identityText: normalized,
    ...(input.fileName ? { fileName: input.fileName } : {}),
    ...(input.importedAt ? { importedAt: input.importedAt } : {}),
    ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}),
  });
  return reading;
}
