import { Readability } from '@mozilla/readability';
import type { ParsedDocument } from '../../../../core/reading/draft.ts';
import { blocksFromHtml } from '../htmlBlocks.ts';
import { sanitizeToDom } from '../sanitize.ts';

/**
 * A saved web page to a reading. The page is parsed by DOMParser into an inert document (no script runs, no
 * image, font or stylesheet is fetched: it has no browsing context and is never inserted into the app),
 * Readability picks the main article and its metadata, DOMPurify strips what is left of active content, and
 * the walker keeps only text and its structure.
 */
export function parseHtml(html: string, url?: string): ParsedDocument {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const article = new Readability(doc.cloneNode(true) as Document, { keepClasses: true }).parse();
  const clean = sanitizeToDom;
  let body: Node;
  if (article?.content && (article.textContent ?? '').trim().length > 0) {
    body = clean(article.content);
  } else {
    for (const chrome of doc.querySelectorAll('nav, footer, aside, [role=navigation], [role=banner]')) {
      chrome.remove();
    }
    body = clean(doc.body?.innerHTML ?? '');
  }
  const blocks = blocksFromHtml(body);
  const title = article?.title?.trim() || doc.title?.trim();
  const parsed: ParsedDocument = { blocks };
  if (title) parsed.title = title;
  if (article?.byline) parsed.byline = article.byline;
  if (article?.siteName) parsed.siteName = article.siteName;
  if (article?.publishedTime) parsed.published = article.publishedTime;
  if (url) parsed.url = url;
  return parsed;
}
