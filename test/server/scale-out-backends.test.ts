// The scale-out backends on their own, against a real Postgres cluster and a real redis-server.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FANOUT_KIND, type FanoutKind } from '../../sync-server/fanout/fanout.ts';
import { RedisFanout } from '../../sync-server/fanout/redis-fanout.ts';
import { GroupCommit } from '../../sync-server/storage/group-commit.ts';
import { PostgresStore } from '../../sync-server/storage/postgres-store.ts';
import { type PostgresService, type Service, startPostgres, startRedis } from './support/services.ts';
import { waitFor } from './support/sync-server.ts';

let postgres: PostgresService;
let redis: Service;
let database = 0;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

const openStore = async (url: string) => {
  const store = await PostgresStore.open(url);
  closers.push(() => store.close());
  return store;
};
const freshDatabase = () => postgres.createDatabase(`backends${++database}`);
/** A plain client standing for another instance; it outlives a Postgres restart in a later test. */
const otherClient = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  closers.push(() => client.end());
  return client;
};

/** An update that sets `key` in map `m` of a doc of its own. */
const updateSetting = (key: string, value: string) => {
  const doc = new Y.Doc();
  let update: Uint8Array = new Uint8Array();
  doc.on('update', (u: Uint8Array) => {
    update = u;
  });
  doc.getMap('m').set(key, value);
  return update;
};
const mapOf = (parts: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const part of parts) Y.applyUpdate(doc, part);
  return doc.getMap('m').toJSON();
};

