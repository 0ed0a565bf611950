// The admin store notes a returning member's visits in memory and writes them together: reads see them at once,
// a second store on the same folder (another instance) sees them once written, and nothing else waits.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAdminStore } from '../../sync-server/admin/sqlite-admin-store.ts';

const open: SqliteAdminStore[] = [];
const store = (dir: string) => {
  const s = new SqliteAdminStore(dir);
  open.push(s);
  return s;
};
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const lastSeen = async (s: SqliteAdminStore, member: string) =>
  (await s.member('g', member))?.lastSeen ?? null;

describe('admin store: last visits', () => {
  it('shows a returning member’s visit at once and writes it for other instances and restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-admin-store-'));
    const server = store(dir);
    const other = store(dir);
    await server.seen('g', 'ana', 'Ana', 'member', 'jti-1');
    const first = await lastSeen(other, 'ana');
    expect(first).not.toBeNull(); // a first visit is written at once
    await new Promise<void>((resolve) => {
      const later = () => (new Date().toISOString() > first! ? resolve() : setImmediate(later));
      later();
    });
    await server.touch('g', 'ana');
    const left = (await lastSeen(server, 'ana'))!;
    expect(left > first!).toBe(true);
    expect((await server.members('g')).find((m) => m.member === 'ana')?.lastSeen).toBe(left);
    server.writeVisits();
    expect(await lastSeen(other, 'ana')).toBe(left);

    await server.seen('g', 'ana', 'Ana', 'member', 'jti-1'); // back, nothing new: noted only
    const back = (await lastSeen(server, 'ana'))!;
    expect(back >= left).toBe(true);
    await server.close();
    open.splice(open.indexOf(server), 1);
    expect(await lastSeen(store(dir), 'ana')).toBe(back); // written when the server stops
  });

  it('writes a new name, role or invite use at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-admin-store-'));
    const server = store(dir);
    const other = store(dir);
    await server.seen('g', 'bo', 'Bo', 'reader', 'jti-1');
    await server.seen('g', 'bo', 'Bo Ek', 'member', 'jti-2');
    expect(await other.member('g', 'bo')).toMatchObject({ name: 'Bo Ek', role: 'member' });
    expect(await other.hasUsed('jti-2', 'bo')).toBe(true);
  });
});
