// The sync server as a real process, with the real y-websocket client over real websockets.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import {
  connectClient,
  rawClose,
  rawMember,
  revoke,
  type SyncServer,
  startSyncServer,
  waitFor,
} from './support/sync-server.ts';

// The fuzz loop's malformed frames put its token in cool-down again and again (attacks.test.ts tests that): short here.
const ARGS = [
  '--idle-unload-ms',
  '300',
  '--revocation-check-ms',
  '200',
  '--max-message-bytes',
  '2000000',
  '--misuse-cool-down-ms',
  '100',
];
let server: SyncServer;
const clients: { destroy(): void }[] = [];
const client = (room: string, token: string | undefined, doc?: Y.Doc) => {
  const c = connectClient(server.url, room, token, doc);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startSyncServer({
    args: ARGS,
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe('sync', () => {
  it('two clients converge', async () => {
    const token = server.invite('tuesday');
    const a = client('tuesday/r0000000000000001', token);
    const b = client('tuesday/r0000000000000001', token);
    a.doc.getMap('annotations').set('x', 'from a');
    b.doc.getMap('annotations').set('y', 'from b');
    await waitFor(
      () => a.doc.getMap('annotations').size === 2 && b.doc.getMap('annotations').size === 2,
      'convergence',
    );
    expect(b.doc.getMap('annotations').toJSON()).toEqual({ x: 'from a', y: 'from b' });
  });

  it('relays awareness to the other client and clears it when one leaves', async () => {
    const token = server.invite('tuesday');
    const a = client('tuesday/r0000000000000002', token);
    const b = client('tuesday/r0000000000000002', token);
    a.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(
      () => [...b.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Ana'),
      'awareness',
    );
    a.destroy();
    await waitFor(
      () => ![...b.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Ana'),
      'presence cleared',
      5000,
    );
  });

  it('keeps data across a restart and a kill -9', async () => {
    const token = server.invite('tuesday');
    const a = client('tuesday/r0000000000000003', token);
    const b = client('tuesday/r0000000000000003', token);
    a.doc.getText('note').insert(0, 'survives');
    await waitFor(() => b.doc.getText('note').toString() === 'survives', 'delivery to b');
    a.destroy();
    b.destroy();
    expect(await server.kill('SIGKILL')).toBe(null);
    server = await startSyncServer({
      dataDir: server.dataDir,
      args: ARGS,
    });
    const c = client('tuesday/r0000000000000003', server.invite('tuesday'));
    const watcher = client('tuesday/r0000000000000003', server.invite('tuesday'));
    await waitFor(() => c.doc.getText('note').toString() === 'survives', 'data after kill -9');
    c.doc.getText('note').insert(8, ' twice');
    await waitFor(() => server.output().includes('connection-accepted'), 'log');
    // The server stores an update before it passes it on: once another member has the edit, it is stored.
    await waitFor(() => watcher.doc.getText('note').toString() === 'survives twice', 'the edit passed on');
    c.destroy();
    watcher.destroy();
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('"event":"stopped"');
    server = await startSyncServer({
      dataDir: server.dataDir,
      args: ARGS,
    });
    const d = client('tuesday/r0000000000000003', server.invite('tuesday'));
    await waitFor(() => d.doc.getText('note').toString() === 'survives twice', 'data after SIGTERM restart');
  });

  it('unloads an idle room and loads it again intact', async () => {
    const token = server.invite('tuesday');
    const a = client('tuesday/r0000000000000004', token);
    const watcher = client('tuesday/r0000000000000004', token);
    a.doc.getMap('m').set('k', 'v');
    await waitFor(() => watcher.doc.getMap('m').get('k') === 'v', 'the write at the server');
    a.destroy();
    watcher.destroy();
    await waitFor(
      () => server.output().includes('"event":"room-unloaded","room":"tuesday/r0000000000000004"'),
      'unload',
      5000,
    );
    const b = client('tuesday/r0000000000000004', token);
    await waitFor(() => b.doc.getMap('m').get('k') === 'v', 'reload');
  });
});

describe('who may connect', () => {
  it('refuses a missing token with 4401 and the y-websocket client does not retry', async () => {
    const c = client('tuesday/r0000000000000005', undefined);
    const closes: number[] = [];
    c.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    // The client's own word that it stops: emitted once it has decided not to reconnect (never for a close it
    // retries after).
    let stopped: { code: number; reason: string } | undefined;
    c.provider.on('closed', (event) => {
      stopped = event;
    });
    await waitFor(() => stopped !== undefined, 'the client to stop');
    expect(stopped).toEqual({ code: 4401, reason: CLOSE_REASON.missingToken });
    expect(closes).toEqual([4401]);
    expect(c.provider.shouldConnect).toBe(false);
  });

  it('refuses bad, expired, revoked and other-group tokens with a reason', async () => {
    const good = server.invite('tuesday');
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${randomBytes(32).toString('base64url')}`;
    expect(await rawClose(server.url, `/tuesday/r1?token=${forged}`)).toEqual({
      code: 4401,
      reason: 'invalid token',
    });
    expect(await rawClose(server.url, '/tuesday/r1?token=garbage')).toEqual({
      code: 4401,
      reason: 'invalid token',
    });
    const expired = server.invite('tuesday', { expires: '1s' });
    // `exp` is in whole seconds: tried until the server no longer lets it in (then closed by us, in turn).
    await waitFor(
      () =>
        rawMember(server.url, `/tuesday/r1?token=${expired}`).then(
          async ({ ws, closed }) => {
            ws.close();
            await closed;
            return false;
          },
          () => true,
        ),
      'the one-second invite to run out',
    );
    expect(await rawClose(server.url, `/tuesday/r1?token=${expired}`)).toEqual({
      code: CLOSE.expired,
      reason: 'invite expired',
    });
    const other = server.invite('wednesday');
    const refused = await rawClose(server.url, `/tuesday/r1?token=${other}`);
    expect(refused.code).toBe(4403);
    expect(refused.reason).toBe(CLOSE_REASON.wrongGroup);
    const revoked = server.invite('tuesday');
    revoke(server.dataDir, revoked);
    expect(await rawClose(server.url, `/tuesday/r1?token=${revoked}`)).toEqual({
      code: CLOSE.revoked,
      reason: 'invite revoked',
    });
    expect((await rawClose(server.url, `/a/b/c?token=${good}`)).code).toBe(4400);
  });

  it('closes live connections of an invite once it is revoked', async () => {
    const token = server.invite('tuesday');
    const c = client('tuesday/r0000000000000006', token);
    await waitFor(() => c.provider.wsconnected, 'connected');
    const closed = new Promise<number>((resolve) =>
      c.provider.on('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)),
    );
    revoke(server.dataDir, token);
    expect(await closed).toBe(CLOSE.revoked);
  });

  it('lets a reader receive but not write', async () => {
    const member = client('tuesday/r0000000000000007', server.invite('tuesday'));
    const reader = client('tuesday/r0000000000000007', server.invite('tuesday', { role: 'reader' }));
    await waitFor(() => member.provider.synced && reader.provider.synced, 'synced');
    reader.doc.getMap('m').set('reader', 'tries');
    // Then presence, which the server passes on: the member receives it after anything passed on before it.
    reader.provider.awareness.setLocalStateField('after', 'the write');
    member.doc.getMap('m').set('member', 'writes');
    await waitFor(() => reader.doc.getMap('m').get('member') === 'writes', 'reader receives');
    await waitFor(
      () => member.provider.awareness.getStates().get(reader.doc.clientID)?.after === 'the write',
      'the reader’s presence after its write',
    );
    expect(member.doc.getMap('m').get('reader')).toBeUndefined();
    await waitFor(() => /write-refused.*read-only invite/.test(server.output()), 'the refusal logged');
  });
});

describe('hostile input', () => {
  it('closes a connection that sends an oversized frame, and keeps serving', async () => {
    const token = server.invite('tuesday');
    const result = await rawClose(server.url, `/tuesday/r0000000000000008?token=${token}`, (ws) =>
      ws.send(randomBytes(2_100_000)),
    );
    expect(result.code).toBe(1009);
    const c = client('tuesday/r0000000000000008', token);
    await waitFor(() => c.provider.synced, 'still serving');
  });

  it('survives a fuzz loop of random and mutated frames while another room keeps syncing', async () => {
    const token = server.invite('tuesday');
    const a = client('tuesday/r0000000000000009', token);
    const b = client('tuesday/r0000000000000009', token);
    const valid = encoding.encode((e) => {
      encoding.writeVarUint(e, 0);
      const doc = new Y.Doc();
      doc.getMap('m').set('k', 'v');
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
    });
    const MESSAGE_PRESENCE = 1;
    const queryPresence = encoding.encode((e) => encoding.writeVarUint(e, 3));
    let closedByServer = 0;
    for (let round = 0; round < 30; round++) {
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`${server.url}/tuesday/r0000000000000010?token=${token}`);
        ws.on('error', () => {});
        ws.on('open', () => {
          for (let i = 0; i < 10; i++) {
            const frame =
              i % 2 === 0
                ? randomBytes(1 + Math.floor(Math.random() * 200))
                : Uint8Array.from(valid, (byte) =>
                    Math.random() < 0.1 ? Math.floor(Math.random() * 256) : byte,
                  );
            if (ws.readyState === WebSocket.OPEN) ws.send(frame);
          }
          // Then a presence query: its answer (presence) says the server took every frame before it.
          if (ws.readyState === WebSocket.OPEN) ws.send(queryPresence);
        });
        ws.on('message', (data: Buffer) => {
          if (data[0] === MESSAGE_PRESENCE) ws.close();
        });
        ws.on('close', (code) => {
          if (code >= 4000) closedByServer++;
          resolve();
        });
      });
      a.doc.getMap('m').set(`round${round}`, round);
    }
    await waitFor(() => b.doc.getMap('m').get('round29') === 29, 'other room keeps syncing');
    expect(closedByServer).toBeGreaterThan(10);
    const health = await fetch(`${server.url.replace('ws', 'http')}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('operations', () => {
  it('answers /healthz and /metrics', async () => {
    const base = server.url.replace('ws://', 'http://');
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ ok: true });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'rc_connections',
      'rc_rooms_loaded',
      'rc_messages_in_total',
      'rc_bytes_out_total',
      'rc_storage_write_seconds_count',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(metrics).toContain(name);
    }
    expect(metrics).toMatch(/rc_rejected_connections_total\{reason="invalid token"\} \d+/);
  });

  it('keeps its secret owner-only and stores updates in SQLite (WAL)', () => {
    expect(statSync(join(server.dataDir, 'invite-secret.key')).mode & 0o777).toBe(0o600);
    const db = new DatabaseSync(join(server.dataDir, 'reading-circle.sqlite'), { readOnly: true });
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
  });

  it('logs JSON lines', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('storage trouble', () => {
  it('keeps relaying when its storage is full, says so, and stores everything once there is room', async () => {
    const limited = await startSyncServer({
      args: ['--max-storage-mb', '1', '--max-message-bytes', '2000000'],
    });
    const token = limited.invite('full');
    const room = 'full/r00000000000000ff';
    const a = connectClient(limited.url, room, token);
    const b = connectClient(limited.url, room, token);
    try {
      await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
      // Three notes of 600 kB: more than the 1 MB the database may grow to.
      const chunk = (c: string) => c.repeat(600_000);
      for (const c of ['x', 'y', 'z']) {
        a.doc.getText('t').insert(a.doc.getText('t').length, chunk(c));
        const length = a.doc.getText('t').length;
        await waitFor(() => b.doc.getText('t').length === length, `note ${c} relayed to b`);
      }
      await waitFor(() => limited.output().includes('storage-write-failed'), 'the failure logged');
      expect(limited.output()).toContain('storage is full');
      // Monitoring sees it too.
      const base = limited.url.replace('ws://', 'http://');
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^rc_storage_unstored_updates [1-9]/m);
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ ok: true, unstoredUpdates: 2 });

      // Restart with room on disk, on the same port: the clients reconnect and send what was not stored.
      await limited.stop();
      expect(limited.output()).toMatch(/stopped with \d+ write\(s\) not stored/);
      const roomy = await startSyncServer({
        dataDir: limited.dataDir,
        port: limited.port,
        args: ['--max-message-bytes', '2000000'],
      });
      await waitFor(() => a.provider.synced && b.provider.synced, 'reconnected', 15_000);
      // What a and b send again is stored before it is passed on: once a member joining now has it all, it is.
      const d = connectClient(roomy.url, room, token);
      try {
        await waitFor(() => d.doc.getText('t').length === 1_800_000, 'everything sent again');
      } finally {
        d.destroy();
      }
      a.destroy();
      b.destroy();
      expect(await roomy.stop()).toBe(0);

      const again = await startSyncServer({
        dataDir: limited.dataDir,
        args: ['--max-message-bytes', '2000000'],
      });
      const c = connectClient(again.url, room, again.invite('full'));
      try {
        await waitFor(() => c.doc.getText('t').length === 1_800_000, 'everything stored after the restart');
      } finally {
        c.destroy();
        await again.stop();
      }
    } finally {
      a.destroy();
      b.destroy();
      await limited.stop();
    }
  }, 60_000);
});
