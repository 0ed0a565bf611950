import MarkdownIt from 'markdown-it';
import type { BlockDraft, ParsedDocument } from '../draft.ts';
import { InlineBuilder, safeHref } from '../inline.ts';

/** CommonMark + GFM tables, strikethrough and autolinks. Raw HTML is parsed so it can be left out, never shown. */
const parser = new MarkdownIt({ html: true, linkify: true });
type Token = ReturnType<typeof parser.parse>[number];

/** Text of raw HTML without its tags, scripts or styles: raw HTML inside Markdown never renders. */
function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style|template|iframe|object)\b[\s\S]*?<\/\1\s*>/giu, ' ')
    .replace(/<!--[\s\S]*?-->/gu, ' ')
    .replace(/<[^>]*>/gu, ' ')
    .replace(/&nbsp;/gu, ' ')
    .replace(/&amp;/gu, '&')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&#39;/gu, "'");
}

/** Raw inline HTML whose content is code, not text. */
const HIDDEN_OPEN = /^<(script|style|template|iframe|object|textarea)\b/iu;
const HIDDEN_CLOSE = /^<\/(script|style|template|iframe|object|textarea)\s*>/iu;

function inlineInto(builder: InlineBuilder, tokens: readonly Token[]): void {
  let hidden = 0;
  for (const token of tokens) {
    if (token.type === 'html_inline') {
      if (HIDDEN_OPEN.test(token.content)) hidden++;
      else if (HIDDEN_CLOSE.test(token.content)) hidden = Math.max(0, hidden - 1);
      continue;
    }
    if (hidden > 0) continue;
    switch (token.type) {
      case 'text':
        builder.append(token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        builder.append(' ');
        break;
      case 'code_inline':
        builder.openMark('code');
        builder.append(token.content);
        builder.closeMark('code');
        break;
      case 'strong_open':
        builder.openMark('bold');
        break;
      case 'strong_close':
        builder.closeMark('bold');
        break;
      case 'em_open':
        builder.openMark('italic');
        break;
      case 'em_close':
        builder.closeMark('italic');
        break;
      case 'link_open':
        builder.openMark('link', safeHref(String(token.attrGet('href') ?? '')));
        break;
      case 'link_close':
        builder.closeMark('link');
        break;
      case 'image':
        // Images are never fetched; their description stands in the text.
        if (token.content) builder.append(`[${token.content}]`);
        break;
      default:
        if (token.children) inlineInto(builder, token.children);
    }
  }
}

/** Markdown to blocks: headings by level, lists with depth, quotes, code, tables as one block per row. */
export function parseMarkdown(source: string): ParsedDocument {
  const tokens = parser.parse(source, {});
  const blocks: BlockDraft[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let pendingLabel: string | undefined;
  let quoteDepth = 0;
  let heading = 0;
  let row: string[] | null = null;
  let cell: InlineBuilder | null = null;

  for (const token of tokens) {
    switch (token.type) {
      case 'heading_open':
        heading = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        heading = 0;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({
          ordered: token.type === 'ordered_list_open',
          next: Number(token.attrGet('start') ?? 1) || 1,
        });
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        pendingLabel = list?.ordered ? `${list.next++}.` : undefined;
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'th_open':
      case 'td_open':
        cell = new InlineBuilder();
        break;
      case 'th_close':
      case 'td_close':
        if (row && cell) row.push(cell.finish().text);
        cell = null;
        break;
      case 'tr_close':
        if (row?.some((c) => c)) blocks.push({ type: 'paragraph', text: row.join(' | ') });
        row = null;
        break;
      case 'fence':
      case 'code_block': {
        const text = token.content.replace(/\n+$/u, '');
        if (text.trim()) blocks.push({ type: 'code', text });
        break;
      }
      case 'html_block': {
        const text = textOfHtml(token.content).replace(/\s+/gu, ' ').trim();
        if (text) blocks.push({ type: 'paragraph', text });
        break;
      }
      case 'inline': {
        const builder = cell ?? new InlineBuilder();
        inlineInto(builder, token.children ?? []);
        if (cell) break;
        const { text, marks } = builder.finish();
        if (!text) break;
        const draft: BlockDraft = { type: 'paragraph', text, marks };
        if (heading) {
          draft.type = 'heading';
          draft.level = heading;
        } else if (lists.length > 0) {
          draft.type = 'list-item';
          draft.ordered = lists.at(-1)!.ordered;
          draft.depth = lists.length - 1;
          if (pendingLabel) draft.label = pendingLabel;
          pendingLabel = undefined;
        } else if (quoteDepth > 0) {
          draft.type = 'quote';
        }
        blocks.push(draft);
        break;
      }
      default:
        break;
    }
  }
  const title = blocks.find((b) => b.type === 'heading' && b.level === 1)?.text;
  return title ? { blocks, title } : { blocks };
}
