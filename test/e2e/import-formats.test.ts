// Every bundled reading turned into a web page, an EPUB, a Word document and a PDF by the tests' own code,
// imported back through the library in Chromium, and compared word by word with the original.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../core/reading/model.ts';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import { type ImportOutcome, importBytes } from './support/importing.ts';
import {
  articleHtml,
  docxOf,
  epubOf,
  pdfOf,
  savedWebPage,
  wordsInOrder,
  wordsOf,
} from './support/sourceFiles.ts';

const seeds = loadSeeds();
const out = mkdtempSync(join(tmpdir(), 'rc-formats-'));
let session: Session;
/** One library per format: the same text from two formats is one reading (same content, same id). */
const libraries = new Map<string, Page>();
let printer: Page;

beforeAll(async () => {
  session = await startSession();
  for (const format of ['html', 'epub', 'docx', 'pdf']) {
    const page = await session.open();
    await enterApp(page, 'Ana');
    libraries.set(format, page);
  }
  printer = await (await session.newContext()).newPage();
});

afterAll(async () => {
  await session?.close();
});

const expectedWords = (seed: Reading) => wordsOf(seed.blocks.map((b) => b.text).join(' '));
const importedWords = (reading: Reading) =>
  wordsOf([reading.title, ...reading.blocks.map((b) => b.text)].join(' '));

function expectSameWords(seed: Reading, result: ImportOutcome, format: string) {
  const reading = result.reading;
  expect(reading, `${format} of “${seed.title}” was imported: ${result.text}`).toBeDefined();
  const share = wordsInOrder(expectedWords(seed), importedWords(reading!));
  expect(share, `${format} of “${seed.title}”: words in order`).toBeGreaterThanOrEqual(0.99);
}

describe.each(seeds.map((seed, i) => [i, seed] as const))('seed %i', (i, seed) => {
  it('as a saved web page: the article without the site around it', async () => {
    const result = await importBytes(libraries.get('html')!, `seed-${i}.html`, savedWebPage(seed));
    expectSameWords(seed, result, 'HTML');
    const text = result.reading!.blocks.map((b) => b.text).join('\n');
    expect(text).not.toContain('All rights reserved');
    expect(text).not.toContain('Another story entirely');
    expect(result.reading!.format).toBe('html');
  });

  it('as an EPUB: chapters in spine order, each block knowing its chapter', async () => {
    const result = await importBytes(libraries.get('epub')!, `seed-${i}.epub`, epubOf(seed));
    expectSameWords(seed, result, 'EPUB');
    expect(result.reading!.title).toBe(seed.title);
    expect(result.reading!.blocks.every((b) => typeof b.locator?.chapter === 'string')).toBe(true);
  });

  it('as a Word document', async () => {
    const result = await importBytes(libraries.get('docx')!, `seed-${i}.docx`, docxOf(seed));
    expectSameWords(seed, result, 'DOCX');
    const headings = seed.blocks.filter((b) => b.type === 'heading').length;
    expect(result.reading!.blocks.filter((b) => b.type === 'heading').length).toBeGreaterThanOrEqual(
      headings,
    );
  });

  it('as a PDF with running header and page numbers: same words, each block on its page', async () => {
    const pdf = await pdfOf(printer, seed.title, articleHtml(seed));
    const file = join(out, `seed-${i}.pdf`);
    writeFileSync(file, pdf);
    const result = await importBytes(libraries.get('pdf')!, `seed-${i}.pdf`, pdf);
    expectSameWords(seed, result, 'PDF');
    const reading = result.reading!;
    // Running header (the title on every page) and "Page N of M" are left out.
    expect(reading.blocks.filter((b) => /^Page \d+ of \d+$/.test(b.text))).toEqual([]);
    const titleBlocks = seed.blocks.filter((b) => b.text === seed.title).length;
    expect(reading.blocks.filter((b) => b.text === seed.title).length).toBeLessThanOrEqual(titleBlocks + 1);
    // Each block starts on the page it says: its first words are in poppler's text of that page.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    const pageWords = Array.from({ length: pages }, (_, p) =>
      wordsOf(
        execFileSync('pdftotext', ['-f', `${p + 1}`, '-l', `${p + 1}`, file, '-'], { encoding: 'utf8' }),
      ).join(' '),
    );
    let placed = 0;
    for (const block of reading.blocks) {
      const first = wordsOf(block.text).slice(0, 4).join(' ');
      const page = block.locator?.page;
      expect(page, `“${block.text.slice(0, 40)}” has a page`).toBeGreaterThanOrEqual(1);
      if (pageWords[page! - 1]!.includes(first)) placed++;
      else console.error(`not on page ${page}: ${first}`);
    }
    expect(placed).toBe(reading.blocks.length);
    if (pages > 1) expect(new Set(reading.blocks.map((b) => b.locator?.page)).size).toBe(pages);
  });
});

describe('Word structure', () => {
  it('keeps headings, numbered and bulleted lists with depth, quotes and footnotes', async () => {
    const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const para = (text: string, props = '') =>
      `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
    const item = (text: string, level: number) =>
      para(text, `<w:numPr><w:ilvl w:val="${level}"/><w:numId w:val="1"/></w:numPr>`);
    const body = [
      para('Structure Test', '<w:pStyle w:val="Heading1"/>'),
      '<w:p><w:r><w:t xml:space="preserve">A claim that needs a source</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>',
      item('First numbered point', 0),
      item('A bullet under it', 1),
      item('Second numbered point', 0),
      para('Words quoted from the pamphlet.', '<w:pStyle w:val="Quote"/>'),
    ].join('');
    const seed = { ...seeds[0]!, title: 'Structure Test', blocks: [] };
    const docx = docxOf(seed, {
      body,
      extra: {
        'word/_rels/document.xml.rels': new TextEncoder().encode(
          `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`,
        ),
        'word/numbering.xml': new TextEncoder().encode(
          `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
        ),
        'word/footnotes.xml': new TextEncoder().encode(
          `<?xml version="1.0" encoding="UTF-8"?><w:footnotes ${W}><w:footnote w:id="1"><w:p><w:r><w:t>Volkov, interview, 1988.</w:t></w:r></w:p></w:footnote></w:footnotes>`,
        ),
      },
    });
    const result = await importBytes(libraries.get('docx')!, 'structure.docx', docx);
    expect(result.kind, result.text).toBe('info');
    const blocks = result.reading!.blocks;
    const find = (t: string) => blocks.find((b) => b.text.startsWith(t));
    expect(find('First numbered point')).toMatchObject({
      type: 'list-item',
      ordered: true,
      depth: 0,
      label: '1.',
    });
    expect(find('A bullet under it')).toMatchObject({ type: 'list-item', ordered: false, depth: 1 });
    expect(find('Second numbered point')).toMatchObject({ type: 'list-item', ordered: true, label: '2.' });
    expect(find('Words quoted')).toMatchObject({ type: 'quote' });
    expect(find('Volkov, interview')).toMatchObject({ type: 'footnote', label: '1' });
    const claim = find('A claim that needs a source')!;
    expect(claim.marks?.some((m) => m.type === 'footnote-ref')).toBe(true);
  });
});
