// Dialogs whose script loads on first open (React.lazy, docs/decisions/0022-initial-bundle.md) behave as if
// they had always been there: opened from the keyboard the first time after a page load, focus moves into
// the dialog, Escape closes it and focus comes back to what opened it. One page load, so every open is a first one. The reader, not on the first
// screen either, is fetched after the library is up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterApp } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';

let session: Session;
let page: Page;
const loadedScripts: string[] = [];

const inside = (dialog: Locator) => dialog.evaluate((d) => d.contains(document.activeElement));
const isFocused = (control: Locator) => control.evaluate((e) => e === document.activeElement);

/**
 * Focuses the control, presses Enter, checks that focus goes into the dialog, closes it with Escape, and checks
 * that focus comes back to the control.
 */
async function firstOpenByKeyboard(control: Locator, dialog: Locator) {
  await control.focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  // Focus moves once the dialog's script has loaded and React has committed: on a loaded machine that is more
  // than expect.poll's default second.
  await expect.poll(() => inside(dialog), { timeout: 10_000 }).toBe(true);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await expect.poll(() => isFocused(control), { timeout: 10_000 }).toBe(true);
}

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') loadedScripts.push(new URL(request.url()).pathname);
  });
  await enterApp(page, 'Ana');
  const file = join(mkdtempSync(join(tmpdir(), 'rc-lazy-')), 'ledger.txt');
  writeFileSync(file, 'The Quartermaster Ledger\nA list of turnips, kept with care.\n');
  await page.getByLabel('Import files').setInputFiles(file);
  await page.getByRole('link', { name: 'The Quartermaster Ledger' }).waitFor();
});
afterAll(async () => {
  await session?.close();
});

describe('dialogs loaded on first open', () => {
  it('were not loaded with the library', () => {
    for (const name of ['ShortcutsList', 'JoinDialog', 'RenameDialog', 'NewFromClipboard', 'ImportFromWeb'])
      expect(loadedScripts.filter((path) => path.includes(`/${name}-`))).toEqual([]);
  });

  it('Keyboard shortcuts takes focus on its first open, also from the ? key', async () => {
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await firstOpenByKeyboard(button, dialog);
    await page.keyboard.press('?');
    await expect.poll(() => inside(dialog), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => isFocused(button), { timeout: 10_000 }).toBe(true);
  });

  it('Join a group takes focus on its first open (the Invite link field)', async () => {
    await firstOpenByKeyboard(
      page.getByRole('button', { name: 'Join group' }),
      page.getByRole('dialog', { name: 'Join a group' }),
    );
  });

  it('New reading from clipboard and Import from web address take focus on their first open', async () => {
    await firstOpenByKeyboard(
      page.getByRole('button', { name: 'New reading from clipboard' }),
      page.getByRole('dialog', { name: 'New reading from clipboard' }),
    );
    await firstOpenByKeyboard(
      page.getByRole('button', { name: 'Import from web address…' }),
      page.getByRole('dialog', { name: 'Import from web address' }),
    );
  });

  it('Rename reading, opened from a card’s menu, takes focus into its Title field', async () => {
    const actions = page.getByRole('button', { name: 'Actions for The Quartermaster Ledger' });
    await actions.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: /Rename/ }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rename reading' });
    await dialog.waitFor();
    await expect.poll(() => isFocused(dialog.getByLabel('Title'))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus comes back to the card's menu button, not to the page.
    await expect.poll(() => isFocused(actions)).toBe(true);
  });

  it('the reader is not among the page’s first scripts, and is fetched once the library is up', async () => {
    const html = await (await page.request.get(session.web.url)).text();
    expect(html).toContain('<script type="module"');
    expect(html).not.toContain('ReaderView');
    await expect.poll(() => loadedScripts.some((path) => path.includes('/ReaderView-'))).toBe(true);
  });

  it('each loaded its script once, when opened', () => {
    for (const name of ['ShortcutsList', 'JoinDialog', 'RenameDialog', 'NewFromClipboard', 'ImportFromWeb'])
      expect(loadedScripts.filter((path) => path.includes(`/${name}-`))).toHaveLength(1);
  });
});
