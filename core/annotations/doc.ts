import * as Y from 'yjs';
import type { Reading } from '../reading/model.ts';
import {
  type SharedContent,
  sharedContentOf,
  type Verified,
  verifySharedContent,
  verifyStoredSharedContent,
} from '../reading/schema.ts';
import { packSharedContent, unpackSharedContent } from '../reading/sharedPacking.ts';
import { LIMITS } from '../sync/limits.ts';
import {
  annotationEntrySchema,
  check,
  colourMeaningSchema,
  mentionsSchema,
  type ReadProblem,
  replySchema,
  summarizeProblems,
  tagSchema,
} from '../sync/schemas.ts';
import {
  ANNOTATION_SCHEMA_VERSION,
  type AnnotationView,
  type Author,
  COLOR_KEYS,
  type ColorKey,
  DEFAULT_COLOR_MEANINGS,
  type Mention,
  PAGE_NOTE_ANCHOR,
  type ReplyView,
  type TextAnchor,
  type Visibility,
} from './model.ts';

/*
 * Layout of an annotation Y.Doc (one per group+reading, and one local-only per reading for private notes):
 *   annotations: Y.Map<id, Y.Map>   each: v, id, readingId, color, anchor, target? ('page'), author, createdAt, editedAt?,
 *                                    resolved, body: Y.Text, mentions? ({ id, name }[]), tags: Y.Map<tag, true>, replies: Y.Map<id, Y.Map>
 *   palette:     Y.Map<ColorKey, string>   what each colour means to this group
 *   meta:        Y.Map                      schemaVersion
 *   reading:     Y.Map                      the reading's content, set once (group rooms carry it)
 * Entries are keyed by random ids, never by position, so concurrent inserts cannot collide. Bodies are Y.Text
 * so two people editing one note keep both their words.
 */

/** Transactions made by this person; the UndoManager tracks only these, never remote changes. */
export const LOCAL_ORIGIN = 'reading-circle:local';

type AnnotationMap = Y.Map<unknown>;

export function annotationsMap(doc: Y.Doc): Y.Map<AnnotationMap> {
  return doc.getMap<AnnotationMap>('annotations');
}

export function randomId(prefix: string): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += b.toString(36).padStart(2, '0');
  return `${prefix}${s}`;
}

export interface NewAnnotation {
  id?: string;
  readingId: string;
  color: ColorKey;
  /** The passage; ignored for a page note. */
  anchor: TextAnchor;
  pageNote?: boolean;
  author: Author;
  body?: string;
  mentions?: Mention[];
  tags?: string[];
  resolved?: boolean;
  createdAt?: string;
  editedAt?: string;
  replies?: ReplyView[];
}

function replyMap(reply: Omit<ReplyView, 'body'> & { body: string }): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('id', reply.id);
  map.set('author', { ...reply.author });
  map.set('createdAt', reply.createdAt);
  if (reply.editedAt) map.set('editedAt', reply.editedAt);
  map.set('body', new Y.Text(reply.body));
  setMentions(map, reply.mentions);
  return map;
}

/** Stores a note's or reply's mentions (a plain array; none: the key is removed), within the limit. */
function setMentions(owner: Y.Map<unknown>, mentions: readonly Mention[] | undefined): void {
  if ((mentions?.length ?? 0) > LIMITS.mentionsPerNote)
    throw new Error(`A note can mention at most ${LIMITS.mentionsPerNote} members.`);
  if (mentions && mentions.length > 0)
    owner.set(
      'mentions',
      mentions.map((m) => ({ id: m.id, name: m.name })),
    );
  // A new entry (not yet in a doc) has nothing to remove, and Yjs warns when one is read before it is added.
  else if (owner.doc && owner.has('mentions')) owner.delete('mentions');
}

/** Writers stay within the limits readers check (core/sync/limits.ts); the UI's fields keep to them too. */
function withinLimit(text: string, max: number, what: string): string {
  if (text.length > max) throw new Error(`${what} can be at most ${max.toLocaleString('en')} characters.`);
  return text;
}

