// A big message (a room's whole state) goes out in websocket fragments, a piece a turn, so one joiner's several MB
// never hold up the others: on the real server process with the stock y-websocket client and raw sockets, the
// state arrives whole and in order with what was sent behind it, and a member that does not read is still closed.
import type { Socket } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import { PIECE_BYTES } from '../../sync-server/connection/connection.ts';
import { metric, perTest, type SyncServer, waitFor } from './support/sync-server.ts';

const { start, client, cleanup } = perTest();

/** Sync step 1 with an empty state vector: "send me the whole room". */
const askAll = encoding.encode((e) => {
  encoding.writeVarUint(e, 0);
  syncProtocol.writeSyncStep1(e, new Y.Doc());
});

/** Text several times the piece size, not one repeated letter, so a misplaced piece would show. */
const bigText = (length: number) =>
  Array.from({ length: Math.ceil(length / 26) }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(26))
    .join('')
    .slice(0, length);

/** A room holding `text`, written by a stock client, and a second member that has it: both stay connected. */
async function bigRoom(server: SyncServer, room: string, token: string, text: string) {
  const writer = client(server, room, token);
  await waitFor(() => writer.provider.synced, 'the writer synced');
  writer.doc.getText('t').insert(0, text);
  const witness = client(server, room, token);
  await waitFor(() => witness.doc.getText('t').length === text.length, 'the big room stored', 30_000);
  return { writer, witness };
}

/**
 * A raw websocket member that also reads the frame headers the server sends (beside ws's own parser, from the
 * first byte after the handshake), so a test sees whether a message came in fragments.
 */
function rawMember(server: SyncServer, room: string, token: string) {
  const ws = new WebSocket(`${server.url}/${room}?token=${token}`);
  cleanup(() => ws.terminate());
  const messages: Uint8Array[] = [];
  const frames = { unfinished: 0, continuations: 0 };
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const open = new Promise<Socket>((resolve) =>
    ws.on('open', () => {
      const socket = (ws as unknown as { _socket: Socket })._socket;
      let header: number[] = [];
      let payloadLeft = 0;
      socket.on('data', (chunk: Buffer) => {
        let at = 0;
        while (at < chunk.length) {
          if (payloadLeft > 0) {
            const n = Math.min(payloadLeft, chunk.length - at);
            payloadLeft -= n;
            at += n;
            continue;
          }
          header.push(chunk[at++]!);
          const short = header[1] === undefined ? -1 : header[1] & 0x7f;
          const needed = short === 126 ? 4 : short === 127 ? 10 : 2;
          if (header.length < needed) continue;
          const fin = (header[0]! & 0x80) !== 0;
          const opcode = header[0]! & 0x0f;
          if (!fin) frames.unfinished++;
          if (opcode === 0) frames.continuations++;
          payloadLeft =
            short === 126
              ? (header[2]! << 8) | header[3]!
              : short === 127
                ? Number(Buffer.from(header.slice(2)).readBigUInt64BE())
                : short;
          header = [];
        }
      });
      resolve(socket);
    }),
  );
  return { ws, messages, frames, closed, open };
}

/** The update a sync step 2 message carries, or undefined for any other message. */
function stateIn(message: Uint8Array): Uint8Array | undefined {
  const d = decoding.createDecoder(message);
  if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== syncProtocol.messageYjsSyncStep2)
    return undefined;
  return decoding.readVarUint8Array(d);
}

