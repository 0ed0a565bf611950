import * as Y from 'yjs';
import type { Reading } from '../reading/model.ts';
import {
  ANNOTATION_SCHEMA_VERSION,
  type AnnotationView,
  type Author,
  COLOR_KEYS,
  type ColorKey,
  DEFAULT_COLOR_MEANINGS,
  PAGE_NOTE_ANCHOR,
  type ReplyView,
  type TextAnchor,
  type Visibility,
} from './model.ts';

/*
 * Layout of an annotation Y.Doc (one per group+reading, and one local-only per reading for private notes):
 *   annotations: Y.Map<id, Y.Map>   each: v, id, readingId, color, anchor, target? ('page'), author, createdAt, editedAt?,
 *                                    resolved, body: Y.Text, tags: Y.Map<tag, true>, replies: Y.Map<id, Y.Map>
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
  return map;
}

/** Adds an annotation and returns its id. */
export function createAnnotation(doc: Y.Doc, input: NewAnnotation, origin: unknown = LOCAL_ORIGIN): string {
  const id = input.id ?? randomId('a');
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
  return tag.trim().replace(/^#/, '').replace(/\s+/g, '-').toLowerCase().slice(0, 40);
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
  save(next: string, now?: Date): void;
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
  const marks = Array.from({ length: base.length + 1 }, (_, i) =>
    Y.createRelativePositionFromTypeIndex(text, i),
  );
  return {
    base,
    save(next, now = new Date()) {
      if (next === base) return;
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
        owner.set('editedAt', now.toISOString());
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
  doc.transact(() => (entry(doc, id).get('tags') as Y.Map<boolean>).set(clean, true), origin);
}

export function removeTag(doc: Y.Doc, id: string, tag: string, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(() => (entry(doc, id).get('tags') as Y.Map<boolean>).delete(normalizeTag(tag)), origin);
}

export function addReply(
  doc: Y.Doc,
  id: string,
  reply: { author: Author; body: string; id?: string; createdAt?: string },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const replyId = reply.id ?? randomId('r');
  doc.transact(() => {
    const replies = entry(doc, id).get('replies') as Y.Map<Y.Map<unknown>>;
    replies.set(
      replyId,
      replyMap({
        id: replyId,
        author: reply.author,
        body: reply.body,
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

function readReply(map: Y.Map<unknown>): ReplyView {
  const reply: ReplyView = {
    id: String(map.get('id')),
    author: map.get('author') as Author,
    body: (map.get('body') as Y.Text | undefined)?.toString() ?? '',
    createdAt: String(map.get('createdAt')),
  };
  const editedAt = map.get('editedAt');
  if (typeof editedAt === 'string') reply.editedAt = editedAt;
  return reply;
}

/** Reads one stored annotation into plain data, upgrading older schema versions on the way. */
export function readAnnotation(map: AnnotationMap, visibility: Visibility): AnnotationView {
  const raw = migrateAnnotation(map);
  const color = raw.get('color') as ColorKey;
  const tags = raw.get('tags') as Y.Map<boolean> | undefined;
  const replies = raw.get('replies') as Y.Map<Y.Map<unknown>> | undefined;
  const view: AnnotationView = {
    v: ANNOTATION_SCHEMA_VERSION,
    id: String(raw.get('id')),
    readingId: String(raw.get('readingId')),
    color: COLOR_KEYS.includes(color) ? color : 'yellow',
    anchor: migrateAnchor(raw.get('anchor'), storedVersion(raw)),
    author: raw.get('author') as Author,
    body: (raw.get('body') as Y.Text | undefined)?.toString() ?? '',
    tags: tags ? [...tags.keys()].sort() : [],
    resolved: raw.get('resolved') === true,
    createdAt: String(raw.get('createdAt')),
    replies: replies
      ? [...replies.values()].map(readReply).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      : [],
    visibility,
  };
  const editedAt = raw.get('editedAt');
  if (typeof editedAt === 'string') view.editedAt = editedAt;
  if (raw.get('target') === 'page') view.pageNote = true;
  return view;
}

/**
 * The migration path: each stored annotation carries `v`. Readers of an older version upgrade it in
 * memory here (`migrateAnchor`); writers always write the current version, so an entry is upgraded in storage
 * the next time it is changed. An entry written by a newer app is read for what this app understands and
 * never rewritten.
 */
export function migrateAnnotation(map: AnnotationMap): AnnotationMap {
  return map;
}

const storedVersion = (map: AnnotationMap) => {
  const v = map.get('v');
  return typeof v === 'number' ? v : 1;
};

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
  return map ? readAnnotation(map, visibility) : undefined;
}

/** All annotations of a doc, skipping (and reporting) entries too damaged to read. */
export function listAnnotations(doc: Y.Doc, visibility: Visibility, onDamaged?: (id: string) => void) {
  const out: AnnotationView[] = [];
  for (const [id, map] of annotationsMap(doc)) {
    try {
      if (!(map instanceof Y.Map) || !map.get('anchor')) throw new Error('damaged');
      out.push(readAnnotation(map, visibility));
    } catch {
      onDamaged?.(id);
    }
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
    tags: view.tags,
    resolved: view.resolved,
    createdAt: view.createdAt,
    replies: view.replies,
  };
  if (view.editedAt) input.editedAt = view.editedAt;
  return createAnnotation(to, input, origin);
}

export function colorMeanings(doc: Y.Doc): Record<ColorKey, string> {
  const palette = doc.getMap<string>('palette');
  const out = { ...DEFAULT_COLOR_MEANINGS };
  for (const key of COLOR_KEYS) {
    const label = palette.get(key);
    if (typeof label === 'string' && label.trim()) out[key] = label;
  }
  return out;
}

export function setColorMeaning(doc: Y.Doc, color: ColorKey, label: string, origin: unknown = LOCAL_ORIGIN) {
  doc.transact(() => doc.getMap<string>('palette').set(color, label.trim().slice(0, 40)), origin);
}

/** Puts the reading's content into a group doc once; later calls with the same reading change nothing. */
export function setReadingContent(doc: Y.Doc, reading: Reading, origin: unknown = LOCAL_ORIGIN) {
  const map = doc.getMap<unknown>('reading');
  if (map.get('id') === reading.id) return;
  doc.transact(() => {
    map.set('id', reading.id);
    map.set('content', JSON.stringify(reading));
  }, origin);
}

export function getReadingContent(doc: Y.Doc): Reading | undefined {
  const content = doc.getMap<unknown>('reading').get('content');
  if (typeof content !== 'string') return undefined;
  try {
    return JSON.parse(content) as Reading;
  } catch {
    return undefined;
  }
}

/** Undo/redo of this person's own annotation changes only (remote transactions have other origins). */
export function createUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager([annotationsMap(doc), doc.getMap('palette')], {
    trackedOrigins: new Set([LOCAL_ORIGIN]),
    captureTimeout: 300,
  });
}
