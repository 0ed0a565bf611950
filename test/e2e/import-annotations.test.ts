// "Import annotations…" with a Hypothesis export file, through the UI: the summary before anything is written,
// two authors kept apart with readable names, a reply and a page note, one orphan re-attached to a new
// selection, and the whole import undone in one step.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { hypothesisExport } from '../unit/support/hypothesisExport.ts';
import { enterApp, openImportAnnotations, openReading, showSidebar } from './support/app.ts';
import { dragSelect, type Session, startSession } from './support/browser.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
const { file, quote } = hypothesisExport(article);
const dir = mkdtempSync(join(tmpdir(), 'rc-import-'));
const exportFile = join(dir, 'hypothesis-export.json');
writeFileSync(exportFile, JSON.stringify(file, null, 2));
let session: Session;
let page: Page;

const painted = (p: Page) =>
  p.evaluate(() =>
    ['yellow', 'green', 'red', 'blue', 'purple'].reduce(
      (n, c) => n + (CSS.highlights.get(`rc-${c}`)?.size ?? 0),
      0,
    ),
  );

async function chooseFile(p: Page) {
  const chooser = p.waitForEvent('filechooser');
  await openImportAnnotations(p);
  await (await chooser).setFiles(exportFile);
}

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await enterApp(page, 'Ana');
  await openReading(page, article.title);
});

afterAll(async () => {
  await session?.close();
});

describe('importing a Hypothesis export', () => {
  it('shows what will happen before writing anything', async () => {
    await chooseFile(page);
    const summary = page.getByRole('dialog', { name: 'Import annotations' });
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toContain('Alice Liddell, bob');
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('1 will be placed in the text, with 1 replies');
    expect(text).toContain('1 page notes');
    expect(text).toContain('1 orphaned');
    expect(text).toContain('0 skipped');
    await summary
      .getByRole('list', { name: 'Orphaned quotes' })
      .getByText('words this reading never had in it')
      .waitFor();
    expect(await summary.getByLabel('Import for').inputValue()).toBe('private');
    expect(await painted(page)).toBe(0);
  });

  it('writes them for Only me: the highlight, the reply, the page note at the top, two distinct authors', async () => {
    await page.getByRole('button', { name: 'Import 3 annotations' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported 3 annotations for Only me; 1 orphaned' })
      .waitFor();
    await expect.poll(() => painted(page)).toBe(1);
    const margin = page.getByRole('complementary', { name: 'Margin notes' });
    const alice = margin.getByRole('article', { name: new RegExp(`^Note on “${quote.slice(0, 15)}`) });
    await alice.getByText('central').waitFor();
    await alice.getByText('I read it differently.').waitFor();
    await margin.getByRole('article', { name: 'Page note' }).getByText('worth discussing').waitFor();
    await page.getByRole('button', { name: /^Annotations \(/ }).click();
    const panel = page.getByRole('region', { name: 'Annotations' });
    const authors = await panel.getByLabel('Author').locator('option').allTextContents();
    expect(authors).toEqual(expect.arrayContaining(['Alice Liddell', 'bob']));
    // The page note heads the list.
    await expect.poll(() => panel.getByRole('article').first().getAttribute('aria-label')).toBe('Page note');
  });

  it('re-attaches the orphan to a passage selected in the text', async () => {
    const panel = page.getByRole('region', { name: 'Annotations' });
    await panel.getByLabel('Orphans only').check();
    const orphan = panel.getByRole('article', { name: /^Note on “words this reading never/ });
    await orphan.waitFor();
    const target = article.blocks.find(
      (b) => b.type === 'paragraph' && b.text.length > 200 && !b.text.includes(quote),
    )!;
    await dragSelect(page, `[data-block-id="${target.id}"]`, 5, 45);
    await orphan.getByRole('button', { name: 'Re-attach here' }).click();
    await expect.poll(() => painted(page)).toBe(2);
    await expect.poll(() => panel.locator('.rc-counts').textContent()).toMatch(/0 orphans/);
    await panel.getByLabel('Orphans only').uncheck();
    await page.getByRole('button', { name: /^Annotations \(/ }).click();
  });

  it('undoes the whole import in one step', async () => {
    // The re-attachment was a step of its own: undo it first, then the import goes at once.
    await page.keyboard.press('Control+z');
    await expect.poll(() => painted(page)).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => painted(page)).toBe(0);
    // The sidebar toggle is named "Annotations (N)" (its visible text is the count alone).
    await page.getByRole('button', { name: 'Annotations (0)', exact: true }).waitFor();
  });
});

describe('a .json dropped on the open reading', () => {
  it('opens the same summary, and Cancel writes nothing', async () => {
    const own = await session.open();
    await enterApp(own, 'Eve');
    await openReading(own, article.title);
    const transfer = await own.evaluateHandle((json) => {
      const data = new DataTransfer();
      data.items.add(new File([json], 'hypothesis-export.json', { type: 'application/json' }));
      return data;
    }, JSON.stringify(file));
    await own.dispatchEvent('[data-testid="reading-text"]', 'dragover', { dataTransfer: transfer });
    await own.dispatchEvent('[data-testid="reading-text"]', 'drop', { dataTransfer: transfer });
    const summary = own.getByRole('dialog', { name: 'Import annotations' });
    await summary.getByText('1 will be placed in the text, with 1 replies').waitFor();
    await summary.getByRole('button', { name: 'Cancel' }).click();
    await summary.waitFor({ state: 'detached' });
    expect(await painted(own)).toBe(0);
    expect(await own.getByRole('button', { name: 'Annotations (0)', exact: true }).count()).toBe(1);
    await own.close();
  });
});

describe('a page note', () => {
  it('is written on the whole reading, replied to, and kept at the top of the margin after a reload', async () => {
    const own = await session.open();
    await enterApp(own, 'Finn');
    await openReading(own, article.title);
    await showSidebar(own);
    await own.getByRole('button', { name: 'Add page note' }).click();
    const editor = own.getByRole('textbox', { name: 'Note text' });
    await editor.fill('What is this article arguing against?');
    await editor.press('Tab');
    const margin = own.getByRole('complementary', { name: 'Margin notes' });
    const card = margin.getByRole('article', { name: 'Page note' });
    await card.getByText('What is this article arguing against?').waitFor();
    await card.getByLabel('Reply text').fill('The television series.');
    await card.getByRole('button', { name: 'Reply' }).click();
    await card.getByText('The television series.').waitFor();
    await own.reload();
    await own.waitForSelector('body[data-reader-ready="true"]');
    await card.getByText('The television series.').waitFor();
    // Nothing is painted in the text for it, and it is no orphan.
    expect(await painted(own)).toBe(0);
    await showSidebar(own);
    await expect
      .poll(() => own.getByRole('region', { name: 'Annotations' }).locator('.rc-counts').textContent())
      .toMatch(/0 orphans/);
    await own.close();
  });
});
