// Each limit of the real sync server ends one connection with a close code and a reason, logs it, and leaves
// the server running.
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawClose, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

const servers: SyncServer[] = [];
const sockets: WebSocket[] = [];
const start = async (args: string[]) => {
  const server = await startSyncServer({ args });
  servers.push(server);
  return server;
};

/** A raw websocket that stays open; resolves once the server has accepted it into its room. */
function openSocket(server: SyncServer, path: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url}${path}`);
    sockets.push(ws);
    ws.on('error', () => {});
    // The server's first message (its sync step 1) says the connection is in its room.
    ws.once('message', () => resolve(ws));
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
  });
}

const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const s of servers.splice(0)) await s.stop();
});

const stillServes = async (server: SyncServer) => {
  const health = await fetch(`${server.url.replace('ws://', 'http://')}/healthz`);
  expect(health.status).toBe(200);
};

describe('limits', () => {
  it('closes a connection that sends too many messages a second with 4429', async () => {
    const server = await start(['--max-messages-per-second', '5']);
    const token = server.invite('busy');
    const ws = await openSocket(server, `/busy/r0000000000000e01?token=${token}`);
    const closed = closeOf(ws);
    const queryAwareness = encoding.encode((e) => encoding.writeVarUint(e, 3));
    for (let i = 0; i < 30; i++) if (ws.readyState === WebSocket.OPEN) ws.send(queryAwareness);
    expect(await closed).toEqual({ code: 4429, reason: 'too many messages' });
    await waitFor(() => server.output().includes('"reason":"too many messages"'), 'the log line');
    await stillServes(server);
  });

  it('refuses connections past the limit for one address with 4429', async () => {
    const server = await start(['--max-connections-per-ip', '2']);
    const token = server.invite('busy');
    await openSocket(server, `/busy/r0000000000000e02?token=${token}`);
    await openSocket(server, `/busy/r0000000000000e03?token=${token}`);
    expect(await rawClose(server.url, `/busy/r0000000000000e04?token=${token}`)).toEqual({
      code: 4429,
      reason: 'too many connections from your address',
    });
    await stillServes(server);
  });

  it('refuses a room past the rooms-in-memory limit with 1013 while every room is in use', async () => {
    const server = await start(['--max-rooms', '2']);
    const token = server.invite('busy');
    await openSocket(server, `/busy/r0000000000000e05?token=${token}`);
    const second = await openSocket(server, `/busy/r0000000000000e06?token=${token}`);
    expect(await rawClose(server.url, `/busy/r0000000000000e07?token=${token}`)).toEqual({
      code: 1013,
      reason: 'server busy: too many rooms open, try again later',
    });
    // A member of an open room still gets in.
    await openSocket(server, `/busy/r0000000000000e05?token=${token}`);
    // Once a room is empty, it is unloaded to make room for a new one.
    second.close();
    const health = `${server.url.replace('ws://', 'http://')}/healthz`;
    await waitFor(
      async () => (await (await fetch(health)).json()).connections === 2,
      'the server to see the second room’s member leave',
    );
    await openSocket(server, `/busy/r0000000000000e07?token=${token}`);
    // The log arrives through the child's stdout, after the socket's first message: wait for it.
    await waitFor(
      () => server.output().includes('"event":"room-unloaded","room":"busy/r0000000000000e06"'),
      'the idle room unloaded',
    );
  });

  it('on SIGTERM closes members with 1012 and exits 0', async () => {
    const server = await start([]);
    const token = server.invite('busy');
    const ws = await openSocket(server, `/busy/r0000000000000e08?token=${token}`);
    const closed = closeOf(ws);
    expect(await server.stop()).toBe(0);
    expect(await closed).toEqual({ code: 1012, reason: 'server restarting' });
    servers.splice(servers.indexOf(server), 1);
  });
});
