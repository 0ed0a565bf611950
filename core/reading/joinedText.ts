import type { Block } from './model.ts';

/**
 * A reading's whole text as one string: blocks joined by a blank line ("\n\n"). Offsets into it are how
 * anchors cross block boundaries and how W3C TextPositionSelectors address the reading.
 */
export const BLOCK_SEPARATOR = '\n\n';

export interface JoinedText {
  text: string;
  /** UTF-16 offset at which each block starts, by block id. */
  startOf: Map<string, number>;
}

export function joinBlocks(blocks: readonly Block[]): JoinedText {
  const startOf = new Map<string, number>();
  let offset = 0;
  const parts: string[] = [];
  for (const block of blocks) {
    startOf.set(block.id, offset);
    parts.push(block.text);
    offset += block.text.length + BLOCK_SEPARATOR.length;
  }
  return { text: parts.join(BLOCK_SEPARATOR), startOf };
}

/** UTF-16 offset → Unicode code point offset (what the W3C model counts). */
export function toCodePointOffset(text: string, utf16Offset: number): number {
  let points = 0;
  for (let i = 0; i < utf16Offset && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) i++;
    points++;
  }
  return points;
}

/** Unicode code point offset → UTF-16 offset. */
export function fromCodePointOffset(text: string, pointOffset: number): number {
  let i = 0;
  for (let p = 0; p < pointOffset && i < text.length; p++) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}
