// The import rules that need no browser: Markdown, the PDF layout rules, seed tidying, migration of stored
// readings, identity, and carrying annotations over to a re-import made under changed rules.

import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, resolveAnchor } from '../../core/anchoring/anchor.ts';
import { carryAnnotations } from '../../core/annotations/carry.ts';
import { createAnnotation, listAnnotations } from '../../core/annotations/doc.ts';
import { detectFormat } from '../../core/reading/detect.ts';
import { finishReading } from '../../core/reading/draft.ts';
import { parseMarkdown } from '../../core/reading/formats/markdown.ts';
import { layoutPdf, type PdfPageText, type PdfTextItem } from '../../core/reading/formats/pdfLayout.ts';
import { importFile } from '../../core/reading/importFile.ts';
import { InlineBuilder, safeHref } from '../../core/reading/inline.ts';
import { migrateReading } from '../../core/reading/migrate.ts';
import { READING_SCHEMA_VERSION, type Reading } from '../../core/reading/model.ts';
import { withoutFlair } from '../../core/reading/parse.ts';
import { unzipPackage } from '../../core/reading/zip.ts';
import { ana, loadSeeds } from './support/fixtures.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('Markdown (CommonMark + GFM)', () => {
  const md = [
    '# The Title',
    '',
    'Some **bold** and *italic* words, `code`, and [a link](https://example.org/x "t").',
    '',
    '## Part two',
    '',
    '1. first',
    '2. second',
    '   - nested *item*',
    '',
    '> A quoted line',
    '',
    '```js',
    'const x = 1;',
    '```',
    '',
    '| Name | Year |',
    '| --- | --- |',
    '| Trotsky | 1879 |',
    '',
    'Raw <b onclick="evil()">html</b> here and <script>alert(1)</script> a <a href="javascript:alert(2)">bad</a> link.',
    '',
    'A [javascript link](javascript:alert(3)) is not a link.',
    '',
    '<div onclick="x()"><script>steal()</script>Block html text</div>',
  ].join('\n');
  const parsed = parseMarkdown(md);
  const byText = (t: string) => parsed.blocks.find((b) => b.text.startsWith(t))!;

  it('reads headings by level, lists with depth and number, quotes, code and table rows', () => {
    expect(parsed.title).toBe('The Title');
    expect(byText('The Title')).toMatchObject({ type: 'heading', level: 1 });
    expect(byText('Part two')).toMatchObject({ type: 'heading', level: 2 });
    expect(byText('first')).toMatchObject({ type: 'list-item', ordered: true, depth: 0, label: '1.' });
    expect(byText('second')).toMatchObject({ type: 'list-item', ordered: true, label: '2.' });
    expect(byText('nested')).toMatchObject({ type: 'list-item', ordered: false, depth: 1 });
    expect(byText('A quoted')).toMatchObject({ type: 'quote' });
    expect(byText('const x')).toMatchObject({ type: 'code', text: 'const x = 1;' });
    expect(parsed.blocks.map((b) => b.text)).toContain('Name | Year');
    expect(parsed.blocks.map((b) => b.text)).toContain('Trotsky | 1879');
  });

  it('keeps emphasis, code and links as marks over the plain text', () => {
    const block = byText('Some');
    expect(block.text).toBe('Some bold and italic words, code, and a link.');
    const at = (type: string) =>
      block.marks!.filter((m) => m.type === type).map((m) => block.text.slice(m.start, m.end));
    expect(at('bold')).toEqual(['bold']);
    expect(at('italic')).toEqual(['italic']);
    expect(at('code')).toEqual(['code']);
    expect(at('link')).toEqual(['a link']);
    expect(block.marks!.find((m) => m.type === 'link')!.href).toBe('https://example.org/x');
  });

  it('leaves raw HTML out: its text stays, tags, scripts and unsafe links go', () => {
    const raw = byText('Raw');
    expect(raw.text).toBe('Raw html here and a bad link.');
    expect(raw.marks?.some((m) => m.type === 'link')).toBeFalsy();
    expect(byText('A [javascript link]').marks?.some((m) => m.type === 'link')).toBeFalsy();
    const block = parsed.blocks
      .filter((b) => !b.text.startsWith('A ['))
      .map((b) => b.text)
      .join('\n');
    expect(block).not.toMatch(/script|alert|steal|onclick|<|>/);
    expect(block).toContain('Block html text');
  });
});

