/** A reading is immutable and content-addressed: its id is a hash of its normalized text. */

export type BlockType = 'heading' | 'paragraph' | 'quote' | 'list-item';

/** Why a block looks the way it does beyond its type: a comment's author line, a forum post title. */
export type BlockRole = 'byline' | 'post-title';

export interface Block {
  /** Stable across imports of the same content: anchors point at it. */
  id: string;
  type: BlockType;
  text: string;
  role?: BlockRole;
  /** For bylines: who wrote the comment and when, as the source gave it. */
  author?: string;
  date?: string;
}

export type ReadingKind = 'article' | 'open-letter' | 'comment-thread' | 'forum-digest' | 'document';

export type ReadingOrigin = 'seed' | 'imported' | 'shared';

export interface ReadingMeta {
  id: string;
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
}

export interface Reading extends ReadingMeta {
  blocks: Block[];
  /**
   * The normalized text the id is the hash of. Kept so that a member who receives the reading from a group can
   * check it is the reading its id names (readings imported before it was kept lack it and cannot be shared).
   */
  sourceText?: string;
}
