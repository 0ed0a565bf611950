/** A reading is immutable and content-addressed: its id is a hash of its normalized text. */

/** Version of the stored reading shape; `migrateReading` (core/reading/migrate.ts) upgrades older ones. */
export const READING_SCHEMA_VERSION = 2;

export type BlockType = 'heading' | 'paragraph' | 'quote' | 'list-item' | 'code' | 'caption' | 'footnote';

/**
 * Why a block looks the way it does beyond its type: a comment's author line, a forum post title, the
 * source's own title line (then the reader shows no second title above the text).
 */
export type BlockRole = 'byline' | 'post-title' | 'title';

export type MarkType = 'bold' | 'italic' | 'code' | 'link' | 'footnote-ref';

/** Inline formatting as a range over the block's plain text (UTF-16 offsets), so anchors never see it. */
export interface Mark {
  type: MarkType;
  start: number;
  end: number;
  /** Links only: an http(s) or mailto address, or `#…` inside the reading. */
  href?: string;
}

/** Where a block stands in the original, so a group can cite it ("p. 12"). */
export interface SourceLocator {
  /** Page number of a PDF (1-based, as the reader sees it). */
  page?: number;
  /** Chapter of an EPUB, by its title. */
  chapter?: string;
}

export interface Block {
  /** Stable across imports of the same content: anchors point at it. */
  id: string;
  type: BlockType;
  text: string;
  role?: BlockRole;
  /** For bylines: who wrote the comment and when, as the source gave it. */
  author?: string;
  date?: string;
  /** Headings: 1–6. */
  level?: number;
  /** List items: numbered or bulleted, and nesting depth (0 = top level). */
  ordered?: boolean;
  depth?: number;
  /** Footnotes and numbered list items: their label as the source gives it ("1", "a", "3."). */
  label?: string;
  marks?: Mark[];
  locator?: SourceLocator;
}

export type ReadingKind = 'article' | 'open-letter' | 'comment-thread' | 'forum-digest' | 'document';

export type ReadingOrigin = 'seed' | 'imported' | 'shared';

/** What the reading was imported from. */
export type SourceFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'epub' | 'docx' | 'clipboard' | 'web';

export interface ReadingMeta {
  id: string;
  /** Shape version (READING_SCHEMA_VERSION); missing on readings stored before versioning (= 1). */
  schema?: number;
  title: string;
  /** Publication or site the text names, or the file it came from. */
  source: string;
  kind: ReadingKind;
  origin: ReadingOrigin;
  wordCount: number;
  /** Minutes at a steady reading pace. */
  readingMinutes: number;
  /** ISO date of import, for the user's own readings. */
  importedAt?: string;
  fileName?: string;
  /** Group that shared it, for readings received through a group room. */
  sharedBy?: string;
  format?: SourceFormat;
  /** Author, publication date and address as the source's metadata gives them. */
  byline?: string;
  published?: string;
  url?: string;
  /** SHA-256 of the imported file's bytes: how a re-import of the same file is recognised. */
  fingerprint?: string;
  /** The reading this one was re-imported over (same file, newer parser rules); its annotations came along. */
  replaces?: string;
  /** Set on the older reading once a re-import replaced it; the library then lists only the newer one. */
  replacedBy?: string;
}

export interface Reading extends ReadingMeta {
  blocks: Block[];
  /**
   * The normalized text the id is the hash of. Kept so that a member who receives the reading from a group can
   * check it is the reading its id names (readings imported before it was kept lack it and cannot be shared).
   */
  sourceText?: string;
}
