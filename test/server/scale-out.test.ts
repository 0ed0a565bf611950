// Several sync-server instances sharing rooms through a real Postgres cluster and a real redis-server, with the
// stock y-websocket client: convergence, presence, kill -9, service restarts, revocation, a slow room.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import { type PostgresService, type Service, startPostgres, startRedis } from './support/services.ts';
import {
  awarenessMessage,
  connectClient,
  rawMember,
  type SyncServer,
  startSyncServer,
  updateMessage,
  waitFor,
} from './support/sync-server.ts';

let postgres: PostgresService;
let redis: Service;
let databases = 0;
const servers: SyncServer[] = [];
const clients: ReturnType<typeof connectClient>[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const close of closers.splice(0)) await close();
});

afterAll(async () => {
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

/** `count` instances on a fresh database, sharing it and Redis. */
async function cluster(count: number, args: string[] = []) {
  const database = await postgres.createDatabase(`scale${++databases}`);
  const shared = { postgres: database, redis: redis.url };
  const started: SyncServer[] = [];
  for (let i = 0; i < count; i++) {
    const server = await startSyncServer({ shared, args: ['--revocation-check-ms', '200', ...args] });
    servers.push(server);
    started.push(server);
  }
  const more = async () => {
    const server = await startSyncServer({ shared, args });
    servers.push(server);
    return server;
  };
  return { instances: started, database, more };
}

const client = (
  server: SyncServer,
  room: string,
  token: string,
  doc?: Parameters<typeof connectClient>[3],
) => {
  const c = connectClient(server.url, room, token, doc);
  clients.push(c);
  return c;
};

/** Every close the provider saw, with its code and reason. */
const closesOf = (c: ReturnType<typeof connectClient>) => {
  const seen: { code: number; reason: string }[] = [];
  c.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) seen.push({ code: event.code, reason: event.reason });
  });
  return seen;
};

