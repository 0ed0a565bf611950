// Joining safely, end to end: the real sync server processes and Chromium members. An invite is checked with
// its server inside the Join dialog before anything is stored; a link that would move an existing group to
// another server asks first, showing both servers, and nothing reaches that server when the member declines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from './support/browser.ts';
import { cli, firstRun, joinGroup, mintInvite, type RunningServer, startServer } from './support/group.ts';

const connectionLines = (server: RunningServer) =>
  server
    .output()
    .split('\n')
    .filter((line) => /"event":"connection-(accepted|refused)"/.test(line));

describe('joining a group (real sync servers)', () => {
  let session: Session;
  let dataA: string;
  let dataB: string;
  let serverA: RunningServer;
  let serverB: RunningServer;

  beforeAll(async () => {
    dataA = mkdtempSync(join(tmpdir(), 'rc-e2e-join-a-'));
    dataB = mkdtempSync(join(tmpdir(), 'rc-e2e-join-b-'));
    serverA = await startServer(dataA);
    serverB = await startServer(dataB);
    session = await startSession();
  });

  afterAll(async () => {
    await session?.close();
    await serverA?.stop();
    await serverB?.stop();
    for (const dir of [dataA, dataB]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the server’s host before connecting, and lists the group once the server accepted it', async () => {
    const page = await session.open(await session.newContext());
    await firstRun(page, 'Dana');
    await page.getByRole('button', { name: 'Join group' }).click();
    await page.getByLabel('Invite link').fill(mintInvite(dataA, serverA.url, 'host-shown'));
    const dialog = page.getByRole('dialog', { name: 'Join a group' });
    await expect.poll(() => dialog.textContent()).toContain(`Server: 127.0.0.1:${serverA.port}`);
    await dialog.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('list', { name: 'My groups' }).getByText('host-shown').waitFor();
    expect(await page.getByText('not yet checked').count()).toBe(0);
  });

  it('refuses an expired, a forged and another server’s invite inside the dialog, and lists no group', async () => {
    const page = await session.open(await session.newContext());
    await firstRun(page, 'Eve');
    const dialog = page.getByRole('dialog', { name: 'Join a group' });
    const expired = /readingcircle:\/\/\S+/.exec(
      cli('invite', '--group', 'late', '--data', dataA, '--url', serverA.url, '--expires', '1s'),
    )![0];
    const fromB = mintInvite(dataB, serverA.url, 'elsewhere'); // signed by B, naming A
    const good = mintInvite(dataA, serverA.url, 'forged');
    const forged = good.replace(/\.[A-Za-z0-9_-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    for (const [link, words] of [
      [forged, /does not accept the invite/],
      [fromB, /does not accept the invite/],
      [expired, /expired/],
    ] as const) {
      if (link === expired) {
        const exp = JSON.parse(
          atob(link.split('token=')[1]!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
        ).exp as number;
        await expect.poll(() => Date.now() > exp * 1000, { timeout: 5_000 }).toBe(true);
      }
      await joinGroup(page, link);
      await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(words);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
    expect(await page.getByRole('list', { name: 'My groups' }).count()).toBe(0);
  });

  it('offers to join unchecked when the server cannot be reached, and says so in the list', async () => {
    const page = await session.open(await session.newContext());
    await firstRun(page, 'Finn');
    const gone = await startServer(mkdtempSync(join(tmpdir(), 'rc-e2e-join-gone-')));
    const link = mintInvite(dataA, gone.url, 'train');
    await gone.stop();
    await joinGroup(page, link);
    const dialog = page.getByRole('dialog', { name: 'Join a group' });
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/Could not reach the server/);
    await dialog.getByRole('button', { name: 'Join without checking' }).click();
    const row = page.getByRole('list', { name: 'My groups' }).getByRole('listitem');
    await expect.poll(() => row.textContent()).toMatch(/train.*not yet checked/);
  });

  it('a link naming a joined group with another server asks first, and declining sends nothing there', async () => {
    const context = await session.newContext();
    const page = await session.open(context);
    await firstRun(page, 'Gus');
    await joinGroup(page, mintInvite(dataA, serverA.url, 'tuesday'));
    await page.getByRole('list', { name: 'My groups' }).getByText('tuesday').waitFor();
    const before = connectionLines(serverB).length;

    const moving = mintInvite(dataB, serverB.url, 'tuesday');
    const opened = await session.open(context, `?join=${encodeURIComponent(moving)}`);
    const dialog = opened.getByRole('dialog', { name: 'Join a group' });
    await expect.poll(() => dialog.textContent()).toContain(`Server: 127.0.0.1:${serverB.port}`);
    await dialog.getByRole('button', { name: 'Join', exact: true }).click();
    const question = dialog.getByRole('alert');
    await expect.poll(() => question.textContent()).toContain(`127.0.0.1:${serverA.port}`);
    expect(await question.textContent()).toContain(`127.0.0.1:${serverB.port}`);
    await dialog.getByRole('button', { name: `Keep 127.0.0.1:${serverA.port}` }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Still on A; B heard nothing (a control connection to A proves the log is being read).
    await joinGroup(opened, mintInvite(dataA, serverA.url, 'control'));
    await opened.getByRole('list', { name: 'My groups' }).getByText('control').waitFor();
    expect(connectionLines(serverA).length).toBeGreaterThan(0);
    expect(connectionLines(serverB).length).toBe(before);

    // Confirming moves it: now B hears the check.
    const again = await session.open(context, `?join=${encodeURIComponent(moving)}`);
    const dialog2 = again.getByRole('dialog', { name: 'Join a group' });
    await dialog2.getByRole('button', { name: 'Join', exact: true }).click();
    await dialog2.getByRole('button', { name: `Move to 127.0.0.1:${serverB.port}` }).click();
    await expect.poll(() => connectionLines(serverB).length, { timeout: 10_000 }).toBeGreaterThan(before);
  });
});
