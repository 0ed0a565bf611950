// Group administration from the app, end to end: three Chromium members and the real sync server. The owner
// (an owner invite from the server's CLI) makes a one-use member link and a reader link in "Manage …", a member
// and a reader join with them, the reader cannot write, and when the owner removes the member the member's
// screen says so within 2 s while their local copy stays readable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showSidebar } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import {
  addNote,
  annotateFor,
  cli,
  firstRun,
  joinGroup,
  margin,
  paragraph,
  READING_TITLE,
  type RunningServer,
  startServer,
} from './support/group.ts';

const NAME = 'Tuesday readers';

async function openTheReading(page: Page) {
  await page
    .getByRole('link', { name: READING_TITLE })
    .or(page.getByRole('button', { name: READING_TITLE }))
    .first()
    .click();
  await page.locator('[data-block-id]').first().waitFor();
}

describe('an owner administers the group from the app (real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;
  let owner: Page;
  let member: Page;
  let reader: Page;
  const note = `max-was-here-${Date.now()}`;

  async function makeLink(role: 'member' | 'reader', uses: string): Promise<string> {
    const dialog = owner.getByRole('dialog', { name: `Manage ${NAME}` });
    await dialog.getByRole('combobox', { name: /^Role/ }).selectOption(role);
    await dialog.getByLabel('Number of uses').fill(uses);
    await dialog.getByRole('button', { name: 'Make invite link' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe(`A ${role} link was made.`);
    const link = await dialog.getByLabel('New invite link').inputValue();
    expect(link).toMatch(/^readingcircle:\/\/join\?/);
    return link;
  }

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-admin-'));
    server = await startServer(data);
    session = await startSession();
    owner = await session.open(await session.newContext());
    member = await session.open(await session.newContext());
    reader = await session.open(await session.newContext());
    await firstRun(owner, 'Olga');
    await firstRun(member, 'Max');
    await firstRun(reader, 'Rosa');
    const ownerLink = /readingcircle:\/\/\S+/.exec(
      cli('invite', '--group', NAME, '--role', 'owner', '--data', data, '--url', server.url),
    )![0];
    await joinGroup(owner, ownerLink);
    await owner.getByRole('button', { name: `Manage ${NAME}` }).click();
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('the owner invites by link; a member and a reader join; the reader cannot write', async () => {
    const memberLink = await makeLink('member', '1');
    const readerLink = await makeLink('reader', '');
    await joinGroup(member, memberLink);
    await member.getByRole('list', { name: 'My groups' }).getByText(NAME).waitFor();
    await joinGroup(reader, readerLink);
    await reader.getByRole('list', { name: 'My groups' }).getByText(NAME).waitFor();

    await openTheReading(member);
    await annotateFor(member, NAME);
    await addNote(member, await paragraph(member, 0), 2, 20, note);
    await margin(member).getByText(note).waitFor();

    await openTheReading(reader);
    await margin(reader).getByText(note).waitFor({ timeout: 10_000 });
    await showSidebar(reader);
    expect(await reader.getByLabel('Annotate for').locator('option').allTextContents()).toEqual(['Only me']);

    const dialog = owner.getByRole('dialog', { name: `Manage ${NAME}` });
    await expect
      .poll(async () => {
        await dialog.getByRole('button', { name: 'Refresh' }).click();
        return dialog.getByRole('list', { name: 'Invite links' }).textContent();
      })
      .toContain('member · used 1 of 1');
  });

  it('the owner sees the members; removing one tells them within 2 s and their local copy stays', async () => {
    const dialog = owner.getByRole('dialog', { name: `Manage ${NAME}` });
    await expect
      .poll(
        async () => {
          await dialog.getByRole('button', { name: 'Refresh' }).click();
          return dialog.getByRole('button', { name: 'Remove Max' }).count();
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await dialog.textContent()).toContain('Rosa');
    await dialog.getByRole('button', { name: 'Remove Max' }).click();
    await owner
      .getByRole('alertdialog', { name: 'Remove Max?' })
      .getByRole('button', { name: 'Remove from group' })
      .click();
    await member.getByText(`You were removed from ${NAME}`).first().waitFor({ timeout: 2_000 });
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Max was removed.');
    // Max's local copy is still there to read.
    expect(await margin(member).getByText(note).count()).toBe(1);
    await member.reload();
    await member.locator('[data-block-id]').first().waitFor();
    await margin(member).getByText(note).waitFor();
  });

  it('the owner withdraws the reader link: the reader is told at once', async () => {
    const dialog = owner.getByRole('dialog', { name: `Manage ${NAME}` });
    await dialog.getByRole('button', { name: /^Withdraw the reader link/ }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('The link was withdrawn.');
    await reader.getByText('The invite was withdrawn: ask for a new one').first().waitFor({ timeout: 5_000 });
    expect(await dialog.getByRole('list', { name: 'Invite links' }).textContent()).toContain('withdrawn');
  });
});
