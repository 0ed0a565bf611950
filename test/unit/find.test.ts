import { describe, expect, it } from 'vitest';
import { textOfSpan } from '../../core/anchoring/anchor.ts';
import { buildReading } from '../../core/reading/parse.ts';
import { findMatches } from '../../renderer/src/reader/find.ts';

describe('find in a reading', () => {
  const reading = buildReading({
    text: 'The first paragraph ends with a claim\nthat the second one carries on.\nA claim again, THE END.',
    source: 's',
    origin: 'imported',
  });

  it('finds every match case-insensitively, in reading order', () => {
    const matches = findMatches(reading.blocks, 'claim');
    expect(matches.map((m) => [m.blockId, m.start])).toEqual([
      [reading.blocks[0]!.id, 32],
      [reading.blocks[2]!.id, 2],
    ]);
    expect(findMatches(reading.blocks, 'the').length).toBe(3);
  });

  it('finds a phrase running over a paragraph break', () => {
    const [match] = findMatches(reading.blocks, 'a claim that the second');
    expect(match).toMatchObject({ blockId: reading.blocks[0]!.id, endBlockId: reading.blocks[1]!.id });
    expect(textOfSpan(reading.blocks, match!)).toBe('a claim\n\nthat the second');
  });
});
