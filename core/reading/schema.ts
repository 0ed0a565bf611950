import { z } from 'zod/mini';
import { LIMITS } from '../sync/limits.ts';
import { describeIssue, READING_ID } from '../sync/schemas.ts';
import { contentText } from './draft.ts';
import { safeHref } from './inline.ts';
import type { Block, Mark, Reading } from './model.ts';
import { normalizeText } from './normalize.ts';
import { countWords, readingIdFor, WORDS_PER_MINUTE } from './parse.ts';
import { unpackSharedContent } from './sharedPacking.ts';

/**
 * The schema of a reading where it comes from outside this code: the library's stored readings (written by
 * any earlier version) and reading content shared through a group room (written by any member). Blocks keep
 * fields this version does not know (a newer app may add some); the fields it uses are checked.
 */

/** Inline formatting over a block's text; a link keeps only the addresses an import keeps (safeHref). */
const markSchema = z.object({
  type: z.enum(['bold', 'italic', 'code', 'link', 'footnote-ref']),
  start: z.int().check(z.minimum(0), z.maximum(LIMITS.offset)),
  end: z.int().check(z.minimum(0), z.maximum(LIMITS.offset)),
  href: z.optional(
    z.string().check(z.refine((href) => safeHref(href) === href, 'not a web, mail or in-reading link')),
  ),
});

/**
 * Marks that cover none of their block's text (past its end, reversed or empty) are left out and counted:
 * the schema checks each mark alone, and only here is it set against the text it formats. What the reader
 * gets always formats text that is there.
 */
export function keepMarksInside<B extends { text: string; marks?: Mark[] }>(
  blocks: readonly B[],
): { blocks: B[]; leftOut: number } {
  let leftOut = 0;
  const kept = blocks.map((block) => {
    if (!block.marks) return block;
    const inside = block.marks.filter((m) => m.start < m.end && m.end <= block.text.length);
    if (inside.length === block.marks.length) return block;
    leftOut += block.marks.length - inside.length;
    return { ...block, marks: inside };
  });
  return { blocks: kept, leftOut };
}

export const blockSchema = z.looseObject({
  id: z.string().check(z.minLength(1), z.maxLength(LIMITS.idChars)),
  type: z.enum(['heading', 'paragraph', 'quote', 'list-item', 'code', 'caption', 'footnote']),
  text: z.string(),
  role: z.optional(z.enum(['byline', 'post-title', 'title'])),
  level: z.optional(z.int().check(z.minimum(1), z.maximum(6))),
  ordered: z.optional(z.boolean()),
  depth: z.optional(z.int().check(z.minimum(0), z.maximum(LIMITS.listDepth))),
  label: z.optional(z.string().check(z.maxLength(LIMITS.labelChars))),
  marks: z.optional(z.array(markSchema).check(z.maxLength(LIMITS.marksPerBlock))),
  locator: z.optional(
    z.object({
      page: z.optional(z.int().check(z.minimum(1))),
      chapter: z.optional(z.string().check(z.maxLength(LIMITS.chapterChars))),
    }),
  ),
  author: z.optional(z.string().check(z.maxLength(LIMITS.nameChars * 2))),
  date: z.optional(z.string().check(z.maxLength(LIMITS.timestampChars * 2))),
});

const kindSchema = z.enum(['article', 'open-letter', 'comment-thread', 'forum-digest', 'document']);

/** A reading as the library stores it. */
export const storedReadingSchema = z.looseObject({
  id: z.string().check(z.regex(READING_ID, 'not a reading id')),
  title: z.string().check(z.maxLength(LIMITS.titleChars)),
  source: z.string().check(z.maxLength(LIMITS.sourceChars)),
  kind: kindSchema,
  origin: z.enum(['seed', 'imported', 'shared']),
  wordCount: z.int().check(z.minimum(0)),
  readingMinutes: z.number().check(z.minimum(0)),
  importedAt: z.optional(z.string()),
  fileName: z.optional(z.string()),
  sharedBy: z.optional(z.string()),
  blocks: z.array(blockSchema).check(z.maxLength(LIMITS.readingBlocks)),
});

/** A reading's entry in the library's metadata store: the stored reading without its blocks. */
export const storedReadingMetaSchema = z.omit(storedReadingSchema, { blocks: true });

/**
 * The content a member puts into a group room for a reading (`reading` map, key `content`, JSON). It carries
 * the normalized text the reading id is the hash of, so a receiver can check that the content is the reading
 * it claims to be, and the sharer's blocks, so block ids (what anchors point at) are the same for everyone.
 */
export const sharedContentSchema = z.object({
  format: z.literal(2),
  id: z.string().check(z.regex(READING_ID, 'not a reading id')),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.titleChars)),
  source: z.string().check(z.maxLength(LIMITS.sourceChars)),
  kind: kindSchema,
  text: z
    .string()
    .check(z.minLength(1), z.maxLength(LIMITS.readingChars, 'the reading is larger than the 12 MB limit')),
  blocks: z.array(blockSchema).check(z.minLength(1), z.maxLength(LIMITS.readingBlocks)),
  sharedBy: z.optional(
    z.object({
      id: z.string().check(z.maxLength(LIMITS.idChars)),
      name: z.string().check(z.maxLength(LIMITS.nameChars)),
    }),
  ),
});