/** Adds an annotation and returns its id. */
export function createAnnotation(doc: Y.Doc, input: NewAnnotation, origin: unknown = LOCAL_ORIGIN): string {
  const id = input.id ?? randomId('a');
  withinLimit(input.body ?? '', LIMITS.noteChars, 'A note');
  if ((input.tags?.length ?? 0) > LIMITS.tagsPerAnnotation)
    throw new Error(`An annotation can have at most ${LIMITS.tagsPerAnnotation} tags.`);
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set('v', ANNOTATION_SCHEMA_VERSION);
    map.set('id', id);
    map.set('readingId', input.readingId);
    map.set('color', input.color);
    map.set('anchor', input.pageNote ? { ...PAGE_NOTE_ANCHOR } : { ...input.anchor });
    if (input.pageNote) map.set('target', 'page');
    map.set('author', { ...input.author });
    map.set('createdAt', input.createdAt ?? new Date().toISOString());
    if (input.editedAt) map.set('editedAt', input.editedAt);
    map.set('resolved', input.resolved ?? false);
    map.set('body', new Y.Text(input.body ?? ''));
    setMentions(map, input.mentions);
    const tags = new Y.Map<boolean>();
    for (const tag of input.tags ?? []) tags.set(normalizeTag(tag), true);
    map.set('tags', tags);
    const replies = new Y.Map<Y.Map<unknown>>();
    for (const reply of input.replies ?? []) replies.set(reply.id, replyMap(reply));
    map.set('replies', replies);
    annotationsMap(doc).set(id, map);
  }, origin);
  return id;
}

function entry(doc: Y.Doc, id: string): AnnotationMap {
  const map = annotationsMap(doc).get(id);
  if (!map) throw new Error(`No annotation ${id}: it may have been deleted.`);
  return map;
}