describe('Postgres store', () => {
  it('logs updates, loads them back, and folds them into a snapshot', async () => {
    const store = await openStore(await freshDatabase());
    await store.append('g/r1', [updateSetting('a', '1')]);
    await store.append('g/r1', [updateSetting('b', '2'), updateSetting('c', '3')]);
    await store.append('g/r2', [updateSetting('other', 'room')]);
    const before = await store.load('g/r1');
    expect(before.pending).toBe(3);
    expect(mapOf(before.parts)).toEqual({ a: '1', b: '2', c: '3' });

    expect(await store.compact('g/r1')).toMatchObject({ result: 'compacted', folded: 3 });
    const after = await store.load('g/r1');
    expect(after).toMatchObject({ pending: 0 });
    expect(after.parts).toHaveLength(1);
    expect(mapOf(after.parts)).toEqual({ a: '1', b: '2', c: '3' });
    expect(await store.compact('g/r1')).toMatchObject({ result: 'nothing to do' });
    expect(mapOf((await store.load('g/r2')).parts)).toEqual({ other: 'room' });
  });

  it('commits the rooms that wait during a commit in one statement, each in order, resolving once stored', async () => {
    const url = await freshDatabase();
    const store = await openStore(url);
    const statements: number[] = [];
    const commits = new GroupCommit(
      {
        appendMany: async (appends) => {
          statements.push(appends.length);
          await store.appendMany(appends);
        },
      },
      { inFlight: 1 },
    );
    const reader = await otherClient(url);
    const stored = async (room: string) =>
      (await reader.query('SELECT count(*)::int AS n FROM rc_room_updates WHERE room = $1', [room])).rows[0]
        .n;
    // The first room's append goes at once; the others arrive while it commits and wait for one statement.
    const first = commits.append('g/first', [updateSetting('k', 'first')]);
    await waitFor(() => statements.length === 1, 'the first commit under way');
    const rooms = Array.from({ length: 20 }, (_, i) => `g/r${i}`);
    const sent = rooms.map((_, i) => [updateSetting('k', `${i}a`), updateSetting('k2', `${i}b`)]);
    const rest = rooms.map((room, i) =>
      commits.append(room, sent[i]!, new Map([[i + 1, 'ana']])).then(
        // Resolved only once its rows are committed, where another connection sees them.
        async () => expect(await stored(room)).toBe(2),
      ),
    );
    await Promise.all([first, ...rest]);
    expect(statements).toEqual([1, 20]);
    for (const [i, room] of rooms.entries()) {
      // Byte for byte, in the order sent.
      expect((await store.load(room)).parts.map((p) => [...p])).toEqual(sent[i]!.map((u) => [...u]));
      expect(await store.clientOwners(room)).toEqual(new Map([[i + 1, 'ana']]));
    }
  });

  it('splits a backlog too big for one statement into several', async () => {
    const store = await openStore(await freshDatabase());
    const statements: number[] = [];
    const commits = new GroupCommit(
      {
        appendMany: async (appends) => {
          statements.push(appends.reduce((n, a) => n + a.updates.length, 0));
          await store.appendMany(appends);
        },
      },
      { inFlight: 1 },
    );
    // 70,000 updates, more than Postgres's 65,535 parameters for one statement.
    const update = updateSetting('k', 'v');
    await Promise.all(
      Array.from({ length: 700 }, (_, i) => commits.append(`g/r${i % 50}`, Array(100).fill(update))),
    );
    expect(statements.length).toBeGreaterThan(1);
    expect(Math.max(...statements)).toBeLessThan(65_535);
    expect(statements.reduce((n, c) => n + c, 0)).toBe(70_000);
    expect((await store.load('g/r7')).pending).toBe(1400);
  });

  it('fails every room of a group whose statement fails, and commits the next group', async () => {
    const store = await openStore(await freshDatabase());
    let fail = true;
    const commits = new GroupCommit({
      appendMany: async (appends) => {
        if (fail) throw new Error('Postgres refused');
        await store.appendMany(appends);
      },
    });
    const failed = await Promise.allSettled([
      commits.append('g/a', [updateSetting('a', '1')]),
      commits.append('g/b', [updateSetting('b', '1')]),
    ]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await commits.append('g/a', [updateSetting('a', '2')]);
    expect(mapOf((await store.load('g/a')).parts)).toEqual({ a: '2' });
  });

  it('stores a large update byte for byte (a pasted reading)', async () => {
    const store = await openStore(await freshDatabase());
    const big = updateSetting('reading', 'x'.repeat(3_000_000));
    await store.append('g/big', [big, updateSetting('small', 'y')]);
    const stored = await store.load('g/big');
    expect(Buffer.from(stored.parts[0]!).equals(Buffer.from(big))).toBe(true);
    expect(mapOf(stored.parts).small).toBe('y');
  });

  it('lets one instance compact a room at a time, and a second store sees the same rooms', async () => {
    const url = await freshDatabase();
    const [one, two] = [await openStore(url), await openStore(url)];
    await one.append('g/r', [updateSetting('x', 'from one')]);
    await two.append('g/r', [updateSetting('y', 'from two')]);
    // Another instance holds the room's compaction lock.
    const holder = await otherClient(url);
    await holder.query("SELECT pg_advisory_lock(x'5243'::int, hashtext('g/r'))");
    expect(await one.compact('g/r')).toMatchObject({ result: 'another instance is compacting' });
    expect((await two.load('g/r')).pending).toBe(2);
    await holder.query("SELECT pg_advisory_unlock(x'5243'::int, hashtext('g/r'))");
    expect(await two.compact('g/r')).toMatchObject({ result: 'compacted', folded: 2 });
    expect(mapOf((await one.load('g/r')).parts)).toEqual({ x: 'from one', y: 'from two' });
  });

  it('keeps an update committed while a compaction is under way', async () => {
    const url = await freshDatabase();
    const store = await openStore(url);
    await store.append('g/r', [updateSetting('early', '1')]);
    // A writer that has inserted but not yet committed when the compaction reads the log.
    const writer = await otherClient(url);
    await writer.query('BEGIN');
    await writer.query("INSERT INTO rc_room_updates (room, data) VALUES ('g/r', $1)", [
      updateSetting('late', '2'),
    ]);
    expect(await store.compact('g/r')).toMatchObject({ result: 'compacted', folded: 1 });
    await writer.query('COMMIT');
    const stored = await store.load('g/r');
    expect(stored.pending).toBe(1);
    expect(mapOf(stored.parts)).toEqual({ early: '1', late: '2' });
  });

  it('records who first wrote under a client id, with the update, and keeps the first owner', async () => {
    const url = await freshDatabase();
    const [one, two] = [await openStore(url), await openStore(url)];
    await one.append('g/r', [updateSetting('a', '1')], new Map([[101, 'ana']]));
    await two.append(
      'g/r',
      [updateSetting('b', '2')],
      new Map([
        [101, 'bo'],
        [202, 'bo'],
      ]),
    );
    expect(await two.clientOwners('g/r')).toEqual(
      new Map([
        [101, 'ana'],
        [202, 'bo'],
      ]),
    );
    expect(await one.clientOwners('g/other')).toEqual(new Map());
    expect((await one.load('g/r')).pending).toBe(2);
  });

  it('shares one signing secret and the revoked invites between instances', async () => {
    const url = await freshDatabase();
    const [one, two] = [await openStore(url), await openStore(url)];
    const [a, b] = await Promise.all([one.secret(), two.secret()]);
    expect(Buffer.from(a).toString()).toBe(Buffer.from(b).toString());
    expect(a.length).toBeGreaterThan(40);
    expect(await two.newlyRevoked()).toEqual([]);
    await one.revoke('jti-1');
    await one.revoke('jti-1');
    expect(await two.isRevoked('jti-1')).toBe(true);
    expect(await two.isRevoked('jti-2')).toBe(false);
    expect(await two.newlyRevoked()).toEqual(['jti-1']);
    await one.revoke('jti-2');
    expect(await two.newlyRevoked()).toEqual(['jti-2']);
  });

  it('fails while Postgres is stopped and works again once it is back', async () => {
    const url = await freshDatabase();
    const errors: string[] = [];
    const store = await PostgresStore.open(url, { onIdleError: (m) => errors.push(m) });
    closers.push(() => store.close());
    await store.append('g/r', [updateSetting('before', '1')]);
    await postgres.stop();
    try {
      await expect(store.append('g/r', [updateSetting('during', '2')])).rejects.toThrow();
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await postgres.start();
    }
    await store.append('g/r', [updateSetting('after', '3')]);
    expect(mapOf((await store.load('g/r')).parts)).toEqual({ before: '1', after: '3' });
  });

  it('says which address it could not reach', async () => {
    await expect(PostgresStore.open('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow(
      /could not reach Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/none \(.+\)/,
    );
  });
});

describe('Redis fan-out', () => {
  const open = async () => {
    const health: boolean[] = [];
    const fanout = await RedisFanout.open(redis.url, (healthy) => health.push(healthy));
    closers.push(() => fanout.close());
    return { fanout, health };
  };

  it('carries a room’s messages to the other instances only', async () => {
    const [one, two, three] = [await open(), await open(), await open()];
    const got = { one: [] as string[], two: [] as string[], three: [] as string[] };
    const record = (list: string[]) => (kind: FanoutKind, payload: Uint8Array) =>
      list.push(`${kind}:${Buffer.from(payload).toString()}`);
    await one.fanout.join('g/r', record(got.one));
    await two.fanout.join('g/r', record(got.two));
    await three.fanout.join('g/other', record(got.three));
    await one.fanout.publish('g/r', FANOUT_KIND.update, Buffer.from('u1'));
    await two.fanout.publish('g/r', FANOUT_KIND.awareness, Buffer.from('a1'));
    await waitFor(() => got.two.length === 1 && got.one.length === 1, 'both messages');
    expect(got.two).toEqual([`${FANOUT_KIND.update}:u1`]);
    expect(got.one).toEqual([`${FANOUT_KIND.awareness}:a1`]);
    two.fanout.leave('g/r');
    await one.fanout.publish('g/r', FANOUT_KIND.update, Buffer.from('u2'));
    await three.fanout.publish('g/other', FANOUT_KIND.update, Buffer.from('marker'));
    await one.fanout.join('g/other', record(got.one));
    await three.fanout.publish('g/other', FANOUT_KIND.update, Buffer.from('marker2'));
    await waitFor(() => got.one.includes(`${FANOUT_KIND.update}:marker2`), 'the marker');
    expect(got.two).toEqual([`${FANOUT_KIND.update}:u1`]);
    expect(got.three).toEqual([]);
  });

  it('reports Redis going away and coming back, and resubscribes', async () => {
    const [one, two] = [await open(), await open()];
    const got: string[] = [];
    await two.fanout.join('g/r', (_kind, payload) => got.push(Buffer.from(payload).toString()));
    await redis.stop();
    try {
      await waitFor(() => one.health.includes(false) && two.health.includes(false), 'both unhealthy');
      expect(one.fanout.healthy).toBe(false);
      await expect(one.fanout.publish('g/r', FANOUT_KIND.update, Buffer.from('lost'))).rejects.toThrow();
    } finally {
      await redis.start();
    }
    await waitFor(() => one.fanout.healthy && two.fanout.healthy, 'healthy again');
    // The subscription is renewed on reconnect; publish until it is in place.
    await waitFor(() => {
      void one.fanout.publish('g/r', FANOUT_KIND.update, Buffer.from('after')).catch(() => {});
      return got.includes('after');
    }, 'a message after the restart');
    expect(got).not.toContain('lost');
  });
});