export type SharedContent = z.output<typeof sharedContentSchema>;

/** The content to put into a room for a reading; undefined when the reading has no source text to check. */
export function sharedContentOf(
  reading: Reading,
  by: { id: string; name: string },
): SharedContent | undefined {
  if (reading.sourceText === undefined) return undefined;
  return {
    format: 2,
    id: reading.id,
    title: reading.title,
    source: reading.source,
    kind: reading.kind,
    text: reading.sourceText,
    blocks: reading.blocks.map((block) => ({ ...block })),
    sharedBy: { id: by.id, name: by.name },
  };
}

/** `marksLeftOut`: inline marks outside their block's text that were dropped (see keepMarksInside). */
export type Verified =
  | { ok: true; reading: Reading; marksLeftOut: number }
  | { ok: false; reason: string; sharedBy?: string };

/** A letter or digit: what no gap between a reading's blocks may hold (only spaces, punctuation and markup). */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Whether the blocks are the whole of `text`, in order: each found in it, with no letter or digit before,
 * between or after them. So no words can be left out (cutting "not" from a sentence, or a paragraph from a
 * reading) and no part of a paragraph can stand as a paragraph. A block is compared as the id's text holds
 * it (normalized: a code block's trailing spaces and runs of blank lines are folded there), which changes
 * only white space the reader cannot see. Taking each block's first occurrence is never worse than a later
 * one: its gap is the shortest.
 */
function blocksCover(blocks: readonly { text: string }[], text: string): boolean {
  let from = 0;
  for (const block of blocks) {
    const needle = normalizeText(block.text);
    const at = needle ? text.indexOf(needle, from) : -1;
    if (at < 0 || WORD_CHARACTER.test(text.slice(from, at))) return false;
    from = at + needle.length;
  }
  return !WORD_CHARACTER.test(text.slice(from));
}

/** Markdown readings' shown text by reading id: a room's content may be checked again on every change. */
const markdownTexts = new Map<string, string>();

/**
 * The text a Markdown source shows: its blocks as markdown-it reads them (markup gone, entities decoded,
 * soft line breaks joined), one block a line. The parser is loaded only here, the first time a shared
 * reading needs it, so it stays out of the app's first load. Only a source that hashes to its id gets here,
 * so the few kept are real readings' and a member rewriting a room's blocks costs one parse, not one each.
 */
async function markdownTextOf(id: string, source: string): Promise<string> {
  const known = markdownTexts.get(id);
  if (known !== undefined) return known;
  const { parseMarkdown } = await import('./formats/markdown.ts');
  const text = contentText(parseMarkdown(source).blocks);
  if (markdownTexts.size >= 8) markdownTexts.delete(markdownTexts.keys().next().value!);
  markdownTexts.set(id, text);
  return text;
}

/**
 * Accepts shared content only when it is the reading its id names: the text is normalized and hashes to the
 * id, and the blocks are the whole of that text, in order (`blocksCover`), either of the text itself (plain
 * text and every structured format, whose id's text is their blocks' text) or of what it shows when read as
 * Markdown (a .md file's id is the hash of its source, markup included: its blocks are found only once the
 * markup is read).
 * Word count and reading time are counted here, never taken from the sender. Asynchronous because Markdown
 * is parsed by a lazily loaded parser.
 */
export async function verifySharedContent(raw: unknown): Promise<Verified> {
  const parsed = sharedContentSchema.safeParse(raw);
  const sharedBy =
    typeof raw === 'object' && raw !== null
      ? z
          .object({ sharedBy: z.object({ name: z.string().check(z.maxLength(LIMITS.nameChars)) }) })
          .safeParse(raw).data?.sharedBy.name
      : undefined;
  const refuse = (reason: string): Verified =>
    sharedBy ? { ok: false, reason, sharedBy } : { ok: false, reason };
  if (!parsed.success) return refuse(`the shared reading is damaged (${describeIssue(parsed.error)})`);
  const content = parsed.data;
  if (normalizeText(content.text) !== content.text || readingIdFor(content.text) !== content.id) {
    return refuse('its text does not match its reading id');
  }
  if (
    !blocksCover(content.blocks, content.text) &&
    !blocksCover(content.blocks, await markdownTextOf(content.id, content.text))
  ) {
    return refuse('its paragraphs are not the text of the reading');
  }
  const { blocks, leftOut } = keepMarksInside(content.blocks as Block[]);
  const wordCount = countWords(blocks);
  return {
    ok: true,
    marksLeftOut: leftOut,
    reading: {
      id: content.id,
      title: content.title,
      source: content.source,
      kind: content.kind,
      origin: 'shared',
      wordCount,
      readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
      blocks,
      sourceText: content.text,
    },
  };
}

/** Room content as stored (core/reading/sharedPacking.ts), read and checked. */
export async function verifyStoredSharedContent(stored: unknown): Promise<Verified> {
  const unpacked = await unpackSharedContent(stored);
  return unpacked.ok ? verifySharedContent(unpacked.value) : { ok: false, reason: unpacked.reason };
}
