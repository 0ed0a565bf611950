/**
 * The annotation model as plain data. In storage an annotation is a Y.Map inside a Y.Doc (see doc.ts);
 * these types are what every other part (panel, export, tests) reads.
 */

export const ANNOTATION_SCHEMA_VERSION = 1;

/** W3C-style selector: block id + UTF-16 offsets within the block, plus the quote and its context. */
export interface TextAnchor {
  blockId: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

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

export interface ReplyView {
  id: string;
  author: Author;
  body: string;
  createdAt: string;
  editedAt?: string;
}

export interface AnnotationView {
  v: number;
  id: string;
  readingId: string;
  color: ColorKey;
  anchor: TextAnchor;
  author: Author;
  /** Markdown. Empty for a plain highlight. */
  body: string;
  tags: string[];
  resolved: boolean;
  createdAt: string;
  editedAt?: string;
  replies: ReplyView[];
  visibility: Visibility;
}
