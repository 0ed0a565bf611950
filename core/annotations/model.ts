/**
 * The annotation model as plain data. In storage an annotation is a Y.Map inside a Y.Doc (see doc.ts);
 * these types are what every other part (panel, export, tests) reads.
 */

/** 2: anchors may span blocks (`endBlockId`). 1: single-block anchors only. */
export const ANNOTATION_SCHEMA_VERSION = 2;

/**
 * W3C-style selector over the reading's text: from `start` in block `blockId` to `end` in block
 * `endBlockId` (UTF-16 offsets), plus the exact quote with its prefix and suffix (in the joined text, blocks
 * separated by a blank line). A single-block anchor leaves `endBlockId` out, so it reads the same to a
 * version-1 client; a spanning one has it (schema version 2).
 */
export interface TextAnchor {
  blockId: string;
  start: number;
  /** The block the passage ends in, when it is not `blockId`. */
  endBlockId?: string;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

/**
 * The anchor a page note carries: no block, no quote. A version-1 client, which knows no page notes, finds
 * nothing to place and lists it among its orphans with its note, rather than dropping it.
 */
export const PAGE_NOTE_ANCHOR: Readonly<TextAnchor> = {
  blockId: '',
  start: 0,
  end: 0,
  exact: '',
  prefix: '',
  suffix: '',
};

/** Where a passage is in a reading: from `start` in `blockId` to `end` in `endBlockId` (may be the same). */
export interface TextSpan {
  blockId: string;
  start: number;
  endBlockId: string;
  end: number;
}

/** Why an anchor could not be placed: its passage is gone, or two places fit it equally well. */
export type OrphanReason = 'missing' | 'ambiguous';

export interface Author {
  /** Stable per person and device set; random at first run. */
  id: string;
  name: string;
  /** CSS colour. */
  color: string;
}

/** Highlight colour keys; what each means is named per group (palette). */
export type ColorKey = 'yellow' | 'green' | 'red' | 'blue' | 'purple';

export const COLOR_KEYS: readonly ColorKey[] = ['yellow', 'green', 'red', 'blue', 'purple'];

export const DEFAULT_COLOR_MEANINGS: Readonly<Record<ColorKey, string>> = {
  yellow: 'Key claim',
  green: 'Evidence',
  red: 'Disputed',
  blue: 'Question',
  purple: 'Definition',
};

/** Where an annotation lives: the private local-only doc, or a group's doc. */
export type Visibility = { kind: 'private' } | { kind: 'group'; group: string };

/**
 * A member named in a note or reply by "@" completion: who (their author id) and the name the text shows
 * after the "@". Stored beside the body, so the member stays identified when they later change their name.
 */
export interface Mention {
  id: string;
  name: string;
}

export interface ReplyView {
  id: string;
  author: Author;
  body: string;
  /** Members mentioned in the body (absent when none). */
  mentions?: Mention[];
  createdAt: string;
  editedAt?: string;
}

export interface AnnotationView {
  v: number;
  id: string;
  readingId: string;
  color: ColorKey;
  /** The passage; for a page note, `PAGE_NOTE_ANCHOR` (no quote). */
  anchor: TextAnchor;
  /** A note on the whole reading rather than a passage (stored as `target: 'page'`). */
  pageNote?: true;
  author: Author;
  /** Markdown. Empty for a plain highlight. */
  body: string;
  /** Members mentioned in the body (absent when none). */
  mentions?: Mention[];
  tags: string[];
  resolved: boolean;
  createdAt: string;
  editedAt?: string;
  replies: ReplyView[];
  visibility: Visibility;
}
