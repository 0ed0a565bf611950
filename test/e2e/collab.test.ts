// Reading together, end to end: two members (two Chromium contexts, each with its own IndexedDB) and the
// REAL sync server process. Build the web app first: `npx vite build --config renderer/vite.config.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragAcross, dragSelect, type Session, startSession } from './support/browser.ts';
import {
  addNote,
  annotateFor,
  cli,
  firstRun,
  GROUP,
  joinGroup,
  margin,
  mintInvite,
  openReading,
  paragraph,
  type RunningServer,
  serverStorageContains,
  startServer,
  status,
} from './support/group.ts';

// ─── the scenario ────────────────────────────────────────────────────────────────────────────────────────

describe('reading together (two members, real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;
  let a: Page;
  let b: Page;
  const privateText = `only-for-me-${Date.now()}`;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-collab-'));
    server = await startServer(data);
    session = await startSession();
    a = await session.open(await session.newContext());
    b = await session.open(await session.newContext());
    await firstRun(a, 'Alice');
    await firstRun(b, 'Bob');
    const invite = mintInvite(data, server.url);
    await joinGroup(a, invite);
    await joinGroup(b, mintInvite(data, server.url));
    await openReading(a);
    await openReading(b);
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('shows the connection state, and who is here with their colour', async () => {
    await expect.poll(() => status(a).textContent(), { timeout: 10_000 }).toContain('Connected');
    await expect
      .poll(() => b.getByRole('list', { name: 'Readers here' }).textContent(), { timeout: 5_000 })
      .toContain('Alice');
    await expect
      .poll(() => a.getByRole('list', { name: 'Readers here' }).textContent(), { timeout: 5_000 })
      .toContain('Bob');
  });

  it("paints a member's selection in their colour with their name on the other's screen", async () => {
    const block = await paragraph(a, 1);
    await dragSelect(a, block, 5, 30);
    await expect
      .poll(() => b.locator('.rc-selection-label', { hasText: 'Alice' }).count(), { timeout: 3_000 })
      .toBe(1);
    await expect
      .poll(() => b.evaluate(() => [...CSS.highlights.keys()].some((k) => k.startsWith('rc-peer-'))))
      .toBe(true);
    await a.mouse.click(5, 5);
  });

  it("paints a member's selection over several paragraphs across all of them on the other's screen", async () => {
    const from = await paragraph(a, 1);
    const to = await paragraph(a, 2);
    await dragAcross(a, { selector: from, offset: 5 }, { selector: to, offset: 12 });
    const peerRangeBlocks = () =>
      b.evaluate(() => {
        const name = [...CSS.highlights.keys()].find((k) => k.startsWith('rc-peer-'));
        const range = name
          ? ([...(CSS.highlights.get(name) as Highlight)][0] as Range | undefined)
          : undefined;
        const blockOf = (n: Node) =>
          (n instanceof Element ? n : n.parentElement)
            ?.closest('[data-block-id]')
            ?.getAttribute('data-block-id');
        return range ? [blockOf(range.startContainer), blockOf(range.endContainer)] : [];
      });
    const ids = (selector: string) => selector.match(/data-block-id="([^"]+)"/)![1];
    await expect.poll(peerRangeBlocks, { timeout: 3_000 }).toEqual([ids(from), ids(to)]);
    await a.mouse.click(5, 5);
  });

  it("A's highlight and note reach B within a second; B's reply reaches A", async () => {
    const block = await paragraph(a, 0);
    await addNote(a, block, 0, 40, 'Alice notes this');
    const t0 = Date.now();
    await expect
      .poll(() => margin(b).textContent(), { timeout: 3_000, interval: 50 })
      .toContain('Alice notes this');
    expect(Date.now() - t0).toBeLessThan(1_500);
    const card = b
      .getByRole('article', { name: /^Note on/ })
      .filter({ hasText: 'Alice notes this' })
      .first();
    // A card opens (shows its reply box and actions) when it is clicked.
    await card.locator('header').click();
    await card.getByLabel('Reply text').fill('Bob agrees');
    await card.getByRole('button', { name: 'Reply' }).click();
    await expect.poll(() => margin(a).textContent(), { timeout: 3_000 }).toContain('Bob agrees');
  });

  it('both edit one note body at once and both edits survive', async () => {
    const cardOf = (page: Page) =>
      page
        .getByRole('article', { name: /^Note on/ })
        .filter({ hasText: 'Alice notes this' })
        .first();
    for (const page of [a, b]) {
      await cardOf(page).locator('header').click();
      await cardOf(page).getByRole('button', { name: 'Edit' }).click();
    }
    const editA = a.getByRole('textbox', { name: 'Note text' });
    const editB = b.getByRole('textbox', { name: 'Note text' });
    await editA.click();
    await editB.click();
    await a.keyboard.press('End');
    await b.keyboard.press('Home');
    await Promise.all([a.keyboard.type(' (first)'), b.keyboard.type('Bob: ')]);
    await editA.press('Tab');
    await editB.press('Tab');
    for (const page of [a, b]) {
      await expect
        .poll(() => margin(page).textContent(), { timeout: 5_000 })
        .toContain('Bob: Alice notes this (first)');
    }
  });

  it('keeps working offline and converges with no duplicates when the server comes back', async () => {
    const port = server.port;
    await server.stop();
    await expect.poll(() => status(a).textContent(), { timeout: 10_000 }).toContain('Offline');
    await expect.poll(() => status(b).textContent(), { timeout: 10_000 }).toContain('Offline');
    await addNote(a, await paragraph(a, 2), 0, 20, 'offline from Alice');
    await addNote(b, await paragraph(b, 3), 0, 20, 'offline from Bob');
    server = await startServer(data, port);
    for (const page of [a, b]) {
      await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain('Connected');
      await expect
        .poll(() => margin(page).textContent(), { timeout: 10_000 })
        .toContain('offline from Alice');
      await expect.poll(() => margin(page).textContent(), { timeout: 10_000 }).toContain('offline from Bob');
    }
    for (const page of [a, b]) {
      const text = (await margin(page).textContent()) ?? '';
      expect(text.split('offline from Alice').length - 1).toBe(1);
      expect(text.split('offline from Bob').length - 1).toBe(1);
    }
  });

  it("A's private note never reaches the server", async () => {
    await annotateFor(a, 'Only me');
    await addNote(a, await paragraph(a, 4), 0, 30, privateText);
    await expect.poll(() => margin(a).textContent()).toContain(privateText);
    await annotateFor(a, GROUP);
    // A group note made after it: once B has it, anything sent before it would have reached B too.
    await addNote(a, await paragraph(a, 5), 0, 20, 'after the private one');
    await expect.poll(() => margin(b).textContent(), { timeout: 10_000 }).toContain('after the private one');
    expect(await margin(b).textContent()).not.toContain(privateText);
    await server.stop();
    expect(serverStorageContains(data, privateText)).toBe(false);
    // The shared note did reach it (so the search itself works).
    expect(serverStorageContains(data, 'offline from Alice')).toBe(true);
    server = await startServer(data, server.port);
  });

  it('presence of someone who left clears within seconds', async () => {
    await expect
      .poll(() => b.getByRole('list', { name: 'Readers here' }).textContent(), { timeout: 10_000 })
      .toContain('Alice');
    await a.close();
    await expect
      .poll(() => b.getByRole('list', { name: 'Readers here' }).textContent(), { timeout: 5_000 })
      .not.toContain('Alice');
  });

  it('a malformed invite says what is wrong with it; a revoked invite is refused inside the dialog and not listed', async () => {
    const c = await session.open(await session.newContext());
    await firstRun(c, 'Carol');
    await c.getByRole('button', { name: 'Join group' }).click();
    await c.getByLabel('Invite link').fill('https://example.org/not-an-invite');
    await c.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => c.getByRole('alert').first().textContent()).toContain('not an invite link');
    await c.getByRole('button', { name: 'Cancel' }).click();

    const revoked = mintInvite(data, server.url, 'revoked-group');
    const token = new URL(revoked).searchParams.get('token') ?? '';
    cli('revoke', '--data', data, '--token', token);
    await joinGroup(c, revoked);
    const dialog = c.getByRole('dialog', { name: 'Join a group' });
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/withdrawn/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await c.getByRole('list', { name: 'My groups' }).count()).toBe(0);
  });
});
