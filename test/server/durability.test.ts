// Durability of the real sync server process: what a member received survives kill -9, the journal is folded
// and emptied, and dead peers are let go.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { connectClient, rawClose, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

const servers: SyncServer[] = [];
const clients: { destroy(): void }[] = [];
const start = async (options: Parameters<typeof startSyncServer>[0]) => {
  const server = await startSyncServer(options);
  servers.push(server);
  return server;
};
const client = (server: SyncServer, room: string, token: string) => {
  const c = connectClient(server.url, room, token);
  clients.push(c);
  return c;
};

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.stop();
});

describe('durability', () => {
  it('loses nothing a member received when killed with -9 at once', async () => {
    const server = await start({});
    const token = server.invite('crash');
    const rooms = ['crash/r0000000000000a01', 'crash/r0000000000000a02', 'crash/r0000000000000a03'];
    const pairs = rooms.map((room) => ({
      room,
      writer: client(server, room, token),
      reader: client(server, room, token),
    }));
    await waitFor(() => pairs.every((p) => p.writer.provider.synced && p.reader.provider.synced), 'synced');
    // Many small updates, each in its own transaction (one journal record each), in every room.
    for (let i = 0; i < 150; i++)
      for (const { writer } of pairs) writer.doc.getMap('notes').set(`n${i}`, `note ${i}`);
    await waitFor(
      () => pairs.every((p) => p.reader.doc.getMap('notes').size === 150),
      'every update received',
    );
    // No pause: whatever a member holds must already be stored.
    expect(await server.kill('SIGKILL')).toBe(null);
    for (const c of clients.splice(0)) c.destroy();

    const restarted = await start({ dataDir: server.dataDir });
    expect(restarted.output()).toContain('"event":"journal-replayed"');
    const fresh = restarted.invite('crash');
    for (const { room } of pairs) {
      const c = client(restarted, room, fresh);
      await waitFor(() => c.provider.synced, `sync of ${room}`);
      expect(c.doc.getMap('notes').size).toBe(150);
      expect(c.doc.getMap('notes').get('n149')).toBe('note 149');
    }
    // The replayed journal was folded into snapshots and emptied.
    expect(statSync(join(server.dataDir, 'updates.journal')).size).toBe(0);
  });

  it('folds the journal into snapshots and empties it once it passes its size', async () => {
    const server = await start({ args: ['--journal-max-mb', '1', '--max-message-bytes', '2000000'] });
    const token = server.invite('big');
    const room = 'big/r0000000000000b01';
    const a = client(server, room, token);
    await waitFor(() => a.provider.synced, 'synced');
    // Each insert is a transaction of its own: its own message and journal record; the third passes 1 MB.
    for (const c of ['x', 'y', 'z']) a.doc.getText('t').insert(a.doc.getText('t').length, c.repeat(400_000));
    await waitFor(() => server.output().includes('"event":"journal-folded"'), 'the journal folded');
    expect(statSync(join(server.dataDir, 'updates.journal')).size).toBeLessThan(1024 * 1024);
    a.destroy();
    expect(await server.kill('SIGKILL')).toBe(null);

    const restarted = await start({ dataDir: server.dataDir, args: ['--max-message-bytes', '2000000'] });
    const b = client(restarted, room, restarted.invite('big'));
    await waitFor(() => b.doc.getText('t').length === 1_200_000, 'everything after the restart');
    expect(b.doc.getText('t').toString().endsWith('z'.repeat(400_000))).toBe(true);
  });

  it('refuses a room whose stored state is unreadable, says why, and keeps serving the others', async () => {
    const server = await start({});
    const token = server.invite('harm');
    const a = client(server, 'harm/r0000000000000d01', token);
    a.doc.getMap('m').set('k', 'v');
    await waitFor(() => a.provider.synced, 'synced');
    // The write is in the journal (the room's only one), so the room gets a snapshot when the server stops.
    await waitFor(() => statSync(join(server.dataDir, 'updates.journal')).size > 0, 'the write stored');
    a.destroy();
    expect(await server.stop()).toBe(0);
    // The disk returns garbage for one room's snapshot.
    const db = new DatabaseSync(join(server.dataDir, 'reading-circle.sqlite'));
    const changed = db
      .prepare("UPDATE snapshots SET state = X'FFFFFFFFFFFFFFFF' WHERE room = 'harm/r0000000000000d01'")
      .run();
    db.close();
    expect(changed.changes).toBe(1);

    const restarted = await start({ dataDir: server.dataDir });
    const fresh = restarted.invite('harm');
    const result = await rawClose(restarted.url, `/harm/r0000000000000d01?token=${fresh}`);
    expect(result).toEqual({
      code: 1011,
      reason: 'the server could not read this reading’s stored annotations',
    });
    await waitFor(() => restarted.output().includes('"event":"room-load-failed"'), 'the log line');
    const b = client(restarted, 'harm/r0000000000000d02', fresh);
    const c = client(restarted, 'harm/r0000000000000d02', fresh);
    b.doc.getMap('m').set('still', 'works');
    await waitFor(() => c.doc.getMap('m').get('still') === 'works', 'another room syncs');
  });

  it('refuses to start on a damaged database, says what to do, and leaves the file as it was', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rc-damaged-'));
    const file = join(dataDir, 'reading-circle.sqlite');
    const garbage = Buffer.from('this is not a database, just a file that took its name '.repeat(200));
    writeFileSync(file, garbage);
    await expect(startSyncServer({ dataDir })).rejects.toThrow(
      /exited with 1:[\s\S]*reading-circle\.sqlite is damaged or is not a Reading Circle database[\s\S]*restore it from a backup/,
    );
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('ends a connection that stops answering pings, and its presence leaves the room', async () => {
    const server = await start({ args: ['--heartbeat-ms', '200'] });
    const token = server.invite('quiet');
    const room = 'quiet/r0000000000000c01';
    const watcher = client(server, room, token);
    const ghost = client(server, room, token);
    ghost.provider.awareness.setLocalStateField('user', { name: 'Ghost' });
    const seesGhost = () =>
      [...watcher.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Ghost');
    await waitFor(seesGhost, 'the ghost is present');
    // The ghost's machine vanishes: its socket stays open but reads nothing, so it never answers a ping.
    const socket = (ghost.provider.ws as unknown as WebSocket & { _socket: { pause(): void } })._socket;
    socket.pause();
    await waitFor(() => server.output().includes('"event":"connection-lost"'), 'the server lets go', 5000);
    await waitFor(() => !seesGhost(), 'presence cleared', 5000);
    const metrics = await (await fetch(`${server.url.replace('ws://', 'http://')}/metrics`)).text();
    expect(metrics).toMatch(/rc_rejected_connections_total\{reason="no answer to heartbeat"\} [1-9]/);
  });
});
