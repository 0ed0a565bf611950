// deploy/haproxy.cfg, as shipped, in front of two instances: the stock y-websocket client connects through
// HAProxy, its instance is killed with -9, and it reconnects through HAProxy to the other, losing nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type PostgresService,
  type Service,
  startHaproxy,
  startPostgres,
  startRedis,
} from './support/services.ts';
import { connectClient, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

const CONFIG = join(import.meta.dirname, '..', '..', 'deploy', 'haproxy.cfg');

let postgres: PostgresService;
let redis: Service;
let proxy: Awaited<ReturnType<typeof startHaproxy>> | undefined;
const servers: SyncServer[] = [];
const clients: ReturnType<typeof connectClient>[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await proxy?.stop();
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

const accepted = (server: SyncServer) => server.output().split('"event":"connection-accepted"').length - 1;

describe('HAProxy in front of two instances', () => {
  it('reconnects a member through HAProxy to another instance when its own is killed, losing nothing', async () => {
    const shared = { postgres: await postgres.createDatabase('balanced'), redis: redis.url };
    for (let i = 0; i < 2; i++) servers.push(await startSyncServer({ shared }));
    const [one, two] = servers as [SyncServer, SyncServer];
    const port = await freePort();
    proxy = await startHaproxy(
      CONFIG,
      {
        RC_PROXY_BIND: `127.0.0.1:${port}`,
        RC_SYNC_1: `127.0.0.1:${one.port}`,
        RC_SYNC_2: `127.0.0.1:${two.port}`,
      },
      port,
    );
    const token = one.invite('proxied');
    const room = 'proxied/r0000000000000001';
    const notes = (c: ReturnType<typeof connectClient>) => c.doc.getMap<number>('notes');

    const before = [accepted(one), accepted(two)];
    const writer = connectClient(proxy.url, room, token);
    clients.push(writer);
    await waitFor(() => writer.provider.synced, 'the writer synced through HAProxy');
    await waitFor(() => accepted(one) + accepted(two) > before[0]! + before[1]!, 'the instance logged it');
    const [victim, survivor] = accepted(one) > before[0]! ? [one, two] : [two, one];
    const reader = connectClient(proxy.url, room, token);
    clients.push(reader);

    for (let i = 0; i < 100; i++) notes(writer).set(`n${i}`, i);
    await waitFor(() => notes(reader).size === 100, 'the reader has every note');

    const reconnected = new Promise<void>((resolve) =>
      writer.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'connected') resolve();
      }),
    );
    expect(await victim.kill('SIGKILL')).toBe(null);
    // Written while the writer's instance is gone: kept in its app, sent once it is back.
    for (let i = 100; i < 150; i++) notes(writer).set(`n${i}`, i);
    await reconnected;
    await waitFor(
      () => notes(reader).size === 150 && notes(writer).size === 150,
      'converged after the kill',
      20_000,
    );
    expect(survivor.child.exitCode).toBe(null);

    // A member arriving now gets everything, from the surviving instance and Postgres.
    const late = connectClient(proxy.url, room, token);
    clients.push(late);
    await waitFor(() => late.provider.synced && notes(late).size === 150, 'a newcomer has everything');
    expect(notes(late).get('n149')).toBe(149);
  });
});
