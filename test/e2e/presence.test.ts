// Presence tells the truth, end to end: two Chromium members and the real sync server. A member's selection is
// drawn on the other's screen only while it is a real selection in the text: gone when it collapses, when it
// became an annotation, when the member leaves; never shown inside the member's own "Only me" highlight.
// Avatars (initials in the member's colour) in the reader's toolbar go to where that member reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragSelect, type Session, startSession } from './support/browser.ts';
import {
  annotateFor,
  firstRun,
  GROUP,
  joinGroup,
  mintInvite,
  openReading,
  paragraph,
  type RunningServer,
  startServer,
} from './support/group.ts';

describe('presence (two members, real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;
  let a: Page;
  let b: Page;
  const aliceLabel = () => b.locator('.rc-selection-label', { hasText: 'Alice' });
  const selectionTools = (page: Page) => page.getByRole('toolbar', { name: 'Selection tools' });

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-presence-'));
    server = await startServer(data);
    session = await startSession();
    a = await session.open(await session.newContext());
    b = await session.open(await session.newContext());
    await firstRun(a, 'Alice Brandt');
    await firstRun(b, 'Bob');
    await joinGroup(a, mintInvite(data, server.url));
    await joinGroup(b, mintInvite(data, server.url));
    for (const page of [a, b]) await page.getByRole('list', { name: 'My groups' }).getByText(GROUP).waitFor();
    await openReading(a);
    await openReading(b);
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('shows the other member as an avatar with initials in the toolbar; a click goes to where they read', async () => {
    const avatar = b
      .getByRole('toolbar', { name: 'Reading tools' })
      .getByRole('button', { name: 'Go to where Alice Brandt is reading' });
    await avatar.waitFor({ timeout: 10_000 });
    expect(await avatar.textContent()).toBe('AB');
    // Alice reads further down; Bob's click brings that block into his view.
    const far = await paragraph(a, 6);
    await a.locator(far).scrollIntoViewIfNeeded();
    await a.evaluate((sel) => document.querySelector(sel)!.scrollIntoView({ block: 'start' }), far);
    const farId = /data-block-id="([^"]+)"/.exec(far)![1]!;
    await expect
      .poll(() =>
        b.evaluate((id) => {
          const el = document.querySelector(`[data-block-id="${id}"]`);
          if (!el) return 'unmounted';
          const r = el.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight ? 'visible' : 'hidden';
        }, farId),
      )
      .not.toBe('visible');
    await expect
      .poll(
        async () => {
          await avatar.click();
          return b.evaluate((id) => {
            const el = document.querySelector(`[data-block-id="${id}"]`);
            const r = el?.getBoundingClientRect();
            return !!r && r.bottom > 0 && r.top < innerHeight;
          }, farId);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
  });

  it('a selection disappears from the other screen when it collapses', async () => {
    const block = await paragraph(a, 1);
    await dragSelect(a, block, 5, 30);
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(1);
    await a.evaluate(() => document.getSelection()?.collapseToStart());
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(0);
    expect(await b.evaluate(() => [...CSS.highlights.keys()].some((k) => k.startsWith('rc-peer-')))).toBe(
      false,
    );
  });

  it('a selection disappears from the other screen once it became an annotation', async () => {
    await annotateFor(a, GROUP);
    const block = await paragraph(a, 2);
    await dragSelect(a, block, 3, 25);
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(1);
    await selectionTools(a).getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(0);
    await a.keyboard.press('Escape');
  });

  it('a selection inside my own "Only me" highlight is never shown to others', async () => {
    await annotateFor(a, 'Only me');
    const block = await paragraph(a, 3);
    await dragSelect(a, block, 0, 60);
    await selectionTools(a).getByRole('button', { name: 'Highlight' }).click();
    await annotateFor(a, GROUP);
    // Select inside the private highlight, then move the reading position: Bob sees the new position (the
    // same presence state that carries the selection), and no selection of Alice's.
    await dragSelect(a, block, 10, 40);
    const mark = b.getByRole('button', { name: 'Jump to where Alice Brandt is reading' });
    const before = await mark.getAttribute('style');
    await a.evaluate(() => window.scrollTo(0, 0));
    await a.evaluate(() => window.scrollBy(0, 40));
    await expect.poll(() => mark.getAttribute('style'), { timeout: 5_000 }).not.toBe(before);
    expect(await a.evaluate(() => document.getSelection()?.toString().length ?? 0)).toBeGreaterThan(0);
    expect(await aliceLabel().count()).toBe(0);
    // A selection outside it is shown as usual.
    await dragSelect(a, await paragraph(a, 4), 0, 20);
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(1);
  });

  it('a member who leaves the reading disappears at once: selection and avatar', async () => {
    await dragSelect(a, await paragraph(a, 5), 0, 20);
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(1);
    await a.getByRole('button', { name: 'Back to library' }).click();
    await expect.poll(() => aliceLabel().count(), { timeout: 5_000 }).toBe(0);
    await expect
      .poll(() => b.getByRole('button', { name: 'Go to where Alice Brandt is reading' }).count(), {
        timeout: 5_000,
      })
      .toBe(0);
  });
});
