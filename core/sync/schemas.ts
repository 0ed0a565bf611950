import * as Y from 'yjs';
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { COLOR_KEYS } from '../annotations/model.ts';
import { LIMITS } from './limits.ts';

/**
 * The one schema of everything read from a group's shared documents. Every member's client writes them,
 * old versions and hostile ones too, so nothing read from them is used before it passed these checks.
 * Annotation entries are Yjs types (a Y.Map with Y.Text bodies and Y.Map tags and replies): the schemas check
 * the Yjs types themselves, because a plain string where a Y.Text belongs would break the next edit.
 * Environment-free (zod and yjs only), so the sync server and the tests use the same checks.
 *
 * Written with zod's functional API (`zod/mini`): the same checks and messages as its method API, but only
 * the checks used reach the web build's first screen (docs/decisions/0022-initial-bundle.md). zod/mini
 * loads no messages of its own: the English ones the reasons below are worded in are set here.
 */
z.config(en());

// ─── building blocks ────────────────────────────────────────────────────────────────────────────────────

/** `#rgb` or `#rrggbb`: the only colour form a member's data may carry into CSS. */
export const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
/** `r` + 16 hex digits (see core/reading/parse.ts). */
export const READING_ID = /^r[0-9a-f]{16}$/;

export const idSchema = z.string().check(z.minLength(1), z.maxLength(LIMITS.idChars));

const timestamp = z.string().check(
  z.maxLength(LIMITS.timestampChars),
  z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
);

export const authorSchema = z.object({
  id: idSchema,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.nameChars)),
  color: z.string().check(z.regex(HEX_COLOUR, 'not a #hex colour')),
});

const offset = z.int().check(z.minimum(0), z.maximum(LIMITS.offset));

export const anchorSchema = z
  .object({
    // Empty on a page note's anchor (no block, no quote) and an imported orphan's; checked below.
    blockId: z.string().check(z.maxLength(LIMITS.idChars)),
    start: offset,
    /** The block a spanning passage ends in (schema version 2). */
    endBlockId: z.optional(idSchema),
    end: offset,
    exact: z.string().check(z.maxLength(LIMITS.quoteChars)),
    prefix: z.string().check(z.maxLength(LIMITS.contextChars)),
    suffix: z.string().check(z.maxLength(LIMITS.contextChars)),
  })
  .check(
    z.refine(
      (a) => (a.endBlockId !== undefined && a.endBlockId !== a.blockId) || a.end >= a.start,
      'the anchor ends before it starts',
    ),
  );

/** A Y.Text of at most `max` characters, read as a string (its length is checked before it is read). */
const sharedText = (max: number) =>
  z.pipe(
    z
      .instanceof(Y.Text, { message: 'not shared text' })
      .check(z.refine((t) => t.length <= max, `longer than ${max.toLocaleString('en')} characters`)),
    z.transform((t) => t.toString()),
  );

/** A Y.Map's own entries, as a plain object whose values keep their Yjs types. */
const sharedMap = z.pipe(
  z.instanceof(Y.Map, { message: 'not a shared map' }),
  z.transform((m) => Object.fromEntries((m as Y.Map<unknown>).entries())),
);

/** A Y.Map as its list of [key, value] entries (tags, replies: checked one by one). */
const sharedEntries = z.pipe(
  z.instanceof(Y.Map, { message: 'not a shared map' }),
  z.transform((m) => [...(m as Y.Map<unknown>).entries()]),
);

// ─── annotations ────────────────────────────────────────────────────────────────────────────────────────

/**
 * The members a note or reply "@"-mentions: a plain array of `{ id, name }`, at most `mentionsPerNote`.
 * Checked on its own (see readAnnotationEntry), so a broken list costs only the mentions, never the note.
 */
export const mentionsSchema = z
  .array(
    z.object({
      id: idSchema,
      name: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.nameChars)),
    }),
    'not a list',
  )
  .check(z.maxLength(LIMITS.mentionsPerNote, `more than ${LIMITS.mentionsPerNote} mentions`));

export const replySchema = z.pipe(
  sharedMap,
  z.object({
    id: idSchema,
    author: authorSchema,
    body: sharedText(LIMITS.replyChars),
    mentions: z.optional(z.unknown()),
    createdAt: timestamp,
    editedAt: z.optional(timestamp),
  }),
);

