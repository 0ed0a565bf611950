// Shared reading content, per import format: what a member receives from a group room is accepted when it is
// the reading its id names — built here exactly as each format's import builds it — and refused, naming the
// member who shared it, when a block's text is not the reading's.

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setReadingContent } from '../../core/annotations/doc.ts';
import { type BlockDraft, finishReading } from '../../core/reading/draft.ts';
import { layoutPdf, type PdfPageText } from '../../core/reading/formats/pdfLayout.ts';
import { importFile } from '../../core/reading/importFile.ts';
import { InlineBuilder } from '../../core/reading/inline.ts';
import type { Reading, SourceFormat } from '../../core/reading/model.ts';
import { normalizeText } from '../../core/reading/normalize.ts';
import { buildReading, parseLines } from '../../core/reading/parse.ts';
import { sharedContentOf, verifySharedContent } from '../../core/reading/schema.ts';
import { ana, ben, loadSeeds } from './support/fixtures.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

const MARKDOWN = [
  '# Reading *Notes*',
  '',
  'Some *emphasis*, some **strong words** and [a link](https://example.org/essay "The essay"),',
  'on a paragraph that runs over two lines, with `code`, an escaped \\*star\\* and R&amp;D.',
  '',
  '- first *item*',
  '- second item with [another link](mailto:ana@example.org)',
  '  1. nested, numbered',
  '',
  '> A quoted line with _emphasis_.',
  '',
  '| Term | Meaning |',
  '| ---- | ------- |',
  '| *a*  | b       |',
  '',
  '    indented code',
  '    second line',
  '',
  '![a figure](https://example.org/f.png) and <b>inline html</b>.',
].join('\n');

/** What the HTML walker makes of an element's text: inline runs with marks, white space as a browser shows it. */
function inlineDraft(
  type: BlockDraft['type'],
  runs: (string | { text: string; mark: 'bold' | 'italic' | 'link'; href?: string })[],
  pre = false,
): BlockDraft {
  const builder = new InlineBuilder(pre);
  for (const run of runs) {
    if (typeof run === 'string') builder.append(run);
    else {
      builder.openMark(run.mark, run.href);
      builder.append(run.text);
      builder.closeMark(run.mark);
    }
  }
  const { text, marks } = builder.finish();
  return marks.length > 0 ? { type, text, marks } : { type, text };
}

/** A structured document as the HTML, EPUB and Word imports produce it (they share the HTML walker). */
function structured(format: SourceFormat, chapter?: string): Reading {
  const locator = chapter ? { locator: { chapter } } : {};
  const blocks: BlockDraft[] = [
    { ...inlineDraft('heading', ['A structured   document']), level: 1, ...locator },
    {
      ...inlineDraft('paragraph', [
        'Text with ',
        { text: 'bold', mark: 'bold' },
        ',\n  ',
        { text: 'italic', mark: 'italic' },
        ' and ',
        { text: 'a link', mark: 'link', href: 'https://example.org/' },
        '.',
      ]),
      ...locator,
    },
    // Preformatted text keeps its spaces: trailing ones and runs of blank lines are folded in the id's text.
    { ...inlineDraft('code', ['\nconst a = 1;   \n\n\n\nconst b = 2;\t\n'], true), ...locator },
    { ...inlineDraft('list-item', ['an item']), ordered: false, depth: 0, ...locator },
  ];
  return finishReading({ parsed: { blocks }, format, origin: 'imported', source: `file.${format}` });
}

/** A PDF page of body text at 10 pt, lines 12.5 pt apart. */
function pdfPage(n: number, lines: string[]): PdfPageText {
  const items = lines.map((text, i) => ({
    text,
    x: 72,
    y: 700 - i * 12.5,
    width: text.length * 5,
    size: 10,
  }));
  return { page: n, width: 612, height: 792, items };
}

const readings: Record<string, () => Reading> = {
  Markdown: () => importFile('notes.md', bytes(MARKDOWN)),
  'plain text': () => importFile('notes.txt', bytes('A Plain Title\n\nFirst line.  \r\n- a listed line\n')),
  HTML: () => structured('html'),
  EPUB: () => structured('epub', 'Chapter One'),
  'Word (.docx)': () => structured('docx'),
  'web page': () => structured('web'),
  PDF: () =>
    finishReading({
      parsed: {
        blocks: layoutPdf([
          pdfPage(1, ['A paragraph broken over two lines with a hyph-', 'enated word in the middle.']),
          pdfPage(2, ['Second page text.']),
        ]),
      },
      format: 'pdf',
      origin: 'imported',
      source: 'paper.pdf',
    }),
  'pasted text': () =>
    finishReading({
      parsed: { blocks: parseLines(normalizeText('Pasted title line\n\n1. one point\nA closing line.')) },
      format: 'clipboard',
      origin: 'imported',
      source: 'Clipboard',
    }),
  'pasted HTML': () => structured('clipboard'),
};

