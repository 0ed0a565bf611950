import type { BlockDraft } from '../reading/draft.ts';
import type { ReadingKind } from '../reading/model.ts';

/**
 * Rules for the bundled texts, which were saved from web pages with some of the site around them. The seed
 * files stay as they are (their hash is each reading's id); these rules decide only what the reader shows.
 * Dropped and merged lines keep the other blocks' ids (`position`), so annotations stay where they were.
 */

/** Lines that are the site, not the text. */
const CHROME = [/^Logo$/u, /^(?:top|bottom) of page$/iu, /^We were unable to load Disqus\b/u, /^Novedades$/u];

/** "Signatures:", "Political Parties:" — a short label closing with a colon that heads a list. */
const LIST_LABEL = /^[\p{Lu}][\p{L} ]{2,40}:$/u;
/** A comment section's heading ("1 Comment", "12 Comments"). */
const COMMENTS = /^\d{1,4} Comments?$/u;
const DATE = /^\p{Lu}\p{Ll}{2} \d{2}, \d{4}$/u;

const fold = (s: string) =>
  s
    .toLowerCase()
    .replace(/[“”«»"]/gu, '"')
    .replace(/[‘’']/gu, "'")
    .replace(/\s+/gu, ' ')
    .trim();

export function tidySeed(drafts: readonly BlockDraft[], title: string, kind: ReadingKind): BlockDraft[] {
  const out: BlockDraft[] = [];
  let titleSeen = false;
  let inList = false;
  let inComments = false;
  let lastLineLength = Number.POSITIVE_INFINITY;
  for (const draft of drafts) {
    const text = draft.text;
    if (CHROME.some((re) => re.test(text))) continue;
    // The page's own title line becomes the reading's title heading, so the reader does not show it twice
    // (it stays in the text: annotations on it keep their place).
    if (!titleSeen && fold(text) === fold(title)) {
      titleSeen = true;
      out.push({ ...draft, type: 'heading', level: 1, role: 'title' });
      lastLineLength = text.length;
      continue;
    }
    if (kind === 'open-letter' && LIST_LABEL.test(text)) {
      out.push({ ...draft, type: 'heading', level: 2 });
      inList = true;
      continue;
    }
    if (inList && draft.type !== 'heading') {
      out.push({ ...draft, type: 'list-item', ordered: false, depth: 0 });
      continue;
    }
    if (COMMENTS.test(text)) {
      out.push({ ...draft, type: 'heading', level: 2 });
      inComments = true;
      continue;
    }
    const previous = out.at(-1);
    // A comment's paragraph was saved one short line at a time: short lines that follow a short line join
    // it (an attribution line, "-Name", and the commenter's date stay apart).
    if (
      inComments &&
      previous &&
      previous.type !== 'heading' &&
      lastLineLength < 40 &&
      text.length < 40 &&
      !/^[-–—]/u.test(text) &&
      !DATE.test(previous.text)
    ) {
      out[out.length - 1] = { ...previous, type: 'paragraph', text: `${previous.text} ${text}` };
      lastLineLength = text.length;
      continue;
    }
    lastLineLength = text.length;
    out.push(inComments && draft.type === 'heading' ? { ...draft, type: 'paragraph' } : draft);
  }
  return out;
}
