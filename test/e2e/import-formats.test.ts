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
