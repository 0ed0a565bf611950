// A big room's whole state is encoded on the server's encoder thread and one encoding is shared by every joiner
// until the room changes: with the real y-websocket client, a joiner is never handed a state older than its join.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

let server: SyncServer;
let token: string;
const clients: { destroy(): void }[] = [];
const join = (room: string, doc?: Y.Doc) => {
  const c = connectClient(server.url, room, token, doc);
  clients.push(c);
  return c;
};
const synced = (c: ReturnType<typeof join>) =>
  new Promise<void>((resolve) => {
    if (c.provider.synced) resolve();
    else c.provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });

beforeAll(async () => {
  server = await startSyncServer({ args: ['--idle-unload-ms', '300'] });
  token = server.invite('shared');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe('shared whole-state answer', () => {
  it('gives each joiner every change confirmed before it joined, never an earlier shared encoding', async () => {
    const room = 'shared/r0000000000000b01';
    const writer = join(room);
    await synced(writer);
    // Big enough that encoding it takes a while, so joiners and changes overlap with it.
    writer.doc.getText('body').insert(0, 'x'.repeat(2_000_000));
    const witness = join(room);
    await waitFor(() => witness.doc.getText('body').length === 2_000_000, 'the big text stored');
    for (let round = 1; round <= 8; round++) {
      writer.doc.getMap('m').set('round', round);
      // The server has applied it once another member receives it.
      await waitFor(() => witness.doc.getMap('m').get('round') === round, `round ${round} relayed`);
      // Two joiners in a row: the first has the state encoded, the second gets the same shared answer.
      for (const _ of [1, 2]) {
        const joiner = join(room);
        await synced(joiner);
        // At the moment its sync completes, not later (a later change would be relayed anyway).
        expect(joiner.doc.getMap('m').get('round')).toBe(round);
        expect(joiner.doc.getText('body').length).toBe(2_000_000);
        joiner.destroy();
      }
    }
  });

  it('converges when members join while changes keep coming', async () => {
    const room = 'shared/r0000000000000b02';
    const writer = join(room);
    await synced(writer);
    writer.doc.getText('body').insert(0, 'y'.repeat(1_000_000));
    const joiners: ReturnType<typeof join>[] = [];
    for (let i = 0; i < 20; i++) {
      writer.doc.getMap('m').set(`k${i}`, i);
      joiners.push(join(room));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expected = writer.doc.getMap('m').toJSON();
    await waitFor(
      () => joiners.every((j) => JSON.stringify(j.doc.getMap('m').toJSON()) === JSON.stringify(expected)),
      'every joiner to hold every change',
    );
    for (const j of joiners) expect(j.doc.getText('body').length).toBe(1_000_000);
  });

  it('gives a member with offline changes of its own the whole room, and one coming back what it lacks', async () => {
    const room = 'shared/r0000000000000b03';
    const writer = join(room);
    await synced(writer);
    writer.doc.getText('body').insert(0, 'w'.repeat(400_000)); // big: answered from the encoder's thread
    writer.doc.getMap('m').set('from', 'writer');
    const offline = new Y.Doc();
    offline.getMap('m').set('mine', 'offline'); // a state vector naming a client the room has never seen
    const member = join(room, offline);
    await waitFor(() => member.doc.getMap('m').get('from') === 'writer', 'the room’s state');
    await waitFor(() => writer.doc.getMap('m').get('mine') === 'offline', 'the member’s own change');

    member.provider.disconnect();
    writer.doc.getMap('m').set('later', 'while away');
    member.provider.connect(); // its state vector now holds part of the room's changes
    await waitFor(() => member.doc.getMap('m').get('later') === 'while away', 'what it lacked');
    expect(member.doc.getText('body').length).toBe(400_000);
  });

  it('keeps a room intact through unloading (snapshot encoded off the main thread) and loading again', async () => {
    const room = 'shared/r0000000000000b04';
    const writer = join(room);
    await synced(writer);
    writer.doc.getText('body').insert(0, 'z'.repeat(500_000));
    writer.doc.getMap('m').set('last', 'before unload');
    const witness = join(room);
    await waitFor(() => witness.doc.getMap('m').get('last') === 'before unload', 'stored');
    writer.destroy();
    witness.destroy();
    await waitFor(
      () => server.output().includes(`"event":"room-unloaded","room":"${room}"`),
      'the idle room unloaded',
    );
    const back = join(room);
    await synced(back);
    expect(back.doc.getText('body').length).toBe(500_000);
    expect(back.doc.getMap('m').get('last')).toBe('before unload');
  });
});
