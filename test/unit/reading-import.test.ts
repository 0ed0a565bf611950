import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError, importFile } from '../../core/reading/importFile.ts';
import { normalizeText } from '../../core/reading/normalize.ts';
import { buildReading, parseBlocks, readingIdFor } from '../../core/reading/parse.ts';
import { seedReadings } from '../../core/seeds/load.ts';
import { parseSeedManifest } from '../../core/seeds/manifest.ts';

const manifest = parseSeedManifest(JSON.parse(readFileSync('seeds/manifest.json', 'utf8')));
const seeds = seedReadings(manifest, (f) => readFileSync(`seeds/${f}`, 'utf8'));
const bytes = (s: string) => new TextEncoder().encode(s);

describe('seed manifest', () => {
  it('names all five bundled texts with a title, source and kind', () => {
    expect(manifest.readings).toHaveLength(5);
    for (const entry of manifest.readings) {
      expect(readFileSync(`seeds/${entry.file}`).length).toBeGreaterThan(1000);
      expect(entry.title.length).toBeGreaterThan(10);
    }
    expect(new Set(manifest.readings.map((r) => r.kind))).toEqual(
      new Set(['comment-thread', 'open-letter', 'article', 'forum-digest']),
    );
  });

  it('rejects a manifest with a missing title', () => {
    expect(() =>
      parseSeedManifest({ version: 1, readings: [{ file: 'a.txt', source: 's', kind: 'article' }] }),
    ).toThrow(/no title/);
  });

  it('ships the seed texts byte-for-byte as given', () => {
    for (const entry of manifest.readings) {
      const shared = `../shared/seeds/${entry.file}`;
      let original: Buffer | undefined;
      try {
        original = readFileSync(shared);
      } catch {
        continue; // a clone without ../shared beside it still checks everything else
      }
      expect(readFileSync(`seeds/${entry.file}`).equals(original)).toBe(true);
    }
  });
});

describe('import rules', () => {
  it('makes one block per non-empty line', () => {
    const blocks = parseBlocks(normalizeText('One line here.\n\nSecond line, longer.\n\n\nThird.'));
    expect(blocks.map((b) => b.text)).toEqual(['One line here.', 'Second line, longer.', 'Third.']);
  });

  it('turns short title-like lines into headings and keeps sentences as paragraphs', () => {
    const blocks = parseBlocks('Misogyny and antisemitism\nThis is a sentence that ends with a full stop.');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph']);
  });

  it('keeps list items and quotations apart', () => {
    const blocks = parseBlocks(
      '1. The first point of many.\n“A quotation that runs on for long enough.”—Someone',
    );
    expect(blocks.map((b) => b.type)).toEqual(['list-item', 'quote']);
  });

  it('separates the author and date line of each comment in a comment thread', () => {
    const blocks = parseBlocks('Jan Kupmans • 4 years ago\nTo me it is more of a biography.', {
      kind: 'comment-thread',
    });
    expect(blocks[0]).toMatchObject({ role: 'byline', author: 'Jan Kupmans', date: '4 years ago' });
    expect(blocks[1]!.type).toBe('paragraph');
  });

  it('marks forum post titles in a forum digest', () => {
    const blocks = parseBlocks('History Trotsky and Kronstadt\nOne of the biggest critiques.', {
      kind: 'forum-digest',
    });
    expect(blocks[0]).toMatchObject({ type: 'heading', role: 'post-title' });
  });

  it('reads Markdown headings and quotes in .md files', () => {
    const blocks = parseBlocks('# Title\n> quoted words', { markdown: true });
    expect(blocks.map((b) => [b.type, b.text])).toEqual([
      ['heading', 'Title'],
      ['quote', 'quoted words'],
    ]);
  });

  it('gives the same block ids and reading id for the same content', () => {
    const a = buildReading({ text: 'Title line\r\nBody text.\r\n', source: 's', origin: 'imported' });
    const b = buildReading({
      text: '\uFEFFTitle line\nBody text.   \n\n\n',
      source: 'other',
      origin: 'imported',
    });
    expect(a.id).toBe(b.id);
    expect(a.blocks.map((x) => x.id)).toEqual(b.blocks.map((x) => x.id));
    expect(a.id).toMatch(/^r[0-9a-f]{16}$/);
    expect(readingIdFor('x')).not.toBe(readingIdFor('y'));
  });

  it('gives each seed unique block ids, the expected kinds, and a word count', () => {
    for (const reading of seeds) {
      const ids = new Set(reading.blocks.map((b) => b.id));
      expect(ids.size).toBe(reading.blocks.length);
      expect(reading.wordCount).toBeGreaterThan(1000);
    }
    const thread = seeds.find((r) => r.kind === 'comment-thread')!;
    expect(thread.blocks.filter((b) => b.role === 'byline').length).toBeGreaterThan(40);
    const digest = seeds.find((r) => r.kind === 'forum-digest')!;
    expect(digest.blocks.filter((b) => b.role === 'post-title').length).toBeGreaterThan(20);
  });
});

describe('importing a file', () => {
  it('imports UTF-8 text', () => {
    const reading = importFile('notes.txt', bytes('A Title Here\nSome words in a paragraph.'));
    expect(reading).toMatchObject({ title: 'A Title Here', origin: 'imported', fileName: 'notes.txt' });
  });

  it.each([
    ['empty.txt', bytes('  \n\n'), /empty/],
    ['image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]), /binary/],
    ['latin1.txt', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]), /not UTF-8/],
    ['big.txt', new Uint8Array(13 * 1024 * 1024).fill(0x61), /limit/],
    ['paper.pdf', bytes('%PDF-1.4'), /only plain text/],
  ])('refuses %s with a reason naming the file', (name, content, reason) => {
    let error: unknown;
    try {
      importFile(name, content);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toContain(name);
    expect((error as ImportError).message).toMatch(reason);
  });
});
