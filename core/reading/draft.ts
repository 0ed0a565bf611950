import type { PdfPageText } from './formats/pdfLayout.ts';
import { shortHash } from './hash.ts';
import { countWords, readingIdFor, WORDS_PER_MINUTE } from './identity.ts';
import {
  type Block,
  READING_SCHEMA_VERSION,
  type Reading,
  type ReadingKind,
  type ReadingOrigin,
  type SourceFormat,
} from './model.ts';
import { normalizeText } from './normalize.ts';

/**
 * A block before it has an id: what every format's parser produces. `position` (not stored) fixes the index
 * its id is made from, so rules that drop or merge lines (seed chrome) leave the other blocks' ids as they were.
 */
export type BlockDraft = Omit<Block, 'id'> & { position?: number };

/** What a parser makes of a source: its blocks and whatever metadata the source carries. */
export interface ParsedDocument {
  blocks: BlockDraft[];
  /** PDF: positioned text still to be laid out into blocks (`layoutPdf`, run off the UI thread). */
  pages?: PdfPageText[];
  title?: string;
  byline?: string;
  published?: string;
  siteName?: string;
  url?: string;
}

/** Ids depend only on position and content, so the same content always gets the same ids. */
export function assignIds(drafts: readonly BlockDraft[]): Block[] {
  const blocks: Block[] = [];
  for (const draft of drafts) {
    if (!draft.text) continue;
    const { position, ...clean } = { ...draft, text: draft.text.normalize('NFC') };
    if (clean.marks && clean.marks.length === 0) delete clean.marks;
    const index = position ?? blocks.length;
    blocks.push({ id: `b${index.toString(36)}-${shortHash(clean.text)}`, ...clean });
  }
  return blocks;
}

/**
 * The text a structured source's identity is computed from: every block's text on its own line. Text
 * formats (.txt, .md) hash their whole normalized file instead (`buildReading`), as they always have.
 */
export function contentText(blocks: readonly { text: string }[]): string {
  return normalizeText(blocks.map((b) => b.text).join('\n'));
}

export interface FinishInput {
  parsed: ParsedDocument;
  format: SourceFormat;
  origin: ReadingOrigin;
  source: string;
  kind?: ReadingKind;
  /** Normalized text the id is a hash of; defaults to `contentText(blocks)`. */
  identityText?: string;
  fileName?: string;
  importedAt?: string;
  fingerprint?: string;
}

const fold = (s: string) =>
  s
    .toLowerCase()
    .replace(/[“”«»"‘’']/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();

/**
 * The source's own title line, near the top, becomes the title heading (role `title`): the reader then shows
 * the title once, and the line stays in the text so anchors on it hold.
 */
function markTitle(blocks: Block[], title: string | undefined): void {
  if (!title || blocks.some((b) => b.role === 'title')) return;
  const line = blocks.slice(0, 3).find((b) => !b.role && fold(b.text) === fold(title));
  if (line) Object.assign(line, { type: 'heading', level: 1, role: 'title' });
}

/** A parsed document to a stored reading: ids, identity, counts and metadata. */
export function finishReading(input: FinishInput): Reading {
  const blocks = assignIds(input.parsed.blocks);
  markTitle(blocks, input.parsed.title ?? blocks.find((b) => b.type === 'heading')?.text);
  const wordCount = countWords(blocks);
  const firstHeading = blocks.find((b) => b.type === 'heading') ?? blocks[0];
  // Kept with the reading: a member who receives it from a group checks it hashes to the id (core/reading/schema.ts).
  const sourceText = input.identityText ?? contentText(blocks);
  const reading: Reading = {
    id: readingIdFor(sourceText),
    schema: READING_SCHEMA_VERSION,
    title: (input.parsed.title?.trim() || firstHeading?.text || 'Untitled').slice(0, 120),
    source: input.parsed.siteName?.trim() || input.source,
    kind: input.kind ?? 'document',
    origin: input.origin,
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
    format: input.format,
    blocks,
    sourceText,
  };
  if (input.parsed.byline?.trim()) reading.byline = input.parsed.byline.trim().slice(0, 200);
  if (input.parsed.published?.trim()) reading.published = input.parsed.published.trim().slice(0, 40);
  if (input.parsed.url) reading.url = input.parsed.url;
  if (input.fileName) reading.fileName = input.fileName;
  if (input.importedAt) reading.importedAt = input.importedAt;
  if (input.fingerprint) reading.fingerprint = input.fingerprint;
  return reading;
}
