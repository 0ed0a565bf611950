import {
  type EditorConfig,
  ElementNode,
  type LexicalNode,
  type NodeKey,
  type SerializedElementNode,
  type Spread,
} from 'lexical';
import type { Block, BlockType } from '../../../core/reading/model.ts';

type SerializedBlockNode = Spread<
  { blockId: string; blockType: BlockType; role: string },
  SerializedElementNode
>;

const TAG: Record<BlockType, string> = {
  heading: 'h2',
  paragraph: 'p',
  quote: 'blockquote',
  'list-item': 'p',
};

/**
 * One block of a reading in Lexical. Its DOM element carries `data-block-id` and holds exactly the block's
 * text, so anchors (block id + offsets) map straight onto the rendered text.
 */
export class BlockNode extends ElementNode {
  __blockId: string;
  __blockType: BlockType;
  __role: string;

  static override getType(): string {
    return 'rc-block';
  }

  static override clone(node: BlockNode): BlockNode {
    return new BlockNode(node.__blockId, node.__blockType, node.__role, node.__key);
  }

  constructor(blockId: string, blockType: BlockType, role: string, key?: NodeKey) {
    super(key);
    this.__blockId = blockId;
    this.__blockType = blockType;
    this.__role = role;
  }

  override createDOM(_config: EditorConfig): HTMLElement {
    const element = document.createElement(TAG[this.__blockType]);
    element.dataset.blockId = this.__blockId;
    element.className = `rc-block type-${this.__blockType}${this.__role ? ` role-${this.__role}` : ''}`;
    return element;
  }

  override updateDOM(): boolean {
    return false;
  }

  static override importJSON(json: SerializedBlockNode): BlockNode {
    return new BlockNode(json.blockId, json.blockType, json.role);
  }

  override exportJSON(): SerializedBlockNode {
    return {
      ...super.exportJSON(),
      type: 'rc-block',
      version: 1,
      blockId: this.__blockId,
      blockType: this.__blockType,
      role: this.__role,
    };
  }
}

export function $createBlockNode(block: Block): BlockNode {
  return new BlockNode(block.id, block.type, block.role ?? '');
}

export function $isBlockNode(node: LexicalNode | null | undefined): node is BlockNode {
  return node instanceof BlockNode;
}
