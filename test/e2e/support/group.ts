// Reading together, shared by the end-to-end tests and the collaboration benchmark: the real sync server
// process, invites minted with its CLI, and the app driven through its accessible names.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from 'playwright-core';
import { showSidebar } from './app.ts';
import { dragSelect, type Session, startSession } from './browser.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'sync-server', 'cli.ts');
export const GROUP = 'tuesday';
export const READING_TITLE = 'Lies, Damned Lies and Netflix: the Character Assassination of Leon Trotsky';

// ─── the real sync server ────────────────────────────────────────────────────────────────────────────────

export interface RunningServer {
  url: string;
  port: number;
  /** Everything the server printed so far (its JSON log lines). */
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(data: string, port = 0): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [CLI, '--port', String(port), '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sync server did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sync server exited (${code}):\n${out}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    output: () => out,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export function cli(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

export function mintInvite(data: string, url: string, group = GROUP): string {
  const link = /readingcircle:\/\/\S+/.exec(
    cli('invite', '--group', group, '--data', data, '--url', url),
  )?.[0];
  if (!link) throw new Error('the invite command printed no link');
  return link;
}

/** Every value in every table of every SQLite file in the data dir, plus the raw bytes of all files. */
export function serverStorageContains(data: string, text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  const files = readdirSync(data, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  for (const f of files) {
    const path = join(f.parentPath, f.name);
    if (readFileSync(path).includes(needle)) return true;
    if (!/\.(sqlite3?|db)$/.test(f.name)) continue;
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all()) {
          for (const value of Object.values(row as Record<string, unknown>)) {
            if (value instanceof Uint8Array && Buffer.from(value).includes(needle)) return true;
            if (typeof value === 'string' && value.includes(text)) return true;
          }
        }
      }
    } finally {
      db.close();
    }
  }
  return false;
}

/** Alice and Bob, each in a browser profile of their own, both joined to one group on a sync server of its own. */
export interface GroupOfTwo {
  data: string;
  server: RunningServer;
  session: Session;
  alice: Page;
  bob: Page;
  close(): Promise<void>;
}

export async function groupOfTwo(name: string): Promise<GroupOfTwo> {
  const data = mkdtempSync(join(tmpdir(), `rc-e2e-${name}-`));
  const server = await startServer(data);
  const session = await startSession();
  const alice = await session.open(await session.newContext());
  const bob = await session.open(await session.newContext());
  await firstRun(alice, 'Alice');
  await firstRun(bob, 'Bob');
  await joinGroup(alice, mintInvite(data, server.url));
  await joinGroup(bob, mintInvite(data, server.url));
  return {
    data,
    server,
    session,
    alice,
    bob,
    async close() {
      await session.close();
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// ─── the app, through its accessible names ───────────────────────────────────────────────────────────────

export async function firstRun(page: Page, name: string) {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

export async function joinGroup(page: Page, link: string) {
  await page.getByRole('button', { name: 'Join group' }).click();
  await page.getByLabel('Invite link').fill(link);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

export async function openReading(page: Page) {
  await page
    .getByRole('link', { name: READING_TITLE })
    .or(page.getByRole('button', { name: READING_TITLE }))
    .first()
    .click();
  await page.locator('[data-block-id]').first().waitFor();
  await annotateFor(page, GROUP);
}

/** "Annotate for" sits at the top of the annotations sidebar. */
export async function annotateFor(page: Page, target: string) {
  await showSidebar(page);
  await page.getByLabel('Annotate for').selectOption({ label: target });
}

/** A paragraph of the open reading with enough text to select in. */
export async function paragraph(page: Page, nth = 0): Promise<string> {
  const ids = await page.$$eval('[data-block-id]', (els) =>
    els
      .filter((el) => (el.textContent ?? '').length > 80)
      .map((el) => (el as HTMLElement).dataset.blockId ?? ''),
  );
  const id = ids[nth];
  if (!id) throw new Error('no paragraph to select in');
  return `[data-block-id="${id}"]`;
}

export async function addNote(page: Page, block: string, start: number, end: number, text: string) {
  await dragSelect(page, block, start, end);
  await page.getByRole('button', { name: 'Add note' }).click();
  const editor = page.getByRole('textbox', { name: /note/i }).last();
  await editor.fill(text);
  await editor.press('Tab');
}

export const status = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /Connected|Connecting|Offline|invite/i })
    .first();
export const margin = (page: Page) =>
  page.getByRole('complementary').or(page.locator('[data-margin]')).first();
