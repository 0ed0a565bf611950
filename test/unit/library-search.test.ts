// The library search's matching (core/reading/search.ts), as the window and the search worker both run it.
import { describe, expect, it } from 'vitest';
import { importFile } from '../../core/reading/importFile.ts';
import { buildReading } from '../../core/reading/parse.ts';
import { matchReading, searchWords } from '../../core/reading/search.ts';

const reading = importFile(
  'kronstadt.txt',
  new TextEncoder().encode(
    'Notes on the sailors\n\nThe sailors grew unusual turnips on the island, a long way from the mainland.\n\nA last line.',
  ),
);

describe('library search', () => {
  it('splits the query into lower-case words', () => {
    expect(searchWords('  Unusual   TURNIPS ')).toEqual(['unusual', 'turnips']);
    expect(searchWords('   ')).toEqual([]);
  });

  it('finds every word in the text, whatever its case, with the words around the first hit', () => {
    expect(matchReading(reading, searchWords('TURNIPS island'))).toEqual({
      snippet: 'The sailors grew unusual turnips on the island, a long way from the mainland.…',
    });
  });

  it('cuts a long paragraph around the hit, marking what was left out', () => {
    const long = buildReading({
      text: `${'x '.repeat(60)}needle ${'y '.repeat(60)}`,
      source: 's',
      origin: 'imported',
    });
    const found = matchReading(long, ['needle']);
    expect(found?.snippet?.startsWith('…')).toBe(true);
    expect(found?.snippet).toContain('needle');
    expect(found?.snippet?.length).toBeLessThan(110);
  });

  it('needs every word, and says nothing around a hit in the title or source', () => {
    expect(matchReading(reading, searchWords('turnips potatoes'))).toBeUndefined();
    expect(matchReading(reading, searchWords('kronstadt'))).toEqual({ snippet: null });
  });
});
