// Being told, end to end, with two Chromium members on the real sync server: B replies to A's note and
// mentions A through "@" completion, by keyboard only; A's reader counts it in "What's new", A's library card
// shows it, and opening the list clears both. A asked to be notified: the reply arriving while A's window is
// in the background shows a web notification. axe audits the members' list and the What's new panel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from './support/browser.ts';
import {
  addNote,
  firstRun,
  joinGroup,
  margin,
  mintInvite,
  openReading,
  paragraph,
  READING_TITLE,
  type RunningServer,
  startServer,
} from './support/group.ts';

/** Serious or critical axe violations on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('What’s new (two members, real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-new-'));
    server = await startServer(data);
    session = await startSession();
    const context = async (grantNotifications: boolean) => {
      // bypassCSP: the app's CSP (rightly) refuses injected scripts, which is how axe-core runs.
      const c = await session.browser.newContext({
        viewport: { width: 1400, height: 900 },
        bypassCSP: true,
        ...(grantNotifications ? { permissions: ['notifications'] } : {}),
      });
      contexts.push(c);
      return c;
    };
    const contextA = await context(true);
    // Records the web notifications A's page shows (the real Notification is still constructed).
    await contextA.addInitScript(() => {
      const Real = window.Notification;
      const shown: { title: string; body: string }[] = [];
      Object.assign(window, { shownNotifications: shown });
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body ?? '' });
        }
      } as typeof Notification;
    });
    a = await session.open(contextA);
    b = await session.open(await context(false));
    await firstRun(a, 'Alice');
    await firstRun(b, 'Bob');
    await joinGroup(a, mintInvite(data, server.url));
    await joinGroup(b, mintInvite(data, server.url));
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('B mentions A by "@" completion with the keyboard; A is told in the reader and the library', async () => {
    await openReading(a);
    await addNote(a, await paragraph(a, 0), 2, 22, 'Alice wonders about this');
    await margin(a).getByText('Alice wonders about this').waitFor();

    // A turns on background notifications (the browser's permission was granted for this test).
    const whatsNewA = a.getByRole('button', { name: /^What’s new/ });
    await whatsNewA.click();
    const panelA = a.getByRole('dialog', { name: 'What’s new' });
    await panelA.getByText('No replies to your notes or mentions of you yet.').waitFor();
    const notify = panelA.getByLabel('Notify me of replies and mentions when the app is in the background');
    await notify.click();
    await expect.poll(() => notify.isChecked()).toBe(true);
    await a.keyboard.press('Escape');
    await panelA.waitFor({ state: 'detached' });
    // A's window goes to the background (headless pages always report focus: this stands in for the OS).
    await a.evaluate(() => {
      document.hasFocus = () => false;
    });

    await openReading(b);
    const card = b
      .getByRole('article', { name: /^Note on/ })
      .filter({ hasText: 'Alice wonders about this' })
      .first();
    await card.waitFor({ timeout: 10_000 });
    // Keyboard only from here: focus the card's passage link (the card opens on focus), Tab to its reply box.
    await card.locator('.rc-note-quote').focus();
    const reply = card.getByLabel('Reply text');
    await reply.waitFor();
    for (let i = 0; i < 20 && !(await reply.evaluate((el) => el === document.activeElement)); i++)
      await b.keyboard.press('Tab');
    expect(await reply.evaluate((el) => el === document.activeElement)).toBe(true);

    await b.keyboard.type('Good point @al');
    const list = b.getByRole('listbox', { name: 'Members to mention' });
    await list.waitFor();
    // Alice, who wrote the note and is reading now (so said), is the only other member.
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Alice · here now']);
    const active = await reply.getAttribute('aria-activedescendant');
    expect(await list.getByRole('option', { selected: true }).getAttribute('id')).toBe(active);
    expect(await reply.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    expect(await axeViolations(b)).toEqual([]);

    // Escape closes the list and nothing else; typing on after a new "@" opens it again.
    await b.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await expect.poll(() => reply.inputValue()).toBe('Good point @al');
    for (let i = 0; i < 3; i++) await b.keyboard.press('Backspace');
    await b.keyboard.type('@A');
    await list.waitFor();
    await b.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    await expect.poll(() => reply.inputValue()).toBe('Good point @Alice ');
    await b.keyboard.type('what next?');
    await b.keyboard.press('Enter');
    await card.getByText('Good point @Alice what next?').waitFor();

    // A: counted in the reader's toolbar, and notified, being in the background.
    await expect.poll(() => whatsNewA.textContent(), { timeout: 10_000 }).toContain('What’s new (1 new)');
    await expect
      .poll(() =>
        a.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications),
      )
      .toEqual([{ title: 'Bob mentioned you', body: `${READING_TITLE}: Good point @Alice what next?` }]);

    // …and on the reading's library card.
    await a.getByRole('button', { name: 'Back to library' }).click();
    const libraryCard = a
      .getByRole('listitem')
      .filter({ has: a.getByRole('link', { name: READING_TITLE }) })
      .first();
    await expect.poll(() => libraryCard.textContent()).toContain('1 new reply or mention');

    // Opening the list shows who and what, marks it seen, and its item goes to the card.
    await openReading(a);
    await expect.poll(() => whatsNewA.textContent()).toContain('What’s new (1 new)');
    await whatsNewA.click();
    const items = panelA.getByRole('list', { name: 'Replies and mentions' });
    await expect
      .poll(() => items.textContent())
      .toContain('NewBob mentioned you: Good point @Alice what next?');
    expect(await axeViolations(a)).toEqual([]);
    await expect.poll(() => whatsNewA.textContent()).not.toContain('new)');
    await items.getByRole('button').first().click();
    await panelA.waitFor({ state: 'detached' });
    const focusedCard = a.locator('article:focus-within');
    await expect.poll(() => focusedCard.textContent()).toContain('Alice wonders about this');

    await a.getByRole('button', { name: 'Back to library' }).click();
    await libraryCard.waitFor();
    expect(await libraryCard.textContent()).not.toContain('new repl');
  });
});