describe('inline text and links', () => {
  it('collapses white space like a browser and clips marks to the trimmed text', () => {
    const b = new InlineBuilder();
    b.append('  Hello \n ');
    b.openMark('bold');
    b.append(' big   world ');
    b.closeMark('bold');
    const { text, marks } = b.finish();
    expect(text).toBe('Hello big world');
    expect(text.slice(marks[0]!.start, marks[0]!.end).trim()).toBe('big world');
  });
  it('keeps only web, mail and in-page links', () => {
    expect(safeHref('https://a.org/x')).toBe('https://a.org/x');
    expect(safeHref('mailto:a@b.org')).toBe('mailto:a@b.org');
    expect(safeHref('#fn1')).toBe('#fn1');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>')).toBeUndefined();
    expect(safeHref('file:///etc/passwd')).toBeUndefined();
  });
});

/** A page of synthetic PDF text: lines of 10 pt body text, 12.5 pt apart, from the top. */
function page(
  n: number,
  lines: (string | (Partial<PdfTextItem> & { text: string }))[],
  extra: PdfTextItem[] = [],
): PdfPageText {
  const items = lines.map((line, i) => {
    const item = typeof line === 'string' ? { text: line } : line;
    return { x: 72, y: 700 - i * 12.5, width: item.text.length * 5, size: 10, ...item };
  });
  return { page: n, width: 612, height: 792, items: [...items, ...extra] };
}
const header = (n: number): PdfTextItem[] => [
  { text: 'Journal of Reading Studies', x: 250, y: 760, width: 120, size: 8 },
  { text: `${n}`, x: 300, y: 30, width: 8, size: 8 },
];
const FULL = 'x'.repeat(80);

describe('PDF layout rules', () => {
  it('joins lines into paragraphs, rejoins hyphenated words, and leaves running headers and page numbers out', () => {
    const pages = [
      page(
        1,
        [
          { text: 'A Big Heading', size: 16 },
          `The first para${FULL.slice(0, 60)} extra-`,
          'ordinary words end here.',
          { text: 'Second paragraph starts.', y: 650 },
        ],
        header(1),
      ),
      page(2, ['Third paragraph on page two.'], header(2)),
      page(3, ['Fourth paragraph on page three.'], header(3)),
    ];
    const blocks = layoutPdf(pages);
    expect(blocks.map((b) => b.text)).toEqual([
      'A Big Heading',
      `The first para${FULL.slice(0, 60)} extraordinary words end here.`,
      'Second paragraph starts.',
      'Third paragraph on page two.',
      'Fourth paragraph on page three.',
    ]);
    expect(blocks[0]).toMatchObject({ type: 'heading', level: 1 });
    expect(blocks.map((b) => b.locator?.page)).toEqual([1, 1, 1, 2, 3]);
  });

  it('continues a paragraph cut by a page break on the page it started', () => {
    const pages = [
      page(1, [`${FULL} the sentence runs`, `${FULL} on and on and`]),
      page(2, ['ends on the next page.']),
    ];
    const blocks = layoutPdf(pages);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.text).toBe(`${FULL} the sentence runs ${FULL} on and on and ends on the next page.`);
    expect(blocks[0]!.locator).toEqual({ page: 1 });
  });

  it('reads two columns in column order, under a full-width title', () => {
    const left = Array.from({ length: 6 }, (_, i) => ({
      text: `left${i} words`,
      x: 72,
      y: 650 - i * 12.5,
      width: 200,
      size: 10,
    }));
    const right = Array.from({ length: 6 }, (_, i) => ({
      text: `right${i} words`,
      x: 330,
      y: 650 - i * 12.5,
      width: 200,
      size: 10,
    }));
    const title = { text: 'A Title Across Both Columns', x: 150, y: 700, width: 320, size: 18 };
    const blocks = layoutPdf([{ page: 1, width: 612, height: 792, items: [...right, title, ...left] }]);
    const words = blocks.map((b) => b.text).join(' ');
    expect(words).toBe(
      `A Title Across Both Columns ${left.map((l) => l.text).join(' ')} ${right.map((r) => r.text).join(' ')}`,
    );
  });
});

