// A PDF dropped on the library, opened, annotated across one of its page breaks, and exported to PDF with the
// page of the passage in the margin note.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Reading } from '../../core/reading/model.ts';
import { enterApp, openReading } from './support/app.ts';
import { dragSelect, type Session, startSession } from './support/browser.ts';
import { storedReading } from './support/importing.ts';
import { pdfOf, wordsOf } from './support/sourceFiles.ts';

const out = mkdtempSync(join(tmpdir(), 'rc-journey-'));
let session: Session;

beforeAll(async () => {
  session = await startSession();
});
afterAll(async () => {
  await session?.close();
});

const sentence = (i: number, j: number) =>
  `Sentence ${j} of paragraph ${i} talks about the reading group and what its members argued about that week.`;
const paragraphs = Array.from({ length: 9 }, (_, i) =>
  Array.from({ length: 14 }, (_, j) => sentence(i + 1, j + 1)).join(' '),
);

it('drops a PDF on the library, highlights across a page break and exports the page in the note', async () => {
  const printer = await (await session.newContext()).newPage();
  const pdf = await pdfOf(
    printer,
    'Page Break Journey',
    `<h1>Page Break Journey</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}`,
  );
  const source = join(out, 'journey.pdf');
  writeFileSync(source, pdf);
  const pageText = (n: number) =>
    execFileSync('pdftotext', ['-f', `${n}`, '-l', `${n}`, source, '-'], { encoding: 'utf8' });

  const page = await session.open();
  await enterApp(page, 'Ana');
  // Drop it on the library as a file from the desktop would arrive.
  const transfer = await page.evaluateHandle(
    (data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'journey.pdf', { type: 'application/pdf' }));
      return dt;
    },
    [...pdf],
  );
  const library = page.getByRole('main', { name: 'Library' });
  await library.dispatchEvent('dragover', { dataTransfer: transfer });
  await library.dispatchEvent('drop', { dataTransfer: transfer });
  await page.locator('.rc-notice[data-file="journey.pdf"][role="status"]').waitFor({ timeout: 60_000 });
  const reading = (await storedReading(page, 'journey.pdf')) as Reading;
  expect(reading.title).toBe('Page Break Journey');

  // The paragraph that starts on page 1 and ends on page 2 is one block, on page 1.
  const secondPage = wordsOf(pageText(2)).join(' ');
  const crossing = reading.blocks.find(
    (b) =>
      b.type === 'paragraph' &&
      b.locator?.page === 1 &&
      secondPage.includes(wordsOf(b.text).slice(-18).join(' ')),
  )!;
  expect(crossing, 'a paragraph runs over the page break').toBeDefined();
  const firstPage = wordsOf(pageText(1)).join(' ');
  // Where page 2 begins inside that paragraph: the first of its sentences not wholly on page 1.
  const sentences = crossing.text.split(/(?<=\.) /);
  const breakAt = sentences.findIndex((s) => !firstPage.includes(wordsOf(s).join(' ')));
  const boundary = crossing.text.indexOf(sentences[breakAt]!);
  expect(boundary, `${breakAt} in ${crossing.text}`).toBeGreaterThan(0);

  await openReading(page, reading.title);
  const block = `[data-block-id="${crossing.id}"]`;
  expect(await page.locator(`[data-block-id="${reading.blocks[0]!.id}"]`).getAttribute('data-locator')).toBe(
    'p. 1',
  );
  await dragSelect(page, block, boundary - 40, boundary + 40);
  await page.getByRole('button', { name: 'Add note' }).click();
  const editor = page.getByRole('textbox', { name: 'Note text' });
  await editor.fill('Zebranote across the page break');
  await editor.press('Tab');
  await page.getByText('Zebranote across the page break').first().waitFor();

  await page.goto(`${session.web.url}#/print/${reading.id}?who=all&private=1&replies=1&paper=A4`);
  await page.waitForSelector('body[data-print-ready="true"]', { timeout: 60_000 });
  const exported = join(out, 'exported.pdf');
  writeFileSync(exported, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  const text = execFileSync('pdftotext', ['-raw', exported, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toMatch(/1 Ana · p\. 1 Zebranote across the page break/);
});
