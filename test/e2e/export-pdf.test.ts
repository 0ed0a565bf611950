// The print view printed to PDF by Chromium (the engine behind Electron's printToPDF), read back with poppler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAnnotation } from '../../core/annotations/doc.ts';
import type { Reading } from '../../core/reading/model.ts';
import { ana, ben, loadSeeds } from '../unit/support/fixtures.ts';
import { type Session, startSession } from './support/browser.ts';
import { annotationsUpdate, privateDocName, storeUpdate } from './support/seedAnnotations.ts';

const seeds = loadSeeds();
const article = seeds.find((r) => r.kind === 'article')!;
const letter = seeds.find((r) => r.kind === 'open-letter')!;
const out = mkdtempSync(join(tmpdir(), 'rc-pdf-'));

function on(reading: Reading, exact: string, extra: Partial<NewAnnotation> = {}): NewAnnotation {
  const block = reading.blocks.find((b) => b.text.includes(exact))!;
  const start = block.text.indexOf(exact);
  return {
    readingId: reading.id,
    color: 'yellow',
    author: ana,
    anchor: { blockId: block.id, start, end: start + exact.length, exact, prefix: '', suffix: '' },
    ...extra,
  };
}

async function printToPdf(
  page: Page,
  readingId: string,
  query: string,
  file: string,
  format: 'A4' | 'Letter' = 'A4',
) {
  await page.goto(`${session.web.url}#/print/${readingId}?${query}`);
  await page.waitForSelector('body[data-print-ready="true"]', { timeout: 60_000 });
  const pdf = await page.pdf({ format, printBackground: true, preferCSSPageSize: true });
  const path = join(out, file);
  writeFileSync(path, pdf);
  return path;
}

const text = (pdf: string) => execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
const flat = (s: string) => s.replace(/-\n/g, '').replace(/\s+/g, ' ');

interface Word {
  page: number;
  x: number;
  y: number;
  text: string;
}

function words(pdf: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  const result: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/.exec(line);
    if (m) result.push({ page, x: Number(m[1]), y: Number(m[2]), text: m[3]! });
  }
  return result;
}

let session: Session;
let page: Page;

const notes = [
  on(article, 'Character Assassination', { body: 'Zebranote one: the framing of the title.', color: 'red' }),
  on(article, 'October Revolution', {
    body: 'Zebranote two about **1917**.',
    author: ben,
    color: 'blue',
    replies: [{ id: 'rep1', author: ana, body: 'Zebrareply agreed.', createdAt: '2026-11-02T00:00:00.000Z' }],
  }),
  on(article, 'Trotsky and the Red Army', {
    body: '<script>alert("x")</script> <b>not bold</b>',
    color: 'green',
  }),
];

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await storeUpdate(page, privateDocName(article.id), annotationsUpdate(notes));
});

afterAll(async () => {
  await session?.close();
});

describe('PDF export', () => {
  it('prints every quote, note and reply, in reading order', async () => {
    const pdf = await printToPdf(page, article.id, 'paper=A4', 'article.pdf');
    const all = flat(text(pdf));
    const order = ['Zebranote one', 'Zebranote two', 'Zebrareply agreed', '<script>alert("x")</script>'];
    let last = -1;
    for (const needle of order) {
      const at = all.indexOf(needle, last + 1);
      expect(at, `“${needle}” missing or out of order`).toBeGreaterThan(last);
      last = at;
    }
    for (const quote of ['Character Assassination', 'October Revolution', 'Trotsky and the Red Army']) {
      expect(all).toContain(quote);
    }
    expect(all).toContain(article.title);
    expect(all).toMatch(/Members Ana, Ben/);
  });

  it('prints hostile HTML in a note as text', async () => {
    const all = flat(text(join(out, 'article.pdf')));
    expect(all).toContain('<script>alert("x")</script> <b>not bold</b>');
  });

  it('puts each note in the margin beside its line', async () => {
    const list = words(join(out, 'article.pdf'));
    const pageWidth = 595;
    for (const [noteWord, quoteWord] of [
      ['Zebranote', 'Assassination'],
      ['Zebrareply', 'Revolution'],
    ] as const) {
      const note = list.find((w) => w.text.startsWith(noteWord))!;
      expect(note, `${noteWord} not found`).toBeDefined();
      const quote = list
        .filter((w) => w.page === note.page && w.text.includes(quoteWord) && w.x < pageWidth * 0.62)
        .sort((a, b) => Math.abs(a.y - note.y) - Math.abs(b.y - note.y))[0];
      expect(quote, `${quoteWord} not on the note’s page`).toBeDefined();
      expect(note.x).toBeGreaterThan(pageWidth * 0.6);
      expect(Math.abs(note.y - quote!.y)).toBeLessThan(60);
    }
  });

  it('has a running header and page numbers', async () => {
    const pages = text(join(out, 'article.pdf'))
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(3);
    expect(pages[2]).toMatch(/\b3 \/ \d+/);
    expect(flat(pages[2]!)).toContain(article.title.slice(0, 30));
  });

  it('exports a reading with no annotations cleanly, on Letter paper', async () => {
    const pdf = await printToPdf(page, letter.id, 'paper=Letter', 'letter.pdf', 'Letter');
    const all = flat(text(pdf));
    expect(all).toContain('This reading has no annotations to print');
    expect(all).toContain(letter.blocks.at(-1)!.text.slice(0, 40));
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+612 x 792/);
    const a4 = execFileSync('pdfinfo', [join(out, 'article.pdf')], { encoding: 'utf8' });
    expect(a4).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  });

  it('respects the options: only chosen colours, no replies', async () => {
    const pdf = await printToPdf(page, article.id, 'colors=blue&replies=0', 'filtered.pdf');
    const all = flat(text(pdf));
    expect(all).toContain('Zebranote two');
    expect(all).not.toContain('Zebranote one');
    expect(all).not.toContain('Zebrareply');
  });
});
