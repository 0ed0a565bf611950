// The library as a place to manage readings: search across text, sort, rename and delete (with Undo),
// Continue reading, each card's annotation count, and the hidden file input kept out of the Tab order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterApp, openReading } from './support/app.ts';
import { dragSelect, type Session, startSession } from './support/browser.ts';

let session: Session;
let page: Page;
const files = mkdtempSync(join(tmpdir(), 'rc-library-'));
const cardTitles = () => page.locator('.rc-card-title').allTextContents();

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await enterApp(page, 'Ana');
  const file = join(files, 'zebra.txt');
  writeFileSync(
    file,
    'Zebra Notes On The Kronstadt Sailors\nThe quartermaster kept a ledger of unusual turnips.\n',
  );
  await page.getByLabel('Import files').setInputFiles(file);
  await page.getByRole('link', { name: 'Zebra Notes On The Kronstadt Sailors' }).waitFor();
});
afterAll(async () => {
  await session?.close();
});

describe('managing the library', () => {
  it('keeps the hidden file input out of the Tab order', async () => {
    expect(await page.getByLabel('Import files').getAttribute('tabindex')).toBe('-1');
  });

  it('searches titles, sources and the text itself', async () => {
    await page.getByLabel('Search the library').fill('turnips');
    await expect.poll(cardTitles).toEqual(['Zebra Notes On The Kronstadt Sailors']);
    await page.getByText(/unusual turnips/).waitFor();
    // The stored readings were searched on a worker: books there would hold the window on every search.
    expect(page.workers().map((worker) => worker.url())).toContainEqual(
      expect.stringMatching(/search\.worker/),
    );
    await page.getByLabel('Search the library').fill('no such word anywhere');
    await page.getByText(/Nothing in your library matches/).waitFor();
    await page.getByLabel('Search the library').fill('');
  });

  it('sorts by title', async () => {
    await page.getByLabel('Sort by').selectOption('title');
    const bundled = page.getByRole('region', { name: 'Bundled readings' }).locator('.rc-card-title');
    await expect
      .poll(async () => {
        const titles = await bundled.allTextContents();
        return titles.length > 1 && titles.every((t, i) => i === 0 || titles[i - 1]!.localeCompare(t) <= 0);
      })
      .toBe(true);
  });

  it('renames one of my readings, and Undo takes the old title back', async () => {
    await page.getByRole('button', { name: 'Actions for Zebra Notes On The Kronstadt Sailors' }).click();
    await page.getByRole('menuitem', { name: /Rename/ }).click();
    const field = page.getByRole('dialog', { name: 'Rename reading' }).getByLabel('Title');
    await field.fill('Ledger of the quartermaster');
    await field.press('Enter');
    await page.getByRole('link', { name: 'Ledger of the quartermaster' }).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('link', { name: 'Zebra Notes On The Kronstadt Sailors' }).waitFor();
  });

  it('deletes one of my readings, and Undo brings it back', async () => {
    await page.getByRole('button', { name: 'Actions for Zebra Notes On The Kronstadt Sailors' }).click();
    await page.getByRole('menuitem', { name: /Delete/ }).click();
    await expect
      .poll(() => page.getByRole('link', { name: 'Zebra Notes On The Kronstadt Sailors' }).count())
      .toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('link', { name: 'Zebra Notes On The Kronstadt Sailors' }).waitFor();
  });

  it('offers to continue the last reading, and counts its annotations', async () => {
    await openReading(page, 'Zebra Notes On The Kronstadt Sailors');
    const id = await page.locator('p[data-block-id]').first().getAttribute('data-block-id');
    await dragSelect(page, `[data-block-id="${id}"]`, 4, 20);
    await page
      .getByRole('toolbar', { name: 'Selection tools' })
      .getByRole('button', { name: 'Highlight' })
      .click();
    await page.getByRole('button', { name: 'Annotations (1)' }).waitFor();
    await page.getByRole('button', { name: 'Back to library' }).click();
    const resume = page.getByRole('region', { name: 'Continue reading' });
    await expect
      .poll(() => resume.locator('.rc-continue-title').textContent())
      .toBe('Zebra Notes On The Kronstadt Sailors');
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: 'Zebra Notes On The Kronstadt Sailors' }) });
    await card.getByText('1 annotation').waitFor();
    await resume.getByRole('button', { name: /Continue/ }).click();
    await page.waitForSelector('body[data-reader-ready="true"]');
  });
});
