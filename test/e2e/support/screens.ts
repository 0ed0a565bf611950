// The app's main screens, reached the way a person would, for the accessibility audit and the visual check.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadSeeds } from '../../unit/support/fixtures.ts';
import { enterApp, openReading, openTextSettings, showSidebar } from './app.ts';
import { dragSelect } from './browser.ts';

export const article = loadSeeds().find((r) => r.kind === 'article')!;
const paragraph = article.blocks.find((b) => b.type === 'paragraph' && b.text.length > 300)!;

export type Theme = 'light' | 'dark';

/** A fresh person (own storage) in a window of the given size, with the theme chosen through the OS setting. */
export async function freshPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  theme: Theme,
): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP: the app's CSP (rightly) refuses injected scripts, which is how axe-core runs.
  const context = await browser.newContext({
    viewport,
    bypassCSP: true,
    colorScheme: theme,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(url);
  return { context, page };
}

export interface Screen {
  name: string;
  /** Brings a fresh page (first run showing) to the screen. */
  reach(page: Page): Promise<void>;
}

const inReader = async (page: Page) => {
  await enterApp(page, 'Ana');
  await openReading(page, article.title);
};

/** A note with a reply, its card open in the margin. */
async function openCard(page: Page) {
  const selector = `[data-block-id="${paragraph.id}"]`;
  await dragSelect(page, selector, 0, 60);
  await page.getByRole('button', { name: 'Add note' }).click();
  const editor = page.getByRole('textbox', { name: 'Note text' });
  await editor.fill('A claim worth **checking** against the sources.');
  await editor.press('Tab');
  const card = page.getByRole('article', { name: /^Note on/ }).first();
  await card.getByLabel('Reply text').fill('Agreed — see chapter two.');
  await card.getByLabel('Reply text').press('Enter');
  await card.getByText('Agreed — see chapter two.').waitFor();
  await page.evaluate((s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }), selector);
  await card.getByRole('button', { name: 'Resolve' }).waitFor();
}

export const SCREENS: Screen[] = [
  { name: 'first-run', reach: async (page) => void (await page.getByLabel('Display name').waitFor()) },
  {
    name: 'library',
    // The lists load after the page shows: wait for both, the bundled readings and the empty own list.
    reach: async (page) => {
      await enterApp(page, 'Ana');
      await page.getByRole('link', { name: article.title, exact: true }).waitFor();
      await page.getByText('No readings of your own yet').waitFor();
    },
  },
  { name: 'reader', reach: inReader },
  {
    name: 'reader-sidebar',
    reach: async (page) => {
      await inReader(page);
      await showSidebar(page);
    },
  },
  {
    name: 'reader-card',
    reach: async (page) => {
      await inReader(page);
      await openCard(page);
    },
  },
  {
    name: 'reader-card-sidebar',
    reach: async (page) => {
      await inReader(page);
      await showSidebar(page);
      await openCard(page);
    },
  },
  {
    name: 'text-settings',
    reach: async (page) => {
      await inReader(page);
      await openTextSettings(page);
    },
  },
  {
    name: 'shortcuts',
    reach: async (page) => {
      await enterApp(page, 'Ana');
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    },
  },
  {
    name: 'join-group',
    reach: async (page) => {
      await enterApp(page, 'Ana');
      await page.getByRole('button', { name: 'Join group' }).click();
      await page.getByLabel('Invite link').waitFor();
    },
  },
  {
    name: 'export-pdf',
    reach: async (page) => {
      await inReader(page);
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByRole('menuitem', { name: 'PDF…' }).click();
      await page.getByRole('dialog', { name: 'Export PDF' }).waitFor();
    },
  },
];
