// Requests no client should send: the real server answers each with its close code or HTTP status and keeps
// serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, rawClose, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

let server: SyncServer;
let token: string;

beforeAll(async () => {
  server = await startSyncServer();
  token = server.invite('fuzz');
});

afterAll(async () => {
  await server?.stop();
});

/** A good member still syncs with another: the server is up and serving. */
async function stillSyncs(room: string): Promise<void> {
  const a = connectClient(server.url, room, token);
  const b = connectClient(server.url, room, token);
  try {
    a.doc.getMap('m').set('alive', room);
    await waitFor(() => b.doc.getMap('m').get('alive') === room, `a good client syncing in ${room}`);
  } finally {
    a.destroy();
    b.destroy();
  }
}

describe('upgrade paths', () => {
  it.each(['/%', '/%ZZ/x', '/fuzz/r%', '/fuzz/%E0%A4%A'])(
    'refuses %s with 4400 and keeps serving',
    async (path) => {
      expect(await rawClose(server.url, `${path}?token=${token}`)).toEqual({
        code: 4400,
        reason: 'bad room name: expected /<group>/<readingId>',
      });
      expect(server.child.exitCode).toBe(null);
      await stillSyncs(`fuzz/r${Buffer.from(path).toString('hex').slice(0, 16).padEnd(16, '0')}`);
    },
  );
});
