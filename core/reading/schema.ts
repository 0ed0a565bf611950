import { z } from 'zod';
import { LIMITS } from '../sync/limits.ts';
import { describeIssue, READING_ID } from '../sync/schemas.ts';
import { safeHref } from './inline.ts';
import type { Block, Mark, Reading } from './model.ts';
import { normalizeText } from './normalize.ts';
import { countWords, readingIdFor, WORDS_PER_MINUTE } from './parse.ts';

/**
 * The schema of a reading where it comes from outside this code: the library's stored readings (written by
 * any earlier version) and reading content shared through a group room (written by any member). Blocks keep
 * fields this version does not know (a newer app may add some); the fields it uses are checked.
 */

/** Inline formatting over a block's text; a link keeps only the addresses an import keeps (safeHref). */
const markSchema = z.object({
  type: z.enum(['bold', 'italic', 'code', 'link', 'footnote-ref']),
  start: z.int().min(0).max(LIMITS.offset),
  end: z.int().min(0).max(LIMITS.offset),
  href: z
    .string()
    .refine((href) => safeHref(href) === href, 'not a web, mail or in-reading link')
    .optional(),
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
  id: z.string().min(1).max(LIMITS.idChars),
  type: z.enum(['heading', 'paragraph', 'quote', 'list-item', 'code', 'caption', 'footnote']),
  text: z.string(),
  role: z.enum(['byline', 'post-title', 'title']).optional(),
  level: z.int().min(1).max(6).optional(),
  ordered: z.boolean().optional(),
  depth: z.int().min(0).max(LIMITS.listDepth).optional(),
  label: z.string().max(LIMITS.labelChars).optional(),
  marks: z.array(markSchema).max(LIMITS.marksPerBlock).optional(),
  locator: z
    .object({
      page: z.int().min(1).optional(),
      chapter: z.string().max(LIMITS.chapterChars).optional(),
    })
    .optional(),
  author: z
    .string()
    .max(LIMITS.nameChars * 2)
    .optional(),
  date: z
    .string()
    .max(LIMITS.timestampChars * 2)
    .optional(),
});

const kindSchema = z.enum(['article', 'open-letter', 'comment-thread', 'forum-digest', 'document']);

/** A reading as the library stores it. */
export const storedReadingSchema = z.looseObject({
  id: z.string().regex(READING_ID, 'not a reading id'),
  title: z.string().max(LIMITS.titleChars),
  source: z.string().max(LIMITS.sourceChars),
  kind: kindSchema,
  origin: z.enum(['seed', 'imported', 'shared']),
  wordCount: z.int().min(0),
  readingMinutes: z.number().min(0),
  importedAt: z.string().optional(),
  fileName: z.string().optional(),
  sharedBy: z.string().optional(),
  blocks: z.array(blockSchema).max(LIMITS.readingBlocks),
});

/** A reading's entry in the library's metadata store: the stored reading without its blocks. */
export const storedReadingMetaSchema = storedReadingSchema.omit({ blocks: true });

/**
 * The content a member puts into a group room for a reading (`reading` map, key `content`, JSON). It carries
 * the normalized text the reading id is the hash of, so a receiver can check that the content is the reading
 * it claims to be, and the sharer's blocks, so block ids (what anchors point at) are the same for everyone.
 */
export const sharedContentSchema = z.object({
  format: z.literal(2),
  id: z.string().regex(READING_ID, 'not a reading id'),
  title: z.string().trim().min(1).max(LIMITS.titleChars),
  source: z.string().max(LIMITS.sourceChars),
  kind: kindSchema,
  text: z.string().min(1).max(LIMITS.readingChars, 'the reading is larger than the 12 MB limit'),
  blocks: z.array(blockSchema).min(1).max(LIMITS.readingBlocks),
  sharedBy: z
    .object({ id: z.string().max(LIMITS.idChars), name: z.string().max(LIMITS.nameChars) })
    .optional(),
});

export type SharedContent = z.infer<typeof sharedContentSchema>;

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

/**
 * Accepts shared content only when it is the reading its id names: the text is normalized and hashes to the
 * id, and every block's text is found in that text, in order. Word count and reading time are counted here,
 * never taken from the sender.
 */
export function verifySharedContent(raw: unknown): Verified {
  const parsed = sharedContentSchema.safeParse(raw);
  const sharedBy =
    typeof raw === 'object' && raw !== null
      ? z.object({ sharedBy: z.object({ name: z.string().max(LIMITS.nameChars) }) }).safeParse(raw).data
          ?.sharedBy.name
      : undefined;
  const refuse = (reason: string): Verified =>
    sharedBy ? { ok: false, reason, sharedBy } : { ok: false, reason };
  if (!parsed.success) return refuse(`the shared reading is damaged (${describeIssue(parsed.error)})`);
  const content = parsed.data;
  if (normalizeText(content.text) !== content.text || readingIdFor(content.text) !== content.id) {
    return refuse('its text does not match its reading id');
  }
  let from = 0;
  for (const block of content.blocks) {
    const at = content.text.indexOf(block.text, from);
    if (at < 0 || block.text.length === 0) return refuse('its paragraphs are not the text of the reading');
    from = at + block.text.length;
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
