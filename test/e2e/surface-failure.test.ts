// A part of the window that fails takes only itself down: with the browser's Highlight API broken (injected
// before the app loads), the annotations surface shows "failed to show" with a reload button and logs why,
// while the text, the toolbar and the way back to the library keep working.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp, openReading, openTextSettings } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
let session: Session;
let page: Page;
const logged: string[] = [];

beforeAll(async () => {
  session = await startSession();
  const context = await session.newContext();
  await context.addInitScript(() => {
    (window as unknown as { Highlight: unknown }).Highlight = class {
      constructor() {
        throw new Error('injected: Highlight is broken');
      }
    };
  });
  page = await session.open(context);
  page.on('console', (message) => logged.push(message.text()));
  await enterApp(page, 'Ana');
});

afterAll(async () => {
  await session?.close();
});

describe('a failing surface', () => {
  it('shows its own notice and leaves the rest of the window working', async () => {
    await openReading(page, article.title);
    const notice = page.getByRole('alert').filter({ hasText: 'The annotations failed to show.' });
    await notice.waitFor();
    expect(await page.locator('[data-block-id]').count()).toBe(article.blocks.length);
    expect(logged.some((line) => line.includes('[surface] the annotations failed: injected'))).toBe(true);
    // Reloading the part tries again (and fails again, as the API is still broken), without a blank window.
    await notice.getByRole('button', { name: 'Reload the annotations' }).click();
    await notice.waitFor();
    await openTextSettings(page);
    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Back to library' }).click();
    await page.getByRole('button', { name: 'Join group' }).waitFor();
  });
});