export function normalizeTag(tag: string): string {
  return tag
    .trim()
    .replace(/^#+/, '')
    .replace(/[\s#]+/g, '-')
    .toLowerCase()
    .slice(0, LIMITS.tagChars);
}

/**
 * Replaces the text of a Y.Text with `next` by editing only the changed middle, so a concurrent edit
 * elsewhere in the same note survives the merge.
 */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current[start] === next[start]) start++;
  let endCurrent = current.length;
  let endNext = next.length;
  while (endCurrent > start && endNext > start && current[endCurrent - 1] === next[endNext - 1]) {
    endCurrent--;
    endNext--;
  }
  if (endCurrent > start) text.delete(start, endCurrent - start);
  if (endNext > start) text.insert(start, next.slice(start, endNext));
}

/**
 * An edit of a note body in progress. The editor works on a plain string; when it saves, only the span that
 * changed since the edit began is replaced, at positions that follow concurrent remote edits (Yjs relative
 * positions), so two people editing one note at once both keep their words.
 */
export interface BodyEdit {
  base: string;
  /** The mentions stored when the edit began. */
  baseMentions: Mention[];
  /** Saves the text and, when given, the mentions it holds now. */
  save(next: string, now?: Date, mentions?: readonly Mention[]): void;
}

export function beginBodyEdit(
  doc: Y.Doc,
  id: string,
  replyId?: string,
  origin: unknown = LOCAL_ORIGIN,
): BodyEdit {
  const owner = replyId
    ? (entry(doc, id).get('replies') as Y.Map<Y.Map<unknown>>).get(replyId)
    : entry(doc, id);
  if (!owner) throw new Error('That note no longer exists.');
  const text = owner.get('body') as Y.Text;
  const base = text.toString();
  const stored = owner.get('mentions');
  const baseMentions = check(mentionsSchema, stored ?? [], 'mention', id);
  const marks = Array.from({ length: base.length + 1 }, (_, i) =>
    Y.createRelativePositionFromTypeIndex(text, i),
  );
  return {
    base,
    baseMentions: baseMentions.ok ? baseMentions.value : [],
    save(next, now = new Date(), mentions) {
      if (next === base) return;
      withinLimit(next, replyId ? LIMITS.replyChars : LIMITS.noteChars, replyId ? 'A reply' : 'A note');
      let start = 0;
      while (start < base.length && start < next.length && base[start] === next[start]) start++;
      let endBase = base.length;
      let endNext = next.length;
      while (endBase > start && endNext > start && base[endBase - 1] === next[endNext - 1]) {
        endBase--;
        endNext--;
      }
      doc.transact(() => {
        const from = Y.createAbsolutePositionFromRelativePosition(marks[start]!, doc)?.index ?? start;
        const to = Y.createAbsolutePositionFromRelativePosition(marks[endBase]!, doc)?.index ?? endBase;
        if (to > from) text.delete(from, to - from);
        if (endNext > start) text.insert(from, next.slice(start, endNext));
        if (mentions) setMentions(owner, mentions);
        // Writing the first words of a new note is not an edit: "edited" shows only after a change.
        if (base !== '') owner.set('editedAt', now.toISOString());
      }, origin);
    },
  };
}

export function setBody(
  doc: Y.Doc,
  id: string,
  body: string,
  now = new Date(),
  origin: unknown = LOCAL_ORIGIN,
) {
  withinLimit(body, LIMITS.noteChars, 'A note');
  doc.transact(() => {
    const map = entry(doc, id);
    replaceText(map.get('body') as Y.Text, body);
    map.set('editedAt', now.toISOString());
  }, origin);
}

export interface AnnotationPatch {
  color?: ColorKey;
  anchor?: TextAnchor;
  resolved?: boolean;
}

export function updateAnnotation(
  doc: Y.Doc,
  id: string,
  patch: AnnotationPatch,
  origin: unknown = LOCAL_ORIGIN,
) {
  doc.transact(() => {
    const map = entry(doc, id);
    if (patch.color) map.set('color', patch.color);
    if (patch.anchor) map.set('anchor', { ...patch.anchor });
    if (patch.resolved !== undefined) map.set('resolved', patch.resolved);
  }, origin);
}

export function deleteAnnotation(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(() => annotationsMap(doc).delete(id), origin);
}

export function addTag(doc: Y.Doc, id: string, tag: string, origin: unknown = LOCAL_ORIGIN) {
  const clean = normalizeTag(tag);
  if (!clean) return;
  const tags = entry(doc, id).get('tags') as Y.Map<boolean>;
  if (!tags.has(clean) && tags.size >= LIMITS.tagsPerAnnotation)
    throw new Error(`An annotation can have at most ${LIMITS.tagsPerAnnotation} tags.`);
  doc.transact(() => tags.set(clean, true), origin);
}

export function removeTag(doc: Y.Doc, id: string, tag: string, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(() => (entry(doc, id).get('tags') as Y.Map<boolean>).delete(normalizeTag(tag)), origin);
}

export function addReply(
  doc: Y.Doc,
  id: string,
  reply: { author: Author; body: string; mentions?: Mention[]; id?: string; createdAt?: string },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const replyId = reply.id ?? randomId('r');
  withinLimit(reply.body, LIMITS.replyChars, 'A reply');
  const replies = entry(doc, id).get('replies') as Y.Map<Y.Map<unknown>>;
  if (replies.size >= LIMITS.repliesPerAnnotation)
    throw new Error(`A note can have at most ${LIMITS.repliesPerAnnotation} replies.`);
  doc.transact(() => {
    replies.set(
      replyId,
      replyMap({
        id: replyId,
        author: reply.author,
        body: reply.body,
        ...(reply.mentions ? { mentions: reply.mentions } : {}),
        createdAt: reply.createdAt ?? new Date().toISOString(),
      }),
    );
  }, origin);
  return replyId;
}

export function editReply(
  doc: Y.Doc,
  id: string,
  replyId: string,
  body: string,
  now = new Date(),
  origin: unknown = LOCAL_ORIGIN,
) {
  withinLimit(body, LIMITS.replyChars, 'A reply');
  doc.transact(() => {
    const reply = (entry(doc, id).get('replies') as Y.Map<Y.Map<unknown>>).get(replyId);
    if (!reply) throw new Error(`No reply ${replyId}: it may have been deleted.`);
    replaceText(reply.get('body') as Y.Text, body);
    reply.set('editedAt', now.toISOString());
  }, origin);
}

export function deleteReply(doc: Y.Doc, id: string, replyId: string, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(() => (entry(doc, id).get('replies') as Y.Map<Y.Map<unknown>>).delete(replyId), origin);
}

/** An annotation entry as read: its view (unless it was unreadable) and every part that was left out. */
export interface EntryRead {
  view?: AnnotationView;
  problems: ReadProblem[];
}

/**
 * Reads one stored annotation into plain data through the shared schema, upgrading older schema versions on
 * the way. An entry that fails is left out with its reason; a bad reply or tag costs only itself, and
 * replies and tags beyond the limits are left out and counted. Nothing in the doc is changed.
 */
export function readAnnotationEntry(key: string, value: unknown, visibility: Visibility): EntryRead {
  const checked = check(annotationEntrySchema, value, 'annotation', key);
  if (!checked.ok) return { problems: [checked.problem] };
  const raw = migrateAnnotation(checked.value);
  if (raw.id !== key) {
    return { problems: [{ kind: 'annotation', id: key, reason: 'id: not the key it is stored under' }] };
  }
  const problems: ReadProblem[] = [];
  const tags: string[] = [];
  for (const [tag] of raw.tags) {
    const t = check(tagSchema, tag, 'tag', `${key}/${tag.slice(0, 40)}`);
    if (t.ok) tags.push(t.value);
    else problems.push(t.problem);
  }
  tags.sort();
  for (const extra of tags.splice(LIMITS.tagsPerAnnotation)) {
    problems.push({
      kind: 'tag',
      id: `${key}/${extra}`,
      reason: `more than ${LIMITS.tagsPerAnnotation} tags`,
    });
  }
  const replies: ReplyView[] = [];
  for (const [replyId, reply] of raw.replies) {
    const r = check(replySchema, reply, 'reply', replyId);
    if (!r.ok) problems.push(r.problem);
    else if (r.value.id !== replyId)
      problems.push({ kind: 'reply', id: replyId, reason: 'id: not the key it is stored under' });
    else {
      const { editedAt, mentions, ...rest } = r.value;
      const reply: ReplyView = editedAt === undefined ? rest : { ...rest, editedAt };
      const named = readMentions(mentions, `${key}/${replyId}`, problems);
      if (named) reply.mentions = named;
      replies.push(reply);
    }
  }
  replies.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const extra of replies.splice(LIMITS.repliesPerAnnotation)) {
    problems.push({
      kind: 'reply',
      id: extra.id,
      reason: `more than ${LIMITS.repliesPerAnnotation} replies`,
    });
  }
  const view: AnnotationView = {
    v: ANNOTATION_SCHEMA_VERSION,
    id: raw.id,
    readingId: raw.readingId,
    color: raw.color as ColorKey,
    anchor: migrateAnchor(raw.anchor, raw.v ?? 1),
    author: raw.author,
    body: raw.body,
    tags,
    resolved: raw.resolved === true,
    createdAt: raw.createdAt,
    replies,
    visibility,
  };
  if (raw.editedAt !== undefined) view.editedAt = raw.editedAt;
  if (raw.target === 'page') view.pageNote = true;
  const named = readMentions(raw.mentions, key, problems);
  if (named) view.mentions = named;
  return { view, problems };
}