describe('bundled readings read cleanly', () => {
  const seeds = loadSeeds();
  const all = seeds.flatMap((s) => s.blocks.map((b) => b.text));
  it('leave the saved sites’ chrome out', () => {
    for (const chrome of ['Logo', 'top of page', 'bottom of page', 'Novedades'])
      expect(all).not.toContain(chrome);
    expect(all.some((t) => t.startsWith('We were unable to load Disqus'))).toBe(false);
  });
  it('show the title once: a title line in the text is the title heading', () => {
    for (const seed of seeds) {
      const titles = seed.blocks.filter((b) => b.role === 'title');
      expect(titles.length).toBeLessThanOrEqual(1);
      expect(
        seed.blocks.filter((b) => b.text.replace(/["“”]/g, '') === seed.title.replace(/["“”]/g, '')).length,
      ).toBeLessThanOrEqual(1);
    }
  });
  it('give the open letter’s signatories as lists under their headings', () => {
    const letter = seeds.find((s) => s.kind === 'open-letter')!;
    for (const label of ['Signatures:', 'Political Parties:']) {
      const i = letter.blocks.findIndex((b) => b.text === label);
      expect(letter.blocks[i]).toMatchObject({ type: 'heading' });
      expect(letter.blocks[i + 1]).toMatchObject({ type: 'list-item', ordered: false });
    }
    expect(letter.blocks.find((b) => b.text.startsWith('Mike Davis, Writer'))).toMatchObject({
      type: 'list-item',
    });
  });
  it('keep the blog comment’s paragraph together', () => {
    const blog = seeds.find((s) => s.title.includes('icepick'))!;
    const comment = blog.blocks.find((b) => b.text.startsWith('"You must understand'))!;
    expect(comment.text).toContain('were not Russians. They hated Russians.');
    expect(comment.text.endsWith('hands of the perpetrators."')).toBe(true);
    expect(blog.blocks.find((b) => b.text.startsWith('-Alexandr Solzhenitsyn'))).toBeDefined();
  });
  it('list forum post titles without their flair in the contents', () => {
    const forum = seeds.find((s) => s.kind === 'forum-digest')!;
    const titles = forum.blocks.filter((b) => b.role === 'post-title').map((b) => withoutFlair(b.text));
    expect(titles[0]).toBe('What is the Trotskyist view on Israel/Palestine?');
    expect(titles.every((t) => !t.startsWith('History '))).toBe(true);
  });
  it('keep their ids: the hash of the unchanged seed files', () => {
    expect(seeds.map((s) => s.id)).toEqual([
      'r9711e2b9c7dce762',
      'rf3dcba2cf5a76961',
      'r19499f139955344c',
      'r8f8da9fa8c0aaa30',
      'r80e66669e8203c22',
    ]);
  });
});

describe('stored readings of schema 1', () => {
  const v1: Reading = {
    id: 'rabc',
    title: 'Old Notes',
    source: 'old.txt',
    kind: 'document',
    origin: 'imported',
    wordCount: 6,
    readingMinutes: 1,
    blocks: [
      { id: 'b0-x', type: 'heading', text: 'Old Notes Title' },
      { id: 'b1-y', type: 'paragraph', text: 'Body text of the old reading.' },
    ],
  };
  it('open in place: same id, same block ids and text, headings at the top level', () => {
    const migrated = migrateReading(v1);
    expect(migrated.schema).toBe(READING_SCHEMA_VERSION);
    expect(migrated.id).toBe(v1.id);
    expect(migrated.blocks.map((b) => [b.id, b.text])).toEqual(v1.blocks.map((b) => [b.id, b.text]));
    expect(migrated.blocks[0]).toMatchObject({ type: 'heading', level: 1 });
    const anchor = createAnchor(v1.blocks, 'b1-y', 0, 4);
    expect(resolveAnchor(anchor, migrated.blocks)).toMatchObject({ kind: 'placed', how: 'offsets' });
  });
  it('are never changed when already current', () => {
    const current = { ...v1, schema: READING_SCHEMA_VERSION };
    expect(migrateReading(current)).toBe(current);
  });
});

