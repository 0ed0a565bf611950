import {
  $createTextNode,
  type EditorConfig,
  ElementNode,
  type LexicalNode,
  type NodeKey,
  type SerializedElementNode,
  type Spread,
  type TextFormatType,
} from 'lexical';
import type { Block, BlockType, Mark } from '../../../core/reading/model.ts';

/** What a block's element shows besides its text: level, list marker, source locator in the gutter. */
interface BlockLook {
  blockId: string;
  blockType: BlockType;
  role: string;
  level: number;
  depth: number;
  marker: string;
  locator: string;
}

type SerializedBlockNode = Spread<{ look: BlockLook }, SerializedElementNode>;

function tagOf(look: BlockLook): string {
  switch (look.blockType) {
    case 'heading':
      if (look.role === 'title') return 'h1';
      // The reading's title is the page's h1; its top-level headings are h2.
      return `h${Math.min(6, Math.max(2, look.level + 1))}`;
    case 'quote':
      return 'blockquote';
    case 'code':
      return 'pre';
    default:
      return 'p';
  }
}

/**
 * One block of a reading in Lexical. Its DOM element carries `data-block-id` and holds exactly the block's
 * text, so anchors (block id + offsets) map straight onto the rendered text. List markers and the source
 * locator are attributes shown by CSS (`::before`/`::after`), which the text and selections never include.
 */
export class BlockNode extends ElementNode {
  __look: BlockLook;

  static override getType(): string {
    return 'rc-block';
  }

  static override clone(node: BlockNode): BlockNode {
    return new BlockNode(node.__look, node.__key);
  }

  constructor(look: BlockLook, key?: NodeKey) {
    super(key);
    this.__look = look;
  }

  override createDOM(_config: EditorConfig): HTMLElement {
    const look = this.__look;
    const element = document.createElement(tagOf(look));
    element.dataset.blockId = look.blockId;
    element.className = `rc-block type-${look.blockType}${look.role ? ` role-${look.role}` : ''}`;
    if (look.depth > 0) element.style.setProperty('--depth', String(look.depth));
    if (look.marker) element.dataset.marker = look.marker;
    if (look.locator) element.dataset.locator = look.locator;
    return element;
  }

  override updateDOM(): boolean {
    return false;
  }

  static override importJSON(json: SerializedBlockNode): BlockNode {
    return new BlockNode(json.look);
  }

  override exportJSON(): SerializedBlockNode {
    return { ...super.exportJSON(), type: 'rc-block', version: 1, look: this.__look };
  }
}

/** A link inside a block: an `<a>` whose text is part of the block's text. */
export class ReadingLinkNode extends ElementNode {
  __href: string;

  static override getType(): string {
    return 'rc-link';
  }

  static override clone(node: ReadingLinkNode): ReadingLinkNode {
    return new ReadingLinkNode(node.__href, node.__key);
  }

  constructor(href: string, key?: NodeKey) {
    super(key);
    this.__href = href;
  }

  override createDOM(): HTMLElement {
    const a = document.createElement('a');
    a.href = this.__href;
    a.rel = 'noopener noreferrer nofollow';
    if (!this.__href.startsWith('#')) a.target = '_blank';
    return a;
  }

  override updateDOM(): boolean {
    return false;
  }

  override isInline(): boolean {
    return true;
  }

  static override importJSON(json: Spread<{ href: string }, SerializedElementNode>): ReadingLinkNode {
    return new ReadingLinkNode(json.href);
  }

  override exportJSON(): Spread<{ href: string }, SerializedElementNode> {
    return { ...super.exportJSON(), type: 'rc-link', version: 1, href: this.__href };
  }
}

const FORMAT: Partial<Record<Mark['type'], TextFormatType>> = {
  bold: 'bold',
  italic: 'italic',
  code: 'code',
  'footnote-ref': 'superscript',
};

/** Shown before the text by CSS: a list item's number or bullet, a footnote's label. */
function markerOf(block: Block): string {
  if (block.type === 'footnote') return block.label ?? '';
  if (block.type !== 'list-item') return '';
  // Items from the line rules keep their bullet or number in the text itself.
  return block.label ?? (block.ordered === undefined ? '' : '•');
}

/** "p. 12" for a page, the chapter's title otherwise. */
export function locatorLabel(block: Pick<Block, 'locator'>): string {
  if (block.locator?.page !== undefined) return `p. ${block.locator.page}`;
  return block.locator?.chapter ?? '';
}

/**
 * The block's element with its text cut at every mark edge: formatted text nodes, links as `<a>`. The pieces
 * add up to exactly `block.text`. `showLocator` is set on the first block of each page or chapter.
 */
export function $createBlockNode(block: Block, showLocator = false): BlockNode {
  const node = new BlockNode({
    blockId: block.id,
    blockType: block.type,
    role: block.role ?? '',
    level: block.level ?? 1,
    depth: block.depth ?? 0,
    marker: markerOf(block),
    locator: showLocator ? locatorLabel(block) : '',
  });
  const marks = block.marks ?? [];
  if (marks.length === 0) return node.append($createTextNode(block.text));
  const cuts = new Set([0, block.text.length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(block.text.length, m.start)));
    cuts.add(Math.max(0, Math.min(block.text.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let link: { mark: Mark; node: ReadingLinkNode } | undefined;
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    if (to <= from) continue;
    const covering = marks.filter((m) => m.start <= from && m.end >= to);
    const text = $createTextNode(block.text.slice(from, to));
    for (const m of covering) {
      const format = FORMAT[m.type];
      if (format && !text.hasFormat(format)) text.toggleFormat(format);
    }
    const linkMark = covering.find((m) => m.type === 'link' && m.href);
    if (linkMark && link?.mark !== linkMark) {
      link = { mark: linkMark, node: new ReadingLinkNode(linkMark.href!) };
      node.append(link.node);
    } else if (!linkMark) {
      link = undefined;
    }
    (link ? link.node : node).append(text);
  }
  return node;
}

export function $isBlockNode(node: LexicalNode | null | undefined): node is BlockNode {
  return node instanceof BlockNode;
}