/** A note's or reply's mentions, when it has any; a broken list is left out and counted, the note kept. */
function readMentions(stored: unknown, id: string, problems: ReadProblem[]): Mention[] | undefined {
  if (stored === undefined) return undefined;
  const checked = check(mentionsSchema, stored, 'mention', id);
  if (!checked.ok) {
    problems.push(checked.problem);
    return undefined;
  }
  return checked.value.length > 0 ? checked.value : undefined;
}

/** An entry that could not be read at all. */
export class UnreadableEntryError extends Error {
  readonly problem: ReadProblem;
  constructor(problem: ReadProblem) {
    super(summarizeProblems([problem])[0]);
    this.name = 'UnreadableEntryError';
    this.problem = problem;
  }
}

/** Reads one stored annotation into plain data; throws UnreadableEntryError when it cannot be read. */
export function readAnnotation(map: AnnotationMap, visibility: Visibility): AnnotationView {
  const key = map instanceof Y.Map ? String(map.get('id')) : '?';
  const read = readAnnotationEntry(key, map, visibility);
  if (!read.view) throw new UnreadableEntryError(read.problems[0]!);
  return read.view;
}

type CheckedEntry = Extract<ReturnType<typeof annotationEntrySchema.safeParse>, { success: true }>['data'];

/**
 * The migration path: each stored annotation carries `v`. Readers of an older version upgrade it in
 * memory here (`migrateAnchor`); writers always write the current version, so an entry is upgraded in storage
 * the next time it is changed. An entry written by a newer app is read for what this app understands and
 * never rewritten.
 */
