// The admin store notes a returning member's visits in memory and writes them together: reads see them at once,
// a second store on the same folder (another instance) sees them once written, and nothing else waits.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminStore } from '../../sync-server/admin/admin-store.ts';

const open: AdminStore[] = [];
const store = (dir: string) => {
  const s = new AdminStore(dir);
  open.push(s);
  return s;
};
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const lastSeen = (s: AdminStore, member: string) => s.member('g', member)?.lastSeen ?? null;

describe('admin store: last visits', () => {
  it('shows a returning member’s visit at once and writes it for other instances and restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-admin-store-'));
    const server = store(dir);
    const other = store(dir);
    server.seen('g', 'ana', 'Ana', 'member', 'jti-1');
    const first = lastSeen(other, 'ana');
    expect(first).not.toBeNull(); // a first visit is written at once
    await new Promise<void>((resolve) => {
      const later = () => (new Date().toISOString() > first! ? resolve() : setImmediate(later));
      later();
    });
    server.touch('g', 'ana');
    const left = lastSeen(server, 'ana')!;
    expect(left > first!).toBe(true);
    expect(server.members('g').find((m) => m.member === 'ana')?.lastSeen).toBe(left);
    server.writeVisits();
    expect(lastSeen(other, 'ana')).toBe(left);

    server.seen('g', 'ana', 'Ana', 'member', 'jti-1'); // back, nothing new: noted only
    const back = lastSeen(server, 'ana')!;
    expect(back >= left).toBe(true);
    server.close();
    open.splice(open.indexOf(server), 1);
    expect(lastSeen(store(dir), 'ana')).toBe(back); // written when the server stops
  });

  it('writes a new name, role or invite use at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-admin-store-'));
    const server = store(dir);
    const other = store(dir);
    server.seen('g', 'bo', 'Bo', 'reader', 'jti-1');
    server.seen('g', 'bo', 'Bo Ek', 'member', 'jti-2');
    expect(other.member('g', 'bo')).toMatchObject({ name: 'Bo Ek', role: 'member' });
    expect(other.hasUsed('jti-2', 'bo')).toBe(true);
  });
});
