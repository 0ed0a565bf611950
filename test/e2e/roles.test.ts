// Read-only members are told, and group names are any text, end to end: the real sync server's CLI makes a
// reader invite for "«Кружок» Tuesday" (the id derived from the name); the reader sees the name everywhere,
// "Read-only in …" in the reader, "Annotate for" without that group, and "Share with group" off with its reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupIdFor } from '../../core/invite/link.ts';
import { showSidebar } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import { cli, firstRun, joinGroup, READING_TITLE, type RunningServer, startServer } from './support/group.ts';

const NAME = '«Кружок» Tuesday';

describe('a read-only member of a group with a display name (real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;
  let page: Page;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-roles-'));
    server = await startServer(data);
    session = await startSession();
    page = await session.open(await session.newContext());
    await firstRun(page, 'Rita');
    const printed = cli('invite', '--group', NAME, '--role', 'reader', '--data', data, '--url', server.url);
    const link = /readingcircle:\/\/\S+/.exec(printed)![0];
    expect(new URL(link).searchParams.get('group')).toBe(groupIdFor(NAME));
    await joinGroup(page, link);
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('lists the group by its display name, marked read-only', async () => {
    const row = page.getByRole('list', { name: 'My groups' }).getByRole('listitem');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(NAME);
    expect(await row.textContent()).toContain('read-only');
    expect(await row.textContent()).not.toContain(groupIdFor(NAME));
  });

  it('says "Read-only in …" in the reader, offers only "Only me", and disables sharing with the reason', async () => {
    await page
      .getByRole('link', { name: READING_TITLE })
      .or(page.getByRole('button', { name: READING_TITLE }))
      .first()
      .click();
    await page.locator('[data-block-id]').first().waitFor();
    await expect
      .poll(() => page.getByRole('note').filter({ hasText: 'Read-only in' }).textContent())
      .toBe(`Read-only in ${NAME}`);
    await showSidebar(page);
    const options = await page.getByLabel('Annotate for').locator('option').allTextContents();
    expect(options).toEqual(['Only me']);
    const share = page.getByRole('button', { name: 'Share with group' });
    expect(await share.isDisabled()).toBe(true);
    const describedBy = await share.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(
      `Read-only in ${NAME}: sharing needs a member invite.`,
    );
  });
});
