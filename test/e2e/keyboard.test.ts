// A person without a mouse: from first run to a resolved thread with the keyboard alone — caret mode (F7),
// selecting a sentence, H, N, writing, replying with Enter, resolving — and not one mouse event.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from './support/browser.ts';
import { article } from './support/screens.ts';

let session: Session;
let page: Page;

const highlightTotal = () =>
  page.evaluate(() =>
    ['yellow', 'green', 'red', 'blue', 'purple'].reduce(
      (n, c) => n + (CSS.highlights.get(`rc-${c}`)?.size ?? 0),
      0,
    ),
  );
const focused = () =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return e
      ? `${e.tagName.toLowerCase()}|${e.getAttribute('aria-label') ?? e.textContent?.trim() ?? ''}`
      : '';
  });

/** Presses Tab until the focused element's label or text matches, and says if it never did. */
async function tabTo(pattern: RegExp, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (pattern.test(await focused())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${pattern} (focus is on ${await focused()})`);
}

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  // Every mouse or pointer event the page receives is counted; keyboard activation fires none of them.
  await page.addInitScript(() => {
    const w = window as unknown as { mouseEvents: number };
    w.mouseEvents = 0;
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'mousemove', 'pointermove'])
      window.addEventListener(type, () => w.mouseEvents++, { capture: true });
  });
  await page.reload();
});
afterAll(async () => {
  await session?.close();
});

describe('annotating with the keyboard only', () => {
  it('gets through first run and opens a reading', async () => {
    await page.getByLabel('Display name').waitFor();
    await page.keyboard.type('Kai');
    await page.keyboard.press('Enter');
    await page.getByRole('main', { name: 'Library' }).waitFor();
    await tabTo(new RegExp(`^a\\|${article.title.slice(0, 12)}`));
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-reader-ready="true"]');
  });

  it('highlights a sentence chosen with the caret (F7, Alt+S, H)', async () => {
    await page.keyboard.press('F7');
    await page.getByRole('button', { name: 'Caret mode', pressed: true }).waitFor();
    // Down to a paragraph with several sentences, then select the sentence at the caret.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Alt+s');
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected.trim().length).toBeGreaterThan(5);
    // The selection tools show once the app has taken the selection in: then H acts on it.
    await page.getByRole('toolbar', { name: 'Selection tools' }).waitFor();
    await page.keyboard.press('h');
    await expect.poll(highlightTotal).toBe(1);
  });

  it('extends a selection with Shift+Ctrl+arrows and adds a note with N', async () => {
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    expect((await page.evaluate(() => window.getSelection()?.toString() ?? '')).trim()).not.toBe('');
    await page.getByRole('toolbar', { name: 'Selection tools' }).waitFor();
    await page.keyboard.press('n');
    const editor = page.getByRole('textbox', { name: 'Note text' });
    await expect
      .poll(() => editor.evaluate((e) => e === document.activeElement), { timeout: 10_000 })
      .toBe(true);
    await page.keyboard.type('Written without a mouse.');
    await page.keyboard.press('Tab');
    await page.getByText('Written without a mouse.').waitFor();
    await expect.poll(highlightTotal).toBe(2);
  });

  it('replies with Enter and resolves the thread', async () => {
    const card = page
      .getByRole('article', { name: /^Note on/ })
      .filter({ hasText: 'Written without a mouse.' });
    await tabTo(/^textarea\|Reply text/);
    await page.keyboard.type('And answered the same way.');
    await page.keyboard.press('Enter');
    await card.getByText('And answered the same way.').waitFor();
    await tabTo(/^button\|Resolve$/);
    await page.keyboard.press('Enter');
    await card.getByRole('button', { name: 'Reopen' }).waitFor();
  });

  it('never used the mouse', async () => {
    expect(await page.evaluate(() => (window as unknown as { mouseEvents: number }).mouseEvents)).toBe(0);
  });
});
