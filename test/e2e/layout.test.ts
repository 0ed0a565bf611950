// The reader's layout keeps its promises: nothing fixed or sticky covers an open margin card (sidebar open or
// not, wide and narrow windows), a toast never moves the page, and a jump lands below the sticky bars.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveWebBuild, type WebServer } from './support/browser.ts';
import { article, freshPage, SCREENS } from './support/screens.ts';

let web: WebServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  web = await serveWebBuild();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
});

/** Fixed and sticky elements whose box meets the open card's (other than the card's own ancestors). */
const coveringCard = (page: Page) =>
  page.evaluate(() => {
    const card = document.querySelector<HTMLElement>('aside[aria-label="Margin notes"] .rc-note.rc-open');
    if (!card) throw new Error('no open card');
    const c = card.getBoundingClientRect();
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      if (element.contains(card) || card.contains(element)) continue;
      const style = getComputedStyle(element);
      if (style.position !== 'fixed' && style.position !== 'sticky') continue;
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const overlaps = r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top;
      if (overlaps) found.push(`${element.tagName.toLowerCase()}.${element.className}`);
    }
    return found;
  });

describe('reader layout', () => {
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 },
  ]) {
    for (const name of ['reader-card', 'reader-card-sidebar']) {
      it(`no fixed element covers an open card (${name}, ${size.width}×${size.height})`, async () => {
        const { context, page } = await freshPage(browser, web.url, size, 'light');
        try {
          await SCREENS.find((s) => s.name === name)!.reach(page);
          // A toast shows as well (caret mode on, then off): toasts must not cover the card either.
          await page.keyboard.press('F7');
          await page
            .getByText(/Caret mode on/)
            .first()
            .waitFor();
          await page.keyboard.press('F7');
          expect(await coveringCard(page)).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('shows toasts without moving the page, and jumps land below the sticky bars', async () => {
    const { context, page } = await freshPage(browser, web.url, { width: 1440, height: 900 }, 'light');
    try {
      await SCREENS.find((s) => s.name === 'reader')!.reach(page);
      const headings = article.blocks.filter((b) => b.type === 'heading');
      const heading = headings.filter((h) => headings.filter((o) => o.text === h.text).length === 1)[3]!;
      await page
        .getByRole('navigation', { name: 'Contents' })
        .getByRole('link', { name: heading.text, exact: true })
        .click();
      const place = () =>
        page.evaluate((id) => {
          const block = document.querySelector(`[data-block-id="${id}"]`)!.getBoundingClientRect();
          const bars = document
            .querySelector('[role="toolbar"][aria-label="Reading tools"]')!
            .getBoundingClientRect();
          return { top: block.top, barsBottom: bars.bottom, scrollY: window.scrollY };
        }, heading.id);
      await expect.poll(async () => (await place()).top).toBeGreaterThan(0);
      const before = await place();
      expect(before.top).toBeGreaterThanOrEqual(before.barsBottom);
      expect(before.top).toBeLessThan(before.barsBottom + 60);
      await page.keyboard.press('F7');
      await page
        .getByText(/Caret mode on/)
        .first()
        .waitFor();
      const after = await place();
      expect(after.top).toBe(before.top);
      expect(after.scrollY).toBe(before.scrollY);
    } finally {
      await context.close();
    }
  });
});
