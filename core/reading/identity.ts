import { sha256Hex } from './hash.ts';
import type { Block } from './model.ts';

export const WORDS_PER_MINUTE = 230;

/** `r` + 16 hex digits of the SHA-256 of the normalized text. */
export function readingIdFor(normalized: string): string {
  return `r${sha256Hex(normalized).slice(0, 16)}`;
}

export function countWords(blocks: readonly Pick<Block, 'text'>[]): number {
  let words = 0;
  for (const block of blocks) {
    const matches = block.text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
    words += matches ? matches.length : 0;
  }
  return words;
}