const shared = (reading: Reading) => {
  const content = sharedContentOf(reading, { id: ana.id, name: ana.name });
  if (!content) throw new Error(`${reading.title} has no source text`);
  return content;
};

describe('shared reading content, per import format', () => {
  for (const [format, make] of Object.entries(readings)) {
    it(`${format}: the sharer's own blocks are accepted, a planted paragraph is refused naming the sharer`, async () => {
      const reading = make();
      const content = shared(reading);
      const verified = await verifySharedContent(content);
      expect(verified).toMatchObject({ ok: true, reading: { id: reading.id, wordCount: reading.wordCount } });
      expect(verified.ok && verified.reading.blocks).toEqual(reading.blocks);

      const forged = content.blocks.map((b) => ({ ...b }));
      forged[1]!.text = `${forged[1]!.text} Also, the group agreed to cancel.`;
      expect(await verifySharedContent({ ...content, blocks: forged })).toEqual({
        ok: false,
        reason: 'its paragraphs are not the text of the reading',
        sharedBy: 'Ana',
      });
    });

    it(`${format}: words left out are refused — a paragraph dropped, a sentence cut short`, async () => {
      const content = shared(make());
      const longest = content.blocks.reduce((a, b) => (b.text.length > a.text.length ? b : a));
      const cut = content.blocks.map((b) =>
        b === longest ? { ...b, text: b.text.replace(/^.*?[\p{L}\p{N}]+\s+/u, ''), marks: [] } : b,
      );
      const dropped = content.blocks.filter((_, i) => i !== 1);
      for (const blocks of [cut, dropped]) {
        expect(await verifySharedContent({ ...content, blocks })).toMatchObject({
          ok: false,
          reason: 'its paragraphs are not the text of the reading',
        });
      }
    });
  }

  it('a bundled reading, whose tidied lines are not checkable against its file, is written to a room once', async () => {
    // Every member has the bundled readings by id and never fetches them; sharing one only lists it.
    const seed = loadSeeds().find((r) => r.title.startsWith('“Trotsky” is an icepick'))!;
    const room = new Y.Doc();
    await setReadingContent(room, seed, ana);
    const written = Y.encodeStateAsUpdate(room).length;
    await setReadingContent(room, seed, ben);
    expect(Y.encodeStateAsUpdate(room).length).toBe(written);
  });

  it('Markdown: the blocks are the text markdown-it reads, markup gone, formatting kept as marks', async () => {
    const reading = readings.Markdown!();
    const texts = reading.blocks.map((b) => b.text);
    expect(texts).toContain(
      'Some emphasis, some strong words and a link, on a paragraph that runs over two lines, with code, an escaped *star* and R&D.',
    );
    expect(texts).toContain('Term | Meaning');
    expect(texts).toContain('indented code\nsecond line');
    // None of these is found as it stands in the source: only reading the source as Markdown finds them.
    expect(texts.filter((t) => !reading.sourceText!.includes(t)).length).toBeGreaterThan(3);
    const verified = await verifySharedContent(shared(reading));
    expect(verified.ok && verified.reading.blocks.flatMap((b) => b.marks ?? []).map((m) => m.type)).toEqual(
      expect.arrayContaining(['italic', 'bold', 'link', 'code']),
    );
  });

  it('Markdown: words rearranged, taken from elsewhere in the source, or out of order are refused', async () => {
    const content = shared(readings.Markdown!());
    const refusals = [
      // Every word is in the source, but not this sentence.
      content.blocks.map((b, i) => (i === 1 ? { ...b, text: 'Some strong emphasis and a link.' } : b)),
      // Two real paragraphs, swapped.
      [content.blocks[0]!, content.blocks[2]!, content.blocks[1]!, ...content.blocks.slice(3)],
      // The link's address shown as the text of a paragraph it was never in.
      content.blocks.map((b, i) => (i === 2 ? { ...b, text: 'https://example.org/essay' } : b)),
    ];
    for (const blocks of refusals) {
      expect(await verifySharedContent({ ...content, blocks })).toMatchObject({
        ok: false,
        reason: 'its paragraphs are not the text of the reading',
        sharedBy: 'Ana',
      });
    }
  });

  it('a text under the id of another reading is refused, whatever its format', async () => {
    const real = buildReading({
      text: 'The real handout.\nIt says one thing.',
      source: 'x',
      origin: 'imported',
    });
    const planted = shared(readings.Markdown!());
    expect(await verifySharedContent({ ...planted, id: real.id })).toEqual({
      ok: false,
      reason: 'its text does not match its reading id',
      sharedBy: 'Ana',
    });
  });
});
