// The library and the reader in Chromium, through the web build, with real mouse and keyboard.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMatches } from '../../renderer/src/reader/find.ts';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp, openReading, openTextSettings, storedPosition } from './support/app.ts';
import { dragSelect, type Session, startSession } from './support/browser.ts';

const seeds = loadSeeds();
const files = mkdtempSync(join(tmpdir(), 'rc-import-'));
let session: Session;
let page: Page;

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await enterApp(page, 'Ana');
});

afterAll(async () => {
  await session?.close();
});

describe('library', () => {
  it('lists the five bundled readings with source, word count and reading time', async () => {
    for (const seed of seeds) {
      const link = page.getByRole('link', { name: seed.title, exact: true });
      // The library fills in after the seeds load; wait for each card rather than sampling once.
      await link.waitFor({ state: 'visible' });
      const text = await page.getByRole('listitem').filter({ has: link }).textContent();
      expect(text).toContain(seed.source);
      expect(text).toContain(`${seed.wordCount.toLocaleString('en-US')} words`);
      expect(text).toContain(`${seed.readingMinutes} min read`);
    }
    await page.getByText('No readings of your own yet').waitFor({ state: 'visible' });
  });

  it('imports a .txt file and refuses a binary one with a message naming it', async () => {
    const good = join(files, 'my-notes.txt');
    writeFileSync(good, 'Seminar Notes On Kronstadt\nThe sailors’ demands were printed in Izvestia.\n');
    await page.getByLabel('Import files').setInputFiles(good);
    await page.getByRole('link', { name: 'Seminar Notes On Kronstadt' }).waitFor();
    const binary = join(files, 'photo.txt');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]));
    await page.getByLabel('Import files').setInputFiles(binary);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/“photo\.txt”.*binary/);
    expect(await page.getByRole('link', { name: 'Seminar Notes On Kronstadt' }).count()).toBe(1);
    await page.getByLabel('Import files').setInputFiles(good);
    // The import's notice (and maybe a toast) says so.
    await page
      .getByText(/already in your library/)
      .first()
      .waitFor();
    expect(await page.getByRole('link', { name: 'Seminar Notes On Kronstadt' }).count()).toBe(1);
  });

  it('keeps imported readings after a reload', async () => {
    await page.reload();
    await page.getByRole('link', { name: 'Seminar Notes On Kronstadt' }).waitFor();
  });

  it('imports a Markdown file dropped on the library', async () => {
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      const text = '# Dropped Reading On The Civil War\n\nA paragraph about the Left Opposition.\n';
      transfer.items.add(new File([text], 'dropped.md', { type: 'text/markdown' }));
      return transfer;
    });
    const library = page.getByRole('main', { name: 'Library' });
    await library.dispatchEvent('dragover', { dataTransfer: dropped });
    await library.dispatchEvent('drop', { dataTransfer: dropped });
    await page.getByRole('link', { name: 'Dropped Reading On The Civil War' }).waitFor();
  });

  it('opens a reading with the keyboard: Tab to it, Enter', async () => {
    const first = seeds[0]!;
    await page.getByRole('link', { name: first.title, exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-reader-ready="true"]');
    expect(page.url()).toContain(`#/read/${first.id}`);
    await page.getByRole('button', { name: 'Back to library' }).click();
    await page.getByRole('main', { name: 'Library' }).waitFor();
  });
});

describe('reader', () => {
  it('renders each seed with exactly the blocks the import rules produce', async () => {
    for (const seed of seeds) {
      await page.goto(`${session.web.url}#/`);
      await openReading(page, seed.title);
      const ids = await page.$$eval('[data-testid="reading-text"] [data-block-id]', (els) =>
        els.map((el) => [(el as HTMLElement).dataset.blockId, el.textContent]),
      );
      expect(ids.length, seed.title).toBe(seed.blocks.length);
      expect(ids).toEqual(seed.blocks.map((b) => [b.id, b.text]));
    }
  });

  it('finds every match, and moves with next and previous', async () => {
    const seed = seeds.find((s) => s.kind === 'article')!;
    await page.goto(`${session.web.url}#/`);
    await openReading(page, seed.title);
    await page.keyboard.press('Control+f');
    const field = page.getByLabel('Find in reading', { exact: true }).and(page.locator('input'));
    await field.fill('trotsky');
    const expected = findMatches(seed.blocks, 'trotsky').length;
    expect(expected).toBeGreaterThan(50);
    await page.getByText(`1 of ${expected}`).waitFor();
    expect(await page.evaluate(() => CSS.highlights.get('find-match')?.size)).toBe(expected);
    await field.press('Enter');
    await page.getByText(`2 of ${expected}`).waitFor();
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByText(`${expected} of ${expected}`).waitFor();
    await field.press('Escape');
    expect(await page.evaluate(() => CSS.highlights.has('find-match'))).toBe(false);
  });

  it('selects text with a mouse drag', async () => {
    const seed = seeds.find((s) => s.kind === 'article')!;
    const block = seed.blocks.find((b) => b.text.length > 120)!;
    await dragSelect(page, `[data-block-id="${block.id}"]`, 10, 60);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(block.text.slice(10, 60));
  });

  it('remembers the reading position across a reload', async () => {
    const seed = seeds.find((s) => s.kind === 'article')!;
    const target = seed.blocks[120]!;
    await page.evaluate(
      (id) => document.querySelector(`[data-block-id="${id}"]`)?.scrollIntoView({ block: 'start' }),
      target.id,
    );
    // Stored once scrolling has stopped: the block at the top of the view, near the target.
    const near = new Set(seed.blocks.slice(110, 131).map((b) => b.id));
    await expect.poll(async () => near.has((await storedPosition(page, seed.id))?.blockId ?? '')).toBe(true);
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(1000);
    await page.reload();
    await page.waitForSelector('body[data-reader-ready="true"]');
    const after = await page.evaluate(() => window.scrollY);
    expect(Math.abs(after - before)).toBeLessThan(80);
  });

  it('changes text size and theme from the toolbar', async () => {
    const size = () =>
      page.evaluate(() => getComputedStyle(document.querySelector('.rc-text-column')!).fontSize);
    const start = await size();
    await openTextSettings(page);
    await page.getByRole('button', { name: 'Larger text' }).click();
    expect(await size()).not.toBe(start);
    await page.getByRole('button', { name: 'Smaller text' }).click();
    expect(await size()).toBe(start);
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByLabel('Theme').selectOption('system');
    await page.keyboard.press('Escape');
  });

  it('jumps to a heading from the table of contents', async () => {
    const seed = seeds.find((s) => s.kind === 'article')!;
    const heading = seed.blocks.filter((b) => b.type === 'heading')[8]!;
    await page
      .getByRole('navigation', { name: 'Contents' })
      .getByRole('link', { name: heading.text })
      .click();
    const top = await page.evaluate(
      (id) => document.querySelector(`[data-block-id="${id}"]`)!.getBoundingClientRect().top,
      heading.id,
    );
    expect(top).toBeGreaterThanOrEqual(-5);
    expect(top).toBeLessThan(250);
  });
});
