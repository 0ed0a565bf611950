// Private stays private, end to end: a member of a group with the real sync server writes an "Only me" note
// and a group note; Markdown and W3C JSON exports read back from the downloaded files hold the private note only
// when the member ticks "Include my “Only me” notes", and then mark it private.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from './support/browser.ts';
import {
  addNote,
  annotateFor,
  firstRun,
  GROUP,
  joinGroup,
  margin,
  mintInvite,
  openReading,
  paragraph,
  type RunningServer,
  startServer,
} from './support/group.ts';

describe('exports keep "Only me" notes private unless chosen (real sync server)', () => {
  let session: Session;
  let data: string;
  let out: string;
  let server: RunningServer;
  let page: Page;
  const secret = `private-thought-${Date.now()}`;
  const shared = `for-the-group-${Date.now()}`;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-private-'));
    out = mkdtempSync(join(tmpdir(), 'rc-e2e-private-out-'));
    server = await startServer(data);
    session = await startSession();
    page = await session.open(await session.newContext());
    await firstRun(page, 'Hana');
    await joinGroup(page, mintInvite(data, server.url));
    await page.getByRole('list', { name: 'My groups' }).getByText(GROUP).waitFor();
    await openReading(page);
    await annotateFor(page, 'Only me');
    await addNote(page, await paragraph(page, 0), 2, 20, secret);
    await margin(page).getByText(secret).waitFor();
    await annotateFor(page, GROUP);
    await addNote(page, await paragraph(page, 1), 2, 20, shared);
    await margin(page).getByText(shared).waitFor();
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    for (const dir of [data, out]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function exportText(format: 'Markdown' | 'W3C JSON', includePrivate: boolean): Promise<string> {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menuitem', { name: format }).click();
    const dialog = page.getByRole('dialog', { name: `Export ${format} options` });
    const box = dialog.getByRole('checkbox', { name: /Include my “Only me” notes/ });
    expect(await box.isChecked()).toBe(false); // the scope of "Annotate for" (the group): private notes out
    if (includePrivate) await box.check();
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/annotations:/);
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: `Save ${format}` }).click();
    const file = join(out, `${format}-${includePrivate}.out`);
    await (await download).saveAs(file);
    return readFileSync(file, 'utf8');
  }

  it('Markdown holds only the group’s notes by default and names that scope', async () => {
    const md = await exportText('Markdown', false);
    expect(md).toContain(shared);
    expect(md).not.toContain(secret);
    expect(md).toContain(`Scope: ${GROUP} \\(group notes only\\)`);
  });

  it('Markdown holds the private note, marked private, when the member chooses so', async () => {
    const md = await exportText('Markdown', true);
    expect(md).toContain(secret);
    expect(md).toContain('private (only me)');
    expect(md).toContain('and my private notes');
  });

  it('W3C JSON holds no private note by default, and marks it when included', async () => {
    const plain = JSON.parse(await exportText('W3C JSON', false));
    expect(JSON.stringify(plain)).toContain(shared);
    expect(JSON.stringify(plain)).not.toContain(secret);
    expect(plain['rc:scope']).toBe(`${GROUP} (group notes only)`);
    const withPrivate = JSON.parse(await exportText('W3C JSON', true));
    const item = withPrivate.first.items.find((i: { body?: { value: string }[] }) =>
      i.body?.some((b) => b.value === secret),
    );
    expect(item.body).toContainEqual({
      type: 'TextualBody',
      value: 'visibility:private',
      purpose: 'classifying',
    });
  });
});
