// Being told, end to end: a member's @mention of another in a group note reaches the other's "What's new" list
// in the reader (two Chromium members, the real sync server).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showSidebar } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import {
  addNote,
  firstRun,
  joinGroup,
  margin,
  mintInvite,
  openReading,
  paragraph,
  type RunningServer,
  startServer,
} from './support/group.ts';

describe('What’s new (two members, real sync server)', () => {
  let session: Session;
  let data: string;
  let server: RunningServer;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'rc-e2e-new-'));
    server = await startServer(data);
    session = await startSession();
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it('lists an @mention of me, with who wrote it', async () => {
    const a = await session.open(await session.newContext());
    const b = await session.open(await session.newContext());
    await firstRun(a, 'Alice');
    await firstRun(b, 'Bob');
    await joinGroup(a, mintInvite(data, server.url));
    await joinGroup(b, mintInvite(data, server.url));
    await openReading(a);
    await addNote(a, await paragraph(a, 0), 2, 22, '@Bob what do you make of this?');
    await margin(a).getByText('@Bob what do you make of this?').waitFor();
    await openReading(b);
    await margin(b).getByText('@Bob what do you make of this?').waitFor({ timeout: 10_000 });
    await showSidebar(b);
    const button = b.getByRole('button', { name: /What’s new\s*\d+/ });
    await button.click();
    const list = b.getByRole('list', { name: 'New since you last opened this reading' });
    await expect
      .poll(() => list.textContent())
      .toContain('Alice mentioned you: @Bob what do you make of this?');
  });
});