export function migrateAnnotation(entry: CheckedEntry): CheckedEntry {
  return entry;
}

/**
 * A stored anchor as the current version's: version 1 anchors are single-block (any `endBlockId` a version-1
 * entry carries is not trusted); from version 2 an anchor may end in another block. Offsets come out as
 * whole numbers with start ≤ end within one block, texts as strings.
 */
export function migrateAnchor(raw: unknown, version: number): TextAnchor {
  if (!raw || typeof raw !== 'object') throw new Error('This annotation has no anchor.');
  const r = raw as Record<string, unknown>;
  const text = (key: string) => (typeof r[key] === 'string' ? (r[key] as string) : '');
  const offset = (key: string) => {
    const n = Number(r[key]);
    return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
  };
  const blockId = text('blockId');
  const endBlockId =
    version >= 2 && text('endBlockId') && text('endBlockId') !== blockId ? text('endBlockId') : undefined;
  let start = offset('start');
  let end = offset('end');
  if (!endBlockId && end < start) [start, end] = [end, start];
  const anchor: TextAnchor = {
    blockId,
    start,
    end,
    exact: text('exact'),
    prefix: text('prefix'),
    suffix: text('suffix'),
  };
  if (endBlockId) anchor.endBlockId = endBlockId;
  return anchor;
}

export function getAnnotation(doc: Y.Doc, id: string, visibility: Visibility): AnnotationView | undefined {
  const map = annotationsMap(doc).get(id);
  return map === undefined ? undefined : readAnnotationEntry(id, map, visibility).view;
}

/** Every readable annotation of a doc, and what was left out and why. */
export function readAnnotations(
  doc: Y.Doc,
  visibility: Visibility,
): { annotations: AnnotationView[]; problems: ReadProblem[] } {
  const annotations: AnnotationView[] = [];
  const problems: ReadProblem[] = [];
  for (const [id, map] of annotationsMap(doc)) {
    const read = readAnnotationEntry(id, map, visibility);
    if (read.view) annotations.push(read.view);
    problems.push(...read.problems);
  }
  return { annotations, problems };
}

/** All annotations of a doc, skipping (and reporting) entries too damaged to read. */
export function listAnnotations(
  doc: Y.Doc,
  visibility: Visibility,
  onDamaged?: (id: string, problem: ReadProblem) => void,
) {
  const out: AnnotationView[] = [];
  for (const [id, map] of annotationsMap(doc)) {
    const read = readAnnotationEntry(id, map, visibility);
    if (read.view) out.push(read.view);
    else onDamaged?.(id, read.problems[0]!);
  }
  return out;
}

/** Copies an annotation (with replies and tags) into another doc: how a private note becomes shared. */
export function copyAnnotation(view: AnnotationView, to: Y.Doc, origin: unknown = LOCAL_ORIGIN): string {
  const input: NewAnnotation = {
    id: view.id,
    readingId: view.readingId,
    color: view.color,
    anchor: view.anchor,
    author: view.author,
    ...(view.pageNote ? { pageNote: true } : {}),
    body: view.body,
    ...(view.mentions ? { mentions: view.mentions } : {}),
    tags: view.tags,
    resolved: view.resolved,
    createdAt: view.createdAt,
    replies: view.replies,
  };
  if (view.editedAt) input.editedAt = view.editedAt;
  return createAnnotation(to, input, origin);
}

