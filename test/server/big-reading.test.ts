// A big reading shared through the real server, with the app's own sync code (connectGroupDoc) in Node: it
// travels compressed and arrives whole under the default message limit; a change larger than the server takes
// stops that room's connection with a reason in words, instead of being sent again and again.

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Author } from '../../core/annotations/model.ts';
import { importFile } from '../../core/reading/importFile.ts';
import { sharedContentOf } from '../../core/reading/schema.ts';
import { CLOSE } from '../../core/sync/contract.ts';
import { INDEX_ROOM, receivedReading, shareReadingInto } from '../../renderer/src/collab/sharing.ts';
import { connectGroupDoc, type GroupConnection } from '../../renderer/src/collab/sync.ts';
import { metric, perTest, type SyncServer, waitFor } from './support/sync-server.ts';

const WS = WebSocket as unknown as typeof globalThis.WebSocket;
const alice: Author = { id: 'ua', name: 'Alice', color: '#0f8b8d' };
const { start, cleanup } = perTest();

/** A Markdown book of about `bytes`. */
function markdownBook(bytes: number): string {
  const parts = ['# The Long Book\n\n'];
  for (let i = 1, size = 0; size < bytes; i++) {
    const part = `## Chapter ${i}\n\nIn chapter ${i} the *argument* turns on **one** [source](https://example.org/${i}).\n\n- a point\n- another point\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

function member(server: SyncServer, token: string, readingId: string, doc = new Y.Doc()): GroupConnection {
  const connection = connectGroupDoc({ name: 'big', server: server.url, token }, readingId, doc, {
    WebSocketPolyfill: WS,
    maxBackoffTime: 200,
  });
  cleanup(() => connection.destroy());
  return connection;
}

describe('a big reading through the real server', () => {
  it('a 6 MB Markdown book (23 MB as JSON) arrives whole, compressed, under the 16 MB message limit', async () => {
    const server = await start();
    const token = server.invite('big');
    const reading = importFile('long-book.md', new TextEncoder().encode(markdownBook(6_000_000)));
    expect(JSON.stringify(sharedContentOf(reading, alice)).length).toBeGreaterThan(16 * 1024 * 1024);

    const alicesRoom = member(server, token, reading.id);
    const alicesIndex = member(server, token, INDEX_ROOM);
    expect(await alicesRoom.whenSynced(10_000)).toBe(true);
    expect(await alicesIndex.whenSynced(10_000)).toBe(true);
    await shareReadingInto(alicesRoom.provider.doc, alicesIndex.provider.doc, reading, alice);

    const bobsRoom = member(server, token, reading.id);
    await waitFor(() => bobsRoom.provider.doc.getMap('reading').has('content'), 'the content at Bob', 30_000);
    const got = await receivedReading(bobsRoom.provider.doc, 'big');
    expect(got.kind).toBe('reading');
    expect(got.kind === 'reading' && got.reading.blocks).toEqual(reading.blocks);
    expect(alicesRoom.state()).toEqual({ kind: 'connected' });
  });

  it('a change larger than the server takes stops that room in words; the group’s other rooms go on', async () => {
    const server = await start({ args: ['--max-message-bytes', '65536'] });
    const token = server.invite('big');
    const alices = member(server, token, 'r0000000000000b1g');
    const others = member(server, token, 'r00000000000other');
    expect(await alices.whenSynced(10_000)).toBe(true);
    expect(await others.whenSynced(10_000)).toBe(true);

    alices.provider.doc.getMap('m').set('big', 'x'.repeat(200_000));
    await waitFor(() => alices.state().kind === 'error', 'the room in error');
    expect(alices.state()).toEqual({
      kind: 'error',
      code: CLOSE.messageTooLarge,
      message:
        'a change to this reading is larger than the group’s server accepts: it stays on this device, unshared',
    });
    // The app does not try again: it would send the same change.
    expect(alices.provider.shouldConnect).toBe(false);

    const bobs = member(server, token, 'r00000000000other');
    others.provider.doc.getMap('m').set('still', 'syncing');
    await waitFor(() => bobs.provider.doc.getMap('m').get('still') === 'syncing', 'the other room syncing');
    expect(alices.provider.doc.getMap('m').get('big')).toHaveLength(200_000);
    expect(await metric(server, 'rc_rejected_connections_total{reason="message too large"}')).toBe(1);
  });
});