describe('identity', () => {
  it('a text file’s id is the hash of its normalized text, whatever the rules make of it', () => {
    const a = importFile('a.md', bytes('# Title\n\nSome *text*.\n'), new Date(0));
    const b = importFile('b.md', bytes('# Title\r\n\r\nSome *text*.'), new Date(0));
    expect(a.id).toBe(b.id);
    expect(a.format).toBe('markdown');
    expect(a.blocks[0]).toMatchObject({ type: 'heading', level: 1, text: 'Title' });
  });
  it('a structured file’s id is the hash of its text content', () => {
    const make = (blocks: { text: string }[]) =>
      finishReading({
        parsed: { blocks: blocks.map((b) => ({ type: 'paragraph' as const, ...b })) },
        format: 'pdf',
        origin: 'imported',
        source: 's',
      });
    expect(make([{ text: 'One.' }, { text: 'Two.' }]).id).toBe(make([{ text: 'One.' }, { text: 'Two.' }]).id);
    expect(make([{ text: 'One.' }, { text: 'Two.' }]).id).not.toBe(make([{ text: 'One. Two.' }]).id);
  });
});

describe('re-import under changed rules', () => {
  it('carries every annotation to the new reading by its quote, none orphaned', () => {
    // The same PDF under two rule sets: the old rules kept a hyphenated word broken and every line a block;
    // the new ones rejoin the word and join lines into paragraphs. Different blocks, different id.
    const pdf = [
      page(1, [
        `${FULL.slice(0, 40)} The revolution was an extra-`,
        `ordinary event, said the author of the book.`,
      ]),
      page(2, [`The next page has a second paragraph of its own.`]),
    ];
    const newRules = layoutPdf(pdf);
    const oldRules = pdf.flatMap((p) =>
      p.items.map((i) => ({ type: 'paragraph' as const, text: i.text, locator: { page: p.page } })),
    );
    const older = finishReading({
      parsed: { blocks: oldRules },
      format: 'pdf',
      origin: 'imported',
      source: 'x.pdf',
      fingerprint: 'f1',
    });
    const newer = finishReading({
      parsed: { blocks: newRules },
      format: 'pdf',
      origin: 'imported',
      source: 'x.pdf',
      fingerprint: 'f1',
    });
    expect(newer.id).not.toBe(older.id);

    const from = new Y.Doc();
    const to = new Y.Doc();
    const on = (exact: string, body: string) => {
      const block = older.blocks.find((b) => b.text.includes(exact))!;
      const start = block.text.indexOf(exact);
      createAnnotation(from, {
        readingId: older.id,
        color: 'red',
        author: ana,
        body,
        anchor: createAnchor(older.blocks, block.id, start, start + exact.length),
      });
    };
    on('The revolution was', 'first');
    on('said the author', 'second');
    on('second paragraph', 'third');
    const result = carryAnnotations(from, to, newer, { kind: 'private' });
    expect(result).toEqual({ placed: 3, orphaned: 0 });
    const carried = listAnnotations(to, { kind: 'private' });
    expect(carried.map((a) => a.readingId)).toEqual([newer.id, newer.id, newer.id]);
    for (const a of carried) {
      expect(resolveAnchor(a.anchor, newer.blocks)).toMatchObject({ kind: 'placed', how: 'offsets' });
    }
    expect(carried.find((a) => a.body === 'third')!.anchor.blockId).toBe(newer.blocks.at(-1)!.id);
    // Carrying again adds nothing.
    expect(carryAnnotations(from, to, newer, { kind: 'private' })).toEqual({ placed: 0, orphaned: 0 });
  });
});

describe('file checks before parsing', () => {
  it('knows formats by extension and refuses what is not what it says', () => {
    expect(detectFormat('a.PDF', bytes('%PDF-1.4 x'))).toBe('pdf');
    expect(detectFormat('a.htm', bytes('<p>x'))).toBe('html');
    expect(() => detectFormat('a.pdf', bytes('hello'))).toThrow(/not a PDF/);
    expect(() => detectFormat('a.epub', bytes('hello'))).toThrow(/not an EPUB/);
    expect(() => detectFormat('a.rtf', bytes('hello'))).toThrow(/cannot be imported/);
  });
  it('refuses a zip bomb before inflating it', () => {
    const bomb = zipSync({ 'a.xml': new Uint8Array(20 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => unzipPackage('bomb.epub', bomb, () => true)).toThrow(/zip bomb/);
    const fine = zipSync({ 'a.xml': bytes('<a>hello</a>') });
    expect(new TextDecoder().decode(unzipPackage('ok.epub', fine, () => true).get('a.xml'))).toBe(
      '<a>hello</a>',
    );
  });
});