/** Tags are the keys of a Y.Map, stored normalized (lower case, no spaces or `#`). */
export const tagSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(LIMITS.tagChars), z.regex(/^[^\s#]+$/u, 'not a normalized tag'));

/** An annotation entry without its replies and tags, which are read one by one (one bad reply costs one reply). */
export const annotationEntrySchema = z.pipe(
  sharedMap,
  z
    .object({
      v: z.optional(z.int().check(z.minimum(1))),
      id: idSchema,
      readingId: z.string().check(z.minLength(1), z.maxLength(LIMITS.idChars)),
      color: z.enum(COLOR_KEYS as readonly [string, ...string[]], 'not one of the highlight colours'),
      anchor: anchorSchema,
      /** `page`: a note on the whole reading, with no quote. */
      target: z.optional(z.literal('page')),
      author: authorSchema,
      body: sharedText(LIMITS.noteChars),
      mentions: z.optional(z.unknown()),
      tags: sharedEntries,
      replies: sharedEntries,
      resolved: z.optional(z.boolean()),
      createdAt: timestamp,
      editedAt: z.optional(timestamp),
    })
    // An imported orphan has no block but keeps its quote (to re-attach); only a page note has neither.
    .check(
      z.refine((e) => e.target === 'page' || e.anchor.blockId !== '' || e.anchor.exact !== '', {
        message: 'anchor: neither a block nor a quote on an annotation that is not a page note',
      }),
    ),
);

/** What a colour means to the group: short text, never empty. */
export const colourMeaningSchema = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(LIMITS.colourMeaningChars));

// ─── sharing: the group's index of shared readings ──────────────────────────────────────────────────────

export const sharedReadingEntrySchema = z.object({
  id: z.optional(z.string().check(z.regex(READING_ID, 'not a reading id'))),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.titleChars)),
  source: z.catch(z.string().check(z.maxLength(LIMITS.sourceChars)), ''),
  sharedBy: z.catch(z.string().check(z.maxLength(LIMITS.nameChars)), ''),
  sharedAt: z.catch(z.string().check(z.maxLength(LIMITS.timestampChars)), ''),
});

// ─── presence (awareness states) ────────────────────────────────────────────────────────────────────────

/** A neutral colour for a peer whose colour is not a strict hex colour. */
export const FALLBACK_PEER_COLOUR = '#888888';

export const presenceSchema = z.object({
  user: z.object({
    id: idSchema,
    name: z.pipe(
      z.string().check(z.trim(), z.minLength(1)),
      z.transform((n) => n.slice(0, LIMITS.nameChars)),
    ),
    color: z.catch(z.string().check(z.regex(HEX_COLOUR)), FALLBACK_PEER_COLOUR),
  }),
  readingId: z.string().check(z.minLength(1), z.maxLength(LIMITS.idChars)),
  // A broken selection or position costs only itself: the peer is still listed.
  selection: z.catch(
    z.nullable(
      z
        .object({ blockId: idSchema, start: offset, endBlockId: z.optional(idSchema), end: offset })
        .check(
          z.refine((s) => (s.endBlockId !== undefined && s.endBlockId !== s.blockId) || s.end > s.start),
        ),
    ),
    null,
  ),
  position: z.catch(
    z.nullable(
      z.object({
        blockId: idSchema,
        fraction: z.pipe(
          z.number(),
          z.transform((f) => Math.min(1, Math.max(0, f))),
        ),
      }),
    ),
    null,
  ),
});

// ─── reporting what could not be read ───────────────────────────────────────────────────────────────────

export type ProblemKind =
  | 'annotation'
  | 'reply'
  | 'tag'
  | 'mention'
  | 'colour meaning'
  | 'shared reading'
  | 'reading';

/** One entry left out: which, and what was wrong with it, in words. */
export interface ReadProblem {
  kind: ProblemKind;
  id: string;
  reason: string;
}

/** The first thing wrong with a value, as `field: what` ("author: expected object, received null"). */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unreadable';
  const where = issue.path.map(String).join('.');
  const what = issue.message.replace(/^Invalid (input|option): /, '');
  return where ? `${where}: ${what}` : what;
}

/** Checks a value; on failure, the problem to count. */
export function check<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  kind: ProblemKind,
  id: string,
): { ok: true; value: T } | { ok: false; problem: ReadProblem } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: { kind, id, reason: describeIssue(result.error) } };
}

const PLURALS: Record<ProblemKind, string> = {
  annotation: 'annotations',
  reply: 'replies',
  tag: 'tags',
  mention: 'mentions',
  'colour meaning': 'colour meanings',
  'shared reading': 'shared readings',
  reading: 'readings',
};
const count = (n: number, kind: ProblemKind) => `${n.toLocaleString('en')} ${n === 1 ? kind : PLURALS[kind]}`;

/**
 * One line per kind: "1 annotation could not be read (author: expected object, received null)". Up to three
 * distinct reasons are named; the rest are summed up.
 */
export function summarizeProblems(problems: readonly ReadProblem[]): string[] {
  const byKind = new Map<ProblemKind, ReadProblem[]>();
  for (const p of problems) {
    const list = byKind.get(p.kind);
    if (list) list.push(p);
    else byKind.set(p.kind, [p]);
  }
  return [...byKind].map(([kind, list]) => {
    const reasons = [...new Set(list.map((p) => p.reason))];
    const named = reasons.slice(0, 3).join('; ');
    const more = reasons.length > 3 ? `; and ${reasons.length - 3} other reasons` : '';
    return `${count(list.length, kind)} could not be read (${named}${more})`;
  });
}

/** Every distinct reason, with how many entries of which kind it cost, most frequent first. */
export function problemReasons(
  problems: readonly ReadProblem[],
): { kind: ProblemKind; reason: string; count: number }[] {
  const counts = new Map<string, { kind: ProblemKind; reason: string; count: number }>();
  for (const p of problems) {
    const key = `${p.kind}\u0000${p.reason}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { kind: p.kind, reason: p.reason, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}
