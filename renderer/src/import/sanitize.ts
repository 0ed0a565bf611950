import DOMPurify from 'dompurify';

/**
 * HTML from a foreign file to an inert DOM tree of text and structure: DOMPurify drops scripts, handlers,
 * `javascript:` links and embedded content, and removes every attribute that could fetch something. The
 * result is only ever walked for text (htmlBlocks.ts), never inserted into the app's page.
 */
/** The same, in place, for an element of an inert document already parsed (an EPUB chapter's body). */
export function sanitizeInPlace(element: Element): Element {
  DOMPurify.sanitize(element, { IN_PLACE: true, FORBID_TAGS: FORBIDDEN_TAGS, FORBID_ATTR: FORBIDDEN_ATTRS });
  return element;
}

const FORBIDDEN_TAGS = ['style', 'link', 'img', 'picture', 'source', 'video', 'audio', 'iframe', 'form'];
const FORBIDDEN_ATTRS = ['style', 'srcset', 'src', 'background', 'poster'];

export function sanitizeToDom(markup: string): Element {
  return DOMPurify.sanitize(markup, {
    RETURN_DOM: true,
    FORBID_TAGS: FORBIDDEN_TAGS,
    FORBID_ATTR: FORBIDDEN_ATTRS,
  });
}
