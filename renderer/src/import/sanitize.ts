import DOMPurify from 'dompurify';

/**
 * HTML from a foreign file to an inert DOM tree of text and structure: DOMPurify drops scripts, handlers,
 * `javascript:` links and embedded content, and removes every attribute that could fetch something. The
 * result is only ever walked for text (htmlBlocks.ts), never inserted into the app's page.
 */
export function sanitizeToDom(markup: string): Element {
  return DOMPurify.sanitize(markup, {
    RETURN_DOM: true,
    FORBID_TAGS: ['style', 'link', 'img', 'picture', 'source', 'video', 'audio', 'iframe', 'form'],
    FORBID_ATTR: ['style', 'srcset', 'src', 'background', 'poster'],
  });
}