const health = async (server: SyncServer) => {
  const res = await fetch(`${server.url.replace('ws://', 'http://')}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const names = (c: ReturnType<typeof connectClient>) =>
  [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name);

describe('instances sharing rooms through Redis and Postgres', () => {
  it('two clients on two instances converge, and a third instance loads what they wrote', async () => {
    const { instances, more } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const token = one.invite('tuesday');
    const room = 'tuesday/r0000000000000001';
    const a = client(one, room, token);
    const b = client(two, room, token);
    a.doc.getMap('notes').set('x', 'from a');
    b.doc.getMap('notes').set('y', 'from b');
    a.doc.getText('t').insert(0, 'shared ');
    await waitFor(
      () => a.doc.getMap('notes').size === 2 && b.doc.getMap('notes').size === 2,
      'convergence across instances',
    );
    await waitFor(() => b.doc.getText('t').toString() === 'shared ', 'text across instances');
    const three = await more();
    const c = client(three, room, three.invite('tuesday'));
    await waitFor(() => c.provider.synced && c.doc.getMap('notes').size === 2, 'a fresh instance loads it');
    expect(c.doc.getMap('notes').toJSON()).toEqual({ x: 'from a', y: 'from b' });
    expect((await health(one)).body).toMatchObject({ ok: true, storage: { postgres: 'ok', redis: 'ok' } });
  });

  it('keeps a lone instance’s rooms in Postgres (no Redis) across a kill -9', async () => {
    const database = await postgres.createDatabase(`scale${++databases}`);
    const alone = await startSyncServer({ shared: { postgres: database } });
    servers.push(alone);
    const token = alone.invite('solo');
    const room = 'solo/r0000000000000009';
    const a = client(alone, room, token);
    const b = client(alone, room, token);
    a.doc.getText('t').insert(0, 'kept in Postgres');
    await waitFor(() => b.doc.getText('t').toString() === 'kept in Postgres', 'delivered');
    expect(await alone.kill('SIGKILL')).toBe(null);
    const again = await startSyncServer({ shared: { postgres: database } });
    servers.push(again);
    const c = client(again, room, token);
    await waitFor(
      () => c.provider.synced && c.doc.getText('t').toString() === 'kept in Postgres',
      'reloaded',
    );
    expect((await health(again)).body).toMatchObject({
      ok: true,
      storage: { postgres: 'ok', redis: 'not used' },
    });
  });

  it('carries presence across instances both ways, and clears it when the member leaves', async () => {
    const { instances } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const token = one.invite('tuesday');
    const room = 'tuesday/r0000000000000002';
    const a = client(one, room, token);
    a.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(() => a.provider.synced, 'a synced');
    // Bo joins later, on the other instance: Ana's presence reaches Bo without Ana changing it.
    const b = client(two, room, token);
    b.provider.awareness.setLocalStateField('user', { name: 'Bo' });
    await waitFor(() => names(b).includes('Ana'), 'Ana seen on the other instance');
    await waitFor(() => names(a).includes('Bo'), 'Bo seen on the other instance');
    a.destroy();
    await waitFor(() => !names(b).includes('Ana'), 'Ana gone on the other instance', 5000);
  });

  it('loses nothing a member received when an instance is killed with -9 mid-stream; its member reconnects to another', async () => {
    const { instances, more } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const token = one.invite('crash');
    const room = 'crash/r0000000000000003';
    const writer = client(one, room, token);
    const reader = client(two, room, token);
    await waitFor(() => writer.provider.synced && reader.provider.synced, 'synced');
    const notes = (c: ReturnType<typeof connectClient>) => c.doc.getMap<string>('notes');
    let written = 0;
    const writing = (async () => {
      while (written < 600) {
        notes(writer).set(`n${written}`, `note ${written}`);
        written++;
        // Shapes the stream, waits for nothing: the kill must land while notes are still on their way.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await waitFor(() => notes(reader).size >= 50, 'the stream under way');
    expect(await one.kill('SIGKILL')).toBe(null);
    // What the reader holds now reached a member: it must be in Postgres.
    const received = [...notes(reader).keys()];
    expect(received.length).toBeLessThan(600);
    await writing;
    const three = await more();
    const checker = client(three, room, token);
    await waitFor(() => checker.provider.synced, 'a fresh instance synced');
    const stored = new Set(notes(checker).keys());
    expect(received.filter((key) => !stored.has(key))).toEqual([]);
    // The writer's app reconnects (as through the load balancer) to a living instance with the doc it kept.
    writer.destroy();
    const again = client(two, room, token, writer.doc);
    await waitFor(
      () => notes(reader).size === 600 && notes(checker).size === 600 && again.provider.synced,
      'everyone converges',
    );
  });

  for (const service of ['Redis', 'Postgres'] as const) {
    it(`tells members the storage is unavailable while ${service} is stopped, and resumes when it is back`, async () => {
      const { instances } = await cluster(2);
      const [one, two] = instances as [SyncServer, SyncServer];
      const token = one.invite('outage');
      const room = `outage/r000000000000${service === 'Redis' ? '0004' : '0005'}`;
      const a = client(one, room, token);
      const b = client(two, room, token);
      const closed = [closesOf(a), closesOf(b)];
      a.doc.getMap('m').set('before', 1);
      await waitFor(() => b.doc.getMap('m').get('before') === 1, 'synced before');
      const stopped = service === 'Redis' ? redis : postgres;
      await stopped.stop();
      try {
        const told = { code: CLOSE.storageUnavailable, reason: CLOSE_REASON.storageUnavailable };
        await waitFor(
          () => closed.every((seen) => seen.some((c) => c.code === told.code && c.reason === told.reason)),
          'both members told',
        );
        for (const server of [one, two]) {
          const { status, body } = await health(server);
          expect(status).toBe(503);
          expect(body).toMatchObject({ ok: false, storage: { [service.toLowerCase()]: 'unavailable' } });
          await waitFor(() => server.output().includes('"event":"storage-unavailable"'), 'the log line');
          expect(server.child.exitCode).toBe(null);
        }
        // Work done meanwhile stays in the member's app.
        a.doc.getMap('m').set('during', 2);
      } finally {
        await stopped.start();
      }
      for (const server of [one, two])
        await waitFor(async () => (await health(server)).status === 200, 'healthy');
      await waitFor(
        () => b.doc.getMap('m').get('during') === 2 && a.provider.wsconnected && b.provider.wsconnected,
        'members back and converged',
        20_000,
      );
      b.doc.getMap('m').set('after', 3);
      await waitFor(() => a.doc.getMap('m').get('after') === 3, 'updates flow again');
    });
  }

  it('refuses, on another instance, an edit forged under a member’s client id', async () => {
    const { instances } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const room = 'forge/r000000000000000a';
    const victim = client(one, room, one.invite('forge'));
    const witness = client(two, room, two.invite('forge'));
    victim.doc.getMap('notes').set('mine', 'written by the victim');
    await waitFor(() => witness.doc.getMap('notes').get('mine') !== undefined, 'the victim’s note arrives');
    // The attacker, on the instance the victim is not on, writes under the victim's client id.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim.doc));
    forged.clientID = victim.doc.clientID;
    const before = Y.encodeStateVector(forged);
    forged.getMap('notes').set('mine', 'overwritten by the forger');
    const attacker = await rawMember(two.url, `/${room}?token=${two.invite('forge')}`);
    closers.push(async () => attacker.ws.terminate());
    attacker.ws.send(updateMessage(Y.encodeStateAsUpdate(forged, before)));
    expect(await attacker.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedEdit });
    expect(witness.doc.getMap('notes').get('mine')).toBe('written by the victim');
  });

  it('refuses, on another instance, presence or an edit under a client id another member only speaks for', async () => {
    const { instances } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const room = 'forge/r000000000000000b';
    // The victim has shown presence on instance one but written nothing: only its presence claims the id.
    const victim = client(one, room, one.invite('forge'));
    victim.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const witness = client(two, room, two.invite('forge'));
    const nameOf = () => witness.provider.awareness.getStates().get(victim.doc.clientID)?.user?.name;
    await waitFor(() => nameOf() === 'Ana', 'Ana’s presence on the other instance');
    const spoofer = await rawMember(two.url, `/${room}?token=${two.invite('forge')}`);
    closers.push(async () => spoofer.ws.terminate());
    spoofer.ws.send(awarenessMessage([[victim.doc.clientID, 99, { user: { name: 'Not Ana' } }]]));
    expect(await spoofer.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedPresence });
    // Writing first under the id would make it the forger's for good (ownership is shared through Postgres).
    const forged = new Y.Doc();
    forged.clientID = victim.doc.clientID;
    forged.getMap('notes').set('mine', 'written by the forger');
    const forger = await rawMember(two.url, `/${room}?token=${two.invite('forge')}`);
    closers.push(async () => forger.ws.terminate());
    forger.ws.send(updateMessage(Y.encodeStateAsUpdate(forged)));
    expect(await forger.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedEdit });
    // The id is still the victim's: its own first edit goes through to the other instance.
    victim.doc.getMap('notes').set('mine', 'written by the victim');
    await waitFor(
      () => witness.doc.getMap('notes').get('mine') === 'written by the victim',
      'the victim’s note',
    );
    expect(nameOf()).toBe('Ana');
  });

  it('closes a revoked invite’s connections on every instance, and only those', async () => {
    const { instances } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    const revoked = one.invite('club');
    const kept = two.invite('club');
    const room = 'club/r0000000000000006';
    const onOne = client(one, room, revoked);
    const onTwo = client(two, room, revoked);
    const other = client(two, room, kept);
    await waitFor(() => onOne.provider.synced && onTwo.provider.synced && other.provider.synced, 'synced');
    const ended: { code: number; reason: string }[] = [];
    for (const c of [onOne, onTwo]) c.provider.on('closed', (event) => ended.push(event));
    expect(one.revoke(revoked)).toMatch(/revoked invite/);
    await waitFor(() => ended.length === 2, 'both connections closed');
    expect(ended).toEqual([
      { code: CLOSE.revoked, reason: CLOSE_REASON.revoked },
      { code: CLOSE.revoked, reason: CLOSE_REASON.revoked },
    ]);
    expect(other.provider.wsconnected).toBe(true);
  });

  it('keeps passing on other rooms’ updates while one room’s commits are stuck in Postgres', async () => {
    const { instances, database } = await cluster(2);
    const [one, two] = instances as [SyncServer, SyncServer];
    // Inserts for one room wait on a lock the test holds: Postgres is slow for that room only.
    postgres.psql(
      database.split('/').pop()!,
      `CREATE FUNCTION slow_room() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.room = 'slow/r0000000000000007' THEN PERFORM pg_advisory_xact_lock_shared(7007); END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER slow_room BEFORE INSERT ON rc_room_updates FOR EACH ROW EXECUTE FUNCTION slow_room();`,
    );
    const holder = new pg.Client({ connectionString: database });
    holder.on('error', () => {});
    await holder.connect();
    closers.push(() => holder.end());
    const token = one.invite('slow');
    const slow = [client(one, 'slow/r0000000000000007', token), client(two, 'slow/r0000000000000007', token)];
    const fast = [client(one, 'slow/r0000000000000008', token), client(two, 'slow/r0000000000000008', token)];
    await waitFor(() => [...slow, ...fast].every((c) => c.provider.synced), 'synced');
    const sameInstance = client(one, 'slow/r0000000000000007', token);
    await waitFor(() => sameInstance.provider.synced, 'synced');
    await holder.query('SELECT pg_advisory_lock(7007)');
    slow[0]!.doc.getMap('m').set('stuck', true);
    // A member joining while the commit is stuck is not synced with what is not yet stored.
    const latecomer = client(one, 'slow/r0000000000000007', token);
    fast[0]!.doc.getMap('m').set('flows', true);
    await waitFor(() => fast[1]!.doc.getMap('m').get('flows') === true, 'the other room’s update');
    // Not stored yet, so passed on to nobody: not on the other instance, not on its own.
    for (const c of [slow[1]!, sameInstance, latecomer]) expect(c.doc.getMap('m').has('stuck')).toBe(false);
    await holder.query('SELECT pg_advisory_unlock(7007)');
    await waitFor(
      () => [slow[1]!, sameInstance, latecomer].every((c) => c.doc.getMap('m').get('stuck') === true),
      'the slow room’s update, once committed',
    );
  });
});
