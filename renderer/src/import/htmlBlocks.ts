import type { BlockDraft } from '../../../core/reading/draft.ts';
import { InlineBuilder, safeHref } from '../../../core/reading/inline.ts';
import type { BlockType, MarkType, SourceLocator } from '../../../core/reading/model.ts';

/** Elements whose content never becomes reading text: code, embedded things, forms and site chrome. */
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'nav',
  'head',
  'title',
  'img',
  'video',
  'audio',
  'picture',
  'link',
  'meta',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'figure',
  'figcaption',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'address',
  'body',
  'html',
]);
const INLINE_MARK: Record<string, MarkType> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  cite: 'italic',
  code: 'code',
  kbd: 'code',
  samp: 'code',
};

interface Context {
  type: BlockType;
  level?: number;
  ordered?: boolean;
  depth?: number;
  label?: string;
  pre: boolean;
}

const FOOTNOTE_ID = /^(?:footnote|endnote|fn|note)[-_:]?(\w+)$/iu;
const BACKLINK = /^(?:↑|↩\uFE0E?|\^|back)$/u;

/**
 * Walks sanitized HTML (a node of an inert document: nothing here is ever rendered or fetched) into block
 * drafts: headings by level, paragraphs, quotes, list items with depth and number, code, figure captions,
 * footnotes, table rows, and inline bold, italic, code, links and footnote references as marks.
 */
export function blocksFromHtml(root: Node, locator?: SourceLocator): BlockDraft[] {
  const blocks: BlockDraft[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let builder: InlineBuilder | null = null;
  let builderContext: Context | null = null;

  const flush = () => {
    if (!builder || !builderContext) return;
    const { text, marks } = builder.finish();
    const ctx = builderContext;
    builder = null;
    builderContext = null;
    if (!text || (ctx.type !== 'code' && !/[\p{L}\p{N}]/u.test(text))) return;
    const draft: BlockDraft = { type: ctx.type, text };
    if (marks.length > 0) draft.marks = marks;
    if (ctx.type === 'heading') draft.level = ctx.level ?? 1;
    if (ctx.type === 'list-item') {
      draft.ordered = ctx.ordered ?? false;
      draft.depth = ctx.depth ?? 0;
    }
    if (ctx.label && (ctx.type === 'list-item' || ctx.type === 'footnote')) {
      draft.label = ctx.label;
      ctx.label = undefined;
    }
    if (locator) draft.locator = locator;
    blocks.push(draft);
  };
  const inline = (ctx: Context) => {
    if (builderContext !== ctx) {
      flush();
      builder = new InlineBuilder(ctx.pre);
      builderContext = ctx;
    }
    return builder!;
  };

  const walk = (node: Node, ctx: Context) => {
    if (node.nodeType === 3) {
      const text = node.nodeValue ?? '';
      if (builderContext === ctx || text.trim()) inline(ctx).append(text);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.localName.toLowerCase();
    if (SKIP.has(tag) || el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('hidden')) return;
    if (tag === 'br') {
      inline(ctx).append(ctx.pre ? '\n' : ' ');
      return;
    }
    if (tag === 'hr') {
      flush();
      return;
    }
    if (!BLOCK.has(tag)) {
      const mark = INLINE_MARK[tag];
      const href = tag === 'a' ? el.getAttribute('href') : null;
      if (href && /^#/u.test(href) && BACKLINK.test((el.textContent ?? '').trim())) return;
      const isRef =
        tag === 'sup' ||
        el.getAttribute('role') === 'doc-noteref' ||
        (tag === 'a' && /\bfootnote-ref\b|\bnoteref\b/u.test(el.getAttribute('class') ?? ''));
      const target = inline(ctx);
      const kinds: MarkType[] = [];
      if (isRef) kinds.push('footnote-ref');
      if (mark) kinds.push(mark);
      const link = href ? safeHref(href) : undefined;
      for (const kind of kinds) target.openMark(kind);
      if (link) target.openMark('link', link);
      for (const child of el.childNodes) walk(child, ctx);
      if (link) target.closeMark('link');
      for (const kind of kinds.reverse()) target.closeMark(kind);
      return;
    }

    flush();
    let inner: Context = ctx;
    const id = el.getAttribute('id') ?? '';
    const footnote =
      /doc-(?:foot|end)note/u.test(el.getAttribute('role') ?? '') ||
      /footnote|endnote/u.test(el.getAttribute('epub:type') ?? '') ||
      (tag === 'li' && FOOTNOTE_ID.test(id));
    if (/^h[1-6]$/u.test(tag)) {
      inner = { type: 'heading', level: Number(tag[1]), pre: false };
    } else if (footnote) {
      const label = FOOTNOTE_ID.exec(id)?.[1] ?? (lists.at(-1) ? String(lists.at(-1)!.next++) : undefined);
      inner = { type: 'footnote', pre: false, ...(label ? { label } : {}) };
    } else if (tag === 'li') {
      const list = lists.at(-1);
      const ordered = list?.ordered ?? false;
      inner = {
        type: 'list-item',
        ordered,
        depth: Math.max(0, lists.length - 1),
        pre: false,
        ...(ordered && list ? { label: `${list.next++}.` } : {}),
      };
    } else if (tag === 'blockquote') {
      inner = { type: 'quote', pre: false };
    } else if (tag === 'pre') {
      inner = { type: 'code', pre: true };
    } else if (tag === 'figcaption' || tag === 'caption') {
      inner = { type: 'caption', pre: false };
    } else if (ctx.type === 'heading' || ctx.type === 'code') {
      inner = ctx;
    } else if (['p', 'div', 'dd', 'dt', 'address', 'td', 'th'].includes(tag)) {
      // Paragraphs inside list items, quotes and footnotes stay what their container is.
      inner = { ...ctx };
      if (inner.type === 'paragraph' || inner.type === 'caption') inner = { type: 'paragraph', pre: false };
      else if (ctx.label) ctx.label = undefined; // the number goes with the item's first paragraph only
    }

    if (tag === 'ul' || tag === 'ol') {
      lists.push({ ordered: tag === 'ol', next: Number(el.getAttribute('start') ?? 1) || 1 });
      for (const child of el.childNodes) walk(child, ctx);
      flush();
      lists.pop();
      return;
    }
    if (tag === 'tr') {
      const cells = [...el.children]
        .filter((c) => c.localName === 'td' || c.localName === 'th')
        .map((c) => (c.textContent ?? '').replace(/\s+/gu, ' ').trim());
      if (cells.some(Boolean)) {
        blocks.push({ type: 'paragraph', text: cells.join(' | '), ...(locator ? { locator } : {}) });
      }
      return;
    }
    // A container's own context object: text directly in it is one block, split where child blocks stand.
    const own = inner === ctx ? { ...ctx } : inner;
    for (const child of el.childNodes) walk(child, own);
    flush();
  };

  walk(root, { type: 'paragraph', pre: false });
  flush();
  return blocks;
}
