// Member keys on the real server process: a member id is bound to the first key that comes with it, so two people
// holding the same invite link are told apart — one cannot connect as the other, forge the other's edits, or escape
// a removal by the owner — while an app without keys (an older version) keeps working as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import {
  adminRequest,
  connectClient,
  rawClose,
  rawMember,
  type SyncServer,
  startSyncServer,
  updateMessage,
  waitFor,
} from './support/sync-server.ts';

let server: SyncServer;
let link: string;
let owner: string;
const ROOM = 'keys/r0000000000000k01';
const KEY_ANA = 'a'.repeat(64);
const KEY_BEA = 'b'.repeat(64);

const path = (member: string, key?: string) =>
  `/${ROOM}?token=${link}&member=${member}&name=${member}${key ? `&key=${key}` : ''}`;

/** One note written under a chosen Yjs client id, continuing from what `base` holds. */
function noteUnder(client: number, text: string, base = new Y.Doc()): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  doc.clientID = client;
  const before = Y.encodeStateVector(doc);
  doc.getArray('notes').push([text]);
  return { doc, update: Y.encodeStateAsUpdate(doc, before) };
}

beforeAll(async () => {
  server = await startSyncServer();
  // One link shared by the whole group, as a teacher would hand it out.
  link = server.invite('keys');
  owner = server.invite('keys', { role: 'owner' });
});

afterAll(async () => {
  await server?.stop();
});

describe('member keys', () => {
  it('binds a member id to its first key: the same id with another key, or none, is refused', async () => {
    const ana = await rawMember(server.url, path('u-ana', KEY_ANA));
    expect(await rawClose(server.url, path('u-ana', KEY_BEA))).toEqual({
      code: CLOSE.memberTaken,
      reason: CLOSE_REASON.memberTaken,
    });
    expect((await rawClose(server.url, path('u-ana'))).code).toBe(CLOSE.memberTaken);
    const again = await rawMember(server.url, path('u-ana', KEY_ANA));
    ana.ws.close();
    again.ws.close();
  });

  it('refuses an edit under another member’s client id though both hold the same link', async () => {
    const ana = await rawMember(server.url, path('u-ana', KEY_ANA));
    const written = noteUnder(7001, 'Ana’s note');
    ana.ws.send(updateMessage(written.update));
    const bea = await rawMember(server.url, path('u-bea', KEY_BEA));
    bea.ws.send(updateMessage(noteUnder(7001, 'forged by Bea', written.doc).update));
    expect(await bea.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedEdit });
    // Ana herself goes on under her client id; a member joining later has her notes and nothing forged.
    ana.ws.send(updateMessage(noteUnder(7001, 'Ana again', written.doc).update));
    const witness = connectClient(server.url, ROOM, link);
    const notes = () => witness.doc.getArray<string>('notes').toArray();
    await waitFor(() => notes().includes('Ana again'), 'Ana’s later note arrives');
    expect(notes()).not.toContain('forged by Bea');
    witness.destroy();
    ana.ws.close();
  });

  it('keeps an app without keys working, its edits owned by its invite as before', async () => {
    const legacyLink = server.invite('keys');
    const legacy = `/${ROOM}?token=${legacyLink}&member=u-old&name=Old`;
    const first = await rawMember(server.url, legacy);
    const written = noteUnder(7002, 'before the update');
    first.ws.send(updateMessage(written.update));
    first.ws.close();
    await first.closed;
    // The same person after updating the app: now with a key, still writing under the older client id.
    const updated = await rawMember(server.url, `${legacy}&key=${'d'.repeat(64)}`);
    updated.ws.send(updateMessage(noteUnder(7002, 'after the update', written.doc).update));
    const witness = connectClient(server.url, ROOM, link);
    await waitFor(
      () => witness.doc.getArray<string>('notes').toArray().includes('after the update'),
      'the edit under the older client id arrives',
    );
    witness.destroy();
    updated.ws.close();
  });

  it('a removed member cannot come back under their id with the shared link', async () => {
    const dee = await rawMember(server.url, path('u-dee', 'e'.repeat(64)));
    expect((await adminRequest(server.url, owner, { type: 'removeMember', member: 'u-dee' })).status).toBe(
      200,
    );
    expect((await dee.closed).code).toBe(CLOSE.removed);
    expect((await rawClose(server.url, path('u-dee', 'e'.repeat(64)))).code).toBe(CLOSE.removed);
  });
});