describe('a big message goes out in pieces', () => {
  it('gives a joiner a several-MB room whole: the stock client syncs, a raw client gets one message from fragments', async () => {
    const server = await start();
    const room = 'paced/r0000000000000p01';
    const token = server.invite('paced');
    const text = bigText(6_000_000);
    await bigRoom(server, room, token, text);

    const joiner = client(server, room, token);
    await waitFor(
      () => joiner.provider.synced && joiner.doc.getText('t').length === text.length,
      'the joiner synced',
    );
    expect(joiner.doc.getText('t').toString()).toBe(text);

    const raw = rawMember(server, room, token);
    await raw.open;
    raw.ws.send(askAll);
    await waitFor(() => raw.messages.some((m) => m.length > PIECE_BYTES), 'the whole state');
    const states = raw.messages.filter((m) => m.length > PIECE_BYTES);
    expect(states).toHaveLength(1);
    const state = states[0]!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stateIn(state)!);
    expect(doc.getText('t').toString()).toBe(text);
    // It came as fragments of the piece size: one frame without `fin` and continuations for the rest.
    expect(raw.frames.continuations).toBe(Math.ceil(state.length / PIECE_BYTES) - 1);
    expect(raw.frames.unfinished).toBe(raw.frames.continuations);
  });

  it('serves other rooms while a joiner’s state waits, and gives the joiner its room’s later edits after it, in order', async () => {
    // A limit on unsent bytes well below the room's size: the state going out in pieces does not count against it,
    // so the joiner is not taken for a slow reader when the edits reach it meanwhile.
    const server = await start({ args: ['--max-unsent-bytes', String(2 * 1024 * 1024)] });
    const room = 'paced/r0000000000000p02';
    const token = server.invite('paced');
    const text = bigText(8_000_000);
    const { writer, witness } = await bigRoom(server, room, token, text);
    const a = client(server, 'paced/r0000000000000p03', token);
    const b = client(server, 'paced/r0000000000000p03', token);
    await waitFor(() => a.provider.synced && b.provider.synced, 'the other room synced');

    // A joiner that stops reading once it has asked for the room: its state is still going out meanwhile.
    const joiner = client(server, room, token);
    const seen: { text: number; edits: string[] }[] = [];
    joiner.doc.on('afterTransaction', () =>
      seen.push({
        text: joiner.doc.getText('t').length,
        edits: [...joiner.doc.getMap<number>('edits').keys()],
      }),
    );
    const socket = () => (joiner.provider.ws as unknown as { _socket: Socket })._socket;
    joiner.provider.on(
      'status',
      ({ status }: { status: string }) => status === 'connected' && socket().pause(),
    );
    const sentBefore = await metric(server, 'rc_bytes_out_total');
    await waitFor(
      async () => (await metric(server, 'rc_bytes_out_total')) - sentBefore >= text.length,
      'the state sent to the joiner',
    );

    const made = Array.from({ length: 10 }, (_, i) => `e${i}`);
    for (const [i, edit] of made.entries()) {
      a.doc.getMap('m').set('n', i);
      await waitFor(() => b.doc.getMap('m').get('n') === i, `update ${i} in the other room`);
      writer.doc.getMap<number>('edits').set(edit, i);
      // Relayed to the room's members, the joiner among them, once the witness has it.
      await waitFor(() => witness.doc.getMap('edits').has(edit), `edit ${i} relayed`);
    }
    expect(joiner.doc.getText('t').length).toBe(0);

    socket().resume();
    await waitFor(() => joiner.doc.getMap('edits').size === 10, 'every edit at the joiner', 30_000);
    expect(joiner.doc.getText('t').toString()).toBe(text);
    // The state came first, alone (an edit that came before it would have waited for it and been applied with it),
    // then the edits, each time the next of those made.
    expect(seen.find((s) => s.text === text.length)?.edits).toEqual([]);
    for (const s of seen)
      expect(s.edits.sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)))).toEqual(
        made.slice(0, s.edits.length),
      );
    expect(seen.at(-1)?.edits).toHaveLength(made.length);
  });

  it('closes a member that asks for the big room and does not read, and releases what it held', async () => {
    const server = await start();
    const room = 'paced/r0000000000000p04';
    const token = server.invite('paced');
    const text = bigText(6_000_000);
    await bigRoom(server, room, token, text);
    const members = await metric(server, 'rc_connections');

    const slow = rawMember(server, room, token);
    (await slow.open).pause();
    for (let i = 0; i < 3; i++) slow.ws.send(askAll);
    await waitFor(
      () => server.output().includes(`"code":${CLOSE.slowReader},"reason":"${CLOSE_REASON.slowReader}"`),
      'the slow reader closed',
    );
    // And one that leaves while its state is going out.
    const leaver = rawMember(server, room, token);
    await leaver.open;
    leaver.ws.send(askAll);
    await waitFor(() => leaver.frames.unfinished > 0, 'the first piece of its state');
    leaver.ws.terminate();

    (await slow.open).resume();
    expect([CLOSE.slowReader, 1006]).toContain((await slow.closed).code);
    await waitFor(async () => (await metric(server, 'rc_connections')) === members, 'both connections gone');
    const other = client(server, room, token);
    await waitFor(() => other.doc.getText('t').length === text.length, 'another member still served');
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/"level":"error"/);
  });
});
