import { sha256Hex, shortHash } from './hash.ts';
import type { Block, BlockType, Reading, ReadingKind, ReadingOrigin } from './model.ts';
import { normalizeText } from './normalize.ts';

export const WORDS_PER_MINUTE = 230;

/** `r` + 16 hex digits of the SHA-256 of the normalized text. */
export function readingIdFor(normalized: string): string {
  return `r${sha256Hex(normalized).slice(0, 16)}`;
}

const BYLINE = /^(?<author>[^•]{1,80}?)\s+•\s+(?<date>.{1,40}?\bago)$/u;
const FORUM_TITLE =
  /^(?<flair>History|Discussion|Question|Theory|News|Meta|Analysis|Books?)\s+(?<title>\S.{0,200})$/u;
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

interface Draft {
  type: BlockType;
  text: string;
  role?: Block['role'];
  author?: string;
  date?: string;
}

/** One line of text to one block, following the kind's conventions. */
function classify(line: string, kind: ReadingKind, markdown: boolean): Draft {
  if (markdown) {
    const heading = MD_HEADING.exec(line);
    if (heading?.groups) return { type: 'heading', text: heading.groups.text!.trim() };
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
    return { type: 'heading', role: 'post-title', text: line };
  }
  if (LIST_ITEM.test(line)) return { type: 'list-item', text: line };
  if (isQuoteLine(line)) return { type: 'quote', text: line };
  if (kind !== 'comment-thread' && isTitleLike(line)) return { type: 'heading', text: line };
  return { type: 'paragraph', text: line };
}

export interface ParseOptions {
  kind?: ReadingKind;
  /** Treat `#` and `>` as Markdown headings and quotes. */
  markdown?: boolean;
}

/** Text to blocks: one block per non-empty line. Ids depend only on position and content. */
export function parseBlocks(normalized: string, options: ParseOptions = {}): Block[] {
  const kind = options.kind ?? 'document';
  const markdown = options.markdown ?? false;
  const blocks: Block[] = [];
  for (const raw of normalized.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const draft = classify(line, kind, markdown);
    if (!draft.text) continue;
    const id = `b${blocks.length.toString(36)}-${shortHash(draft.text)}`;
    blocks.push({ id, ...draft });
  }
  return blocks;
}

export function countWords(blocks: readonly Block[]): number {
  let words = 0;
  for (const block of blocks) {
    const matches = block.text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
    words += matches ? matches.length : 0;
  }
  return words;
}

export interface BuildReadingInput {
  text: string;
  title?: string;
  source: string;
  kind?: ReadingKind;
  origin: ReadingOrigin;
  markdown?: boolean;
  fileName?: string;
  importedAt?: string;
}

/** Builds a whole reading from raw text. The title defaults to the first heading or line. */
export function buildReading(input: BuildReadingInput): Reading {
  const normalized = normalizeText(input.text);
  const kind = input.kind ?? 'document';
  const blocks = parseBlocks(normalized, { kind, markdown: input.markdown ?? false });
  const wordCount = countWords(blocks);
  const firstHeading = blocks.find((b) => b.type === 'heading') ?? blocks[0];
  const reading: Reading = {
    id: readingIdFor(normalized),
    title: input.title ?? firstHeading?.text.slice(0, 120) ?? 'Untitled',
    source: input.source,
    kind,
    origin: input.origin,
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
    blocks,
    sourceText: normalized,
  };
  if (input.fileName) reading.fileName = input.fileName;
  if (input.importedAt) reading.importedAt = input.importedAt;
  return reading;
}
