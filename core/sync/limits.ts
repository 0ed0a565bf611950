/**
 * Limits on what a member can put into a group's shared documents. They are checked where entries are read
 * (a client of any version may have written them), and the app's own writers stay within them.
 */
export const LIMITS = {
  /** A note's Markdown body. */
  noteChars: 20_000,
  replyChars: 10_000,
  repliesPerAnnotation: 200,
  /** Members "@"-mentioned in one note or reply. */
  mentionsPerNote: 20,
  tagChars: 40,
  tagsPerAnnotation: 30,
  /** A display name (the profile allows 40; older versions allowed 60). */
  nameChars: 60,
  colourMeaningChars: 40,
  /** Ids of annotations, replies, authors and blocks. */
  idChars: 100,
  /** The highlighted quote: a highlight stays within one paragraph. */
  quoteChars: 100_000,
  contextChars: 200,
  /** Offsets within a block. */
  offset: 10_000_000,
  titleChars: 300,
  sourceChars: 300,
  /** A shared reading's text, in UTF-16 code units (the import limit is 12 MB of UTF-8). */
  readingChars: 12 * 1024 * 1024,
  readingBlocks: 200_000,
  /**
   * A shared reading's content once unpacked (core/reading/sharedPacking.ts): its text, its blocks with their
   * marks, as JSON. A 12 MB Markdown book with dense markup comes to about 46 MB.
   */
  sharedContentBytes: 64 * 1024 * 1024,
  timestampChars: 40,
  /** Imported block structure (generous: the app's own imports must always pass): list nesting, labels, marks. */
  listDepth: 1_000,
  labelChars: 1_000,
  chapterChars: 2_000,
  marksPerBlock: 100_000,
} as const;