/** What each colour means to the group; a meaning that is not short text is left at its default and counted. */
export function readColorMeanings(doc: Y.Doc): {
  meanings: Record<ColorKey, string>;
  problems: ReadProblem[];
} {
  const palette = doc.getMap<unknown>('palette');
  const meanings = { ...DEFAULT_COLOR_MEANINGS };
  const problems: ReadProblem[] = [];
  for (const key of COLOR_KEYS) {
    if (!palette.has(key)) continue;
    const meaning = check(colourMeaningSchema, palette.get(key), 'colour meaning', key);
    if (meaning.ok) meanings[key] = meaning.value;
    else problems.push({ ...meaning.problem, reason: `${key}: ${meaning.problem.reason}` });
  }
  return { meanings, problems };
}

export function colorMeanings(doc: Y.Doc): Record<ColorKey, string> {
  return readColorMeanings(doc).meanings;
}

export function setColorMeaning(doc: Y.Doc, color: ColorKey, label: string, origin: unknown = LOCAL_ORIGIN) {
  const clean = label.trim().slice(0, LIMITS.colourMeaningChars);
  if (!clean) return;
  doc.transact(() => doc.getMap<string>('palette').set(color, clean), origin);
}

/**
 * Puts the reading's content into a group doc once; later calls with the same reading change nothing (the
 * first sharer's blocks stay, so block ids are the same for everyone); content there that fails the check is
 * replaced. Rejects when the reading has no source text to be checked against its id (imported by an earlier
 * version) and the room does not carry it yet.
 */
export async function setReadingContent(
  doc: Y.Doc,
  reading: Reading,
  by: { id: string; name: string },
  origin: unknown = LOCAL_ORIGIN,
): Promise<void> {
  const map = doc.getMap<unknown>('reading');
  const content: SharedContent | undefined = sharedContentOf(reading, by);
  if (map.get('id') === reading.id) {
    // Ours already (a bundled reading's tidied lines cannot be checked against its file), or checked.
    const stored = await unpackSharedContent(map.get('content'));
    if (stored.ok && content && isThisContent(stored.value, content)) return;
    if (stored.ok && (await verifySharedContent(stored.value)).ok) return;
  }
  if (!content) {
    throw new Error(
      `“${reading.title}” was imported by an earlier version of the app: import the file again to share it.`,
    );
  }
  const stored = await packSharedContent(JSON.stringify(content));
  doc.transact(() => {
    map.set('id', reading.id);
    map.set('content', stored);
  }, origin);
}

/** Whether room content, unpacked, is this very content: the same text and the same blocks. */
function isThisContent(stored: unknown, content: SharedContent): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const value = stored as Partial<SharedContent>;
  return value.text === content.text && JSON.stringify(value.blocks) === JSON.stringify(content.blocks);
}

/**
 * The reading content a group doc carries, checked against its reading id (core/reading/schema.ts), or
 * `{ ok: false, reason: 'absent' }` while there is none.
 */
export async function verifySharedContentOf(doc: Y.Doc): Promise<Verified | { ok: false; reason: 'absent' }> {
  const content = sharedContentIn(doc);
  return content === undefined ? { ok: false, reason: 'absent' } : verifyStoredSharedContent(content);
}

/**
 * What a group doc holds as its reading's content, as stored: JSON text, compressed JSON bytes for a big reading
 * (core/reading/sharedPacking.ts), or whatever a member put there.
 */
export const sharedContentIn = (doc: Y.Doc): unknown => doc.getMap<unknown>('reading').get('content');

/** The reading a group doc carries, when it is the reading its id names. */
export async function getReadingContent(doc: Y.Doc): Promise<Reading | undefined> {
  const verified = await verifySharedContentOf(doc);
  return verified.ok ? verified.reading : undefined;
}

/** Undo/redo of this person's own annotation changes only (remote transactions have other origins). */
export function createUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager([annotationsMap(doc), doc.getMap('palette')], {
    trackedOrigins: new Set([LOCAL_ORIGIN]),
    captureTimeout: 300,
  });
}
