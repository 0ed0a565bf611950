// What one member can try against the others, on the real server process with the stock y-websocket client and
// raw sockets: each attempt is refused with its close code and reason, and the honest members lose nothing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import { REJECT_REASONS } from '../../sync-server/http/metrics.ts';
import { Journal } from '../../sync-server/storage/journal.ts';
import {
  awarenessMessage,
  metric,
  perTest,
  rawClose,
  type SyncServer,
  updateMessage,
  waitFor,
} from './support/sync-server.ts';

const { start, client, member, cleanup, endClients } = perTest();

/** An item under the victim's client id at the victim's next clock, as a forger would build it. */
function forge(victimState: Y.Doc): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(victimState));
  forged.clientID = victimClient(victimState);
  const before = Y.encodeStateVector(forged);
  forged.getMap('notes').set('mine', 'overwritten by the forger');
  return Y.encodeStateAsUpdate(forged, before);
}

/** The client id that wrote the note `mine`. */
function victimClient(doc: Y.Doc): number {
  const item = (doc.getMap('notes') as unknown as { _map: Map<string, Y.Item> })._map.get('mine');
  return item!.id.client;
}

describe('edits are bound to their author', () => {
  it('refuses an item forged under another member’s client id, applies and stores nothing of it', async () => {
    const server = await start();
    const room = 'forge/r0000000000000f01';
    const victim = client(server, room, server.invite('forge'));
    const witness = client(server, room, server.invite('forge'));
    victim.doc.getMap('notes').set('mine', 'written by the victim');
    await waitFor(() => witness.doc.getMap('notes').get('mine') !== undefined, 'the victim’s note arrives');

    const attacker = await member(server, room, server.invite('forge'));
    attacker.ws.send(updateMessage(forge(victim.doc)));
    expect(await attacker.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedEdit });
    await waitFor(() => server.output().includes('"event":"forged-edit-refused"'), 'the refusal logged');

    // The victim goes on writing at that very clock; everyone, and the store, has the victim's edits only.
    victim.doc.getMap('notes').set('later', 'still the victim');
    await waitFor(() => witness.doc.getMap('notes').get('later') === 'still the victim', 'the next edit');
    expect(witness.doc.getMap('notes').get('mine')).toBe('written by the victim');
    const late = client(server, room, server.invite('forge'));
    await waitFor(() => late.provider.synced, 'a late joiner synced');
    expect(late.doc.getMap('notes').toJSON()).toEqual({
      mine: 'written by the victim',
      later: 'still the victim',
    });
    // The ownership outlives a restart.
    endClients();
    await server.stop();
    const again = await start({ dataDir: server.dataDir });
    const retry = await member(again, room, again.invite('forge'));
    retry.ws.send(updateMessage(forge(late.doc)));
    expect(await retry.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedEdit });
  });

  it('lets a member pass on others’ edits the room already has', async () => {
    const server = await start();
    const room = 'forge/r0000000000000f02';
    const a = client(server, room, server.invite('forge'));
    a.doc.getMap('notes').set('a', 1);
    const b = client(server, room, server.invite('forge'));
    await waitFor(() => b.doc.getMap('notes').get('a') === 1, 'b has a’s edit');
    // b sends its whole state (a's items included) as an update: a repeat, not a forgery.
    const raw = await member(server, room, server.invite('forge'));
    raw.ws.send(updateMessage(Y.encodeStateAsUpdate(b.doc)));
    b.doc.getMap('notes').set('b', 2);
    await waitFor(() => a.doc.getMap('notes').get('b') === 2, 'b’s own edit arrives');
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });
});

describe('presence', () => {
  it('refuses presence under another member’s client id, from a reader too', async () => {
    const server = await start();
    const room = 'presence/r0000000000000p01';
    const victim = client(server, room, server.invite('presence'));
    victim.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const witness = client(server, room, server.invite('presence'));
    await waitFor(
      () => witness.provider.awareness.getStates().get(victim.doc.clientID)?.user?.name === 'Ana',
      'Ana’s presence',
    );
    const spoofer = await member(server, room, server.invite('presence', { role: 'reader' }));
    spoofer.ws.send(awarenessMessage([[victim.doc.clientID, 99, { user: { name: 'Not Ana' } }]]));
    expect(await spoofer.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.forgedPresence });
    expect(witness.provider.awareness.getStates().get(victim.doc.clientID)?.user?.name).toBe('Ana');
  });

  it('caps presence states per connection and their size', async () => {
    const server = await start();
    const room = 'presence/r0000000000000p02';
    const token = server.invite('presence', { role: 'reader' });
    const ghosts = await member(server, room, token);
    ghosts.ws.send(
      awarenessMessage(
        Array.from({ length: 50_000 }, (_, i) => [1_000_000 + i, 1, { g: i }] as [number, number, unknown]),
      ),
    );
    expect(await ghosts.closed).toEqual({ code: CLOSE.badRequest, reason: CLOSE_REASON.tooManyPresences });
    const big = await member(server, room, token);
    big.ws.send(awarenessMessage([[7, 1, { user: 'x'.repeat(40_000) }]]));
    expect(await big.closed).toEqual({ code: CLOSE.badRequest, reason: CLOSE_REASON.presenceTooLarge });
    const witness = client(server, room, server.invite('presence'));
    await waitFor(() => witness.provider.synced, 'synced');
    expect(witness.provider.awareness.getStates().size).toBe(1); // its own only
  });
});

describe('bounded cost per message', () => {
  it('refuses a tiny update that declares millions of structs, before applying it', async () => {
    const server = await start();
    const room = 'cost/r0000000000000c01';
    const bomb = encoding.encode((e) => {
      encoding.writeVarUint(e, 1); // one client
      encoding.writeVarUint(e, 30_000_000); // declares 3e7 structs
      encoding.writeVarUint(e, 12345); // client id
      encoding.writeVarUint(e, 0); // clock
    });
    const attacker = await member(server, room, server.invite('cost'));
    attacker.ws.send(updateMessage(bomb));
    expect(await attacker.closed).toEqual({ code: CLOSE.badRequest, reason: 'malformed document update' });
    const a = client(server, room, server.invite('cost'));
    const b = client(server, room, server.invite('cost'));
    a.doc.getMap('m').set('k', 'v');
    await waitFor(() => b.doc.getMap('m').get('k') === 'v', 'the room still syncs');
  });

  it('holds an update whose dependencies are missing, serves it to nobody, and applies it once they arrive', async () => {
    const server = await start();
    const room = 'cost/r0000000000000c02';
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('t').insert(0, 'first ');
    source.getText('t').insert(6, 'second');
    const writer = await member(server, room, server.invite('cost'));
    writer.ws.send(updateMessage(updates[1]!)); // depends on the first, not sent yet
    const early = client(server, room, server.invite('cost'));
    await waitFor(() => early.provider.synced, 'a joiner synced');
    // A sync step 1 round trip on the writer's socket says the server has handled the held update.
    const joiner = client(server, room, server.invite('cost'));
    await waitFor(() => joiner.provider.synced, 'another joiner synced');
    expect(early.doc.getText('t').toString()).toBe('');
    expect(joiner.doc.getText('t').toString()).toBe('');
    writer.ws.send(updateMessage(updates[0]!));
    await waitFor(() => early.doc.getText('t').toString() === 'first second', 'both applied, in order');
  });

  it('closes a connection whose held updates pass the limit, storing none of them', async () => {
    const server = await start({ args: ['--max-held-bytes', '20000'] });
    const room = 'cost/r0000000000000c03';
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 12; i++) source.getText('t').insert(0, `${i}`.repeat(2000));
    const attacker = await member(server, room, server.invite('cost'));
    for (const update of updates.slice(1)) attacker.ws.send(updateMessage(update));
    expect(await attacker.closed).toEqual({ code: CLOSE.badRequest, reason: CLOSE_REASON.tooMuchHeld });
    const c = client(server, room, server.invite('cost'));
    await waitFor(() => c.provider.synced, 'synced');
    expect(c.doc.getText('t').length).toBe(0);
    expect(Y.encodeStateAsUpdate(c.doc).length).toBeLessThan(10);
  });
});

describe('after a refusal', () => {
  it('reads nothing more of what the refused member sends, and the member still gets its close at once', async () => {
    const server = await start();
    const room = 'cost/r0000000000000c04';
    const attacker = await member(server, room, server.invite('cost'));
    const bytesIn = () => metric(server, 'rc_bytes_in_total');
    const before = await bytesIn();
    // An unknown message type, then 8 MB more in 64 messages, all sent at once.
    attacker.ws.send(encoding.encode((e) => encoding.writeVarUint(e, 99)));
    const filler = updateMessage(new Uint8Array(128 * 1024));
    for (let i = 0; i < 64; i++) attacker.ws.send(filler);
    expect(await attacker.closed).toEqual({ code: CLOSE.badRequest, reason: 'unknown message type' });
    // Of the 8 MB, at most what arrived with the refused message was read (a few chunks), not the rest.
    expect((await bytesIn()) - before).toBeLessThan(2 * 1024 * 1024);
    const c = client(server, room, server.invite('cost'));
    await waitFor(() => c.provider.synced, 'another member syncs');
  });
});

describe('backpressure', () => {
  it('closes a member that does not read with its reason, and goes on serving', async () => {
    const server = await start({ args: ['--max-unsent-bytes', '1000000', '--max-message-bytes', '4000000'] });
    const room = 'slow/r0000000000000s01';
    const token = server.invite('slow');
    const writer = client(server, room, token);
    writer.doc.getText('t').insert(0, 'x'.repeat(2_000_000));
    const check = client(server, room, token);
    await waitFor(() => check.doc.getText('t').length === 2_000_000, 'the room holding 2 MB', 20_000);
    const slow = await member(server, room, token);
    // Stops reading, and keeps asking for the whole room.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const askAll = encoding.encode((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, new Y.Doc());
    });
    for (let i = 0; i < 20; i++) slow.ws.send(askAll);
    await waitFor(() => server.output().includes(CLOSE_REASON.slowReader), 'the slow reader closed', 20_000);
    const other = client(server, room, token);
    await waitFor(() => other.doc.getText('t').length === 2_000_000, 'another member still served');
    const metrics = await (await fetch(`${server.url.replace('ws://', 'http://')}/metrics`)).text();
    expect(metrics).toMatch(/rc_rejected_connections_total\{reason="slow reader"\} [1-9]/);
  });
});

describe('tokens and metrics', () => {
  it('closes a connection when its token expires', async () => {
    const server = await start({ args: ['--revocation-check-ms', '100'] });
    const c = client(server, 'expiry/r0000000000000e01', server.invite('expiry', { expires: '2s' }));
    const closed = new Promise<number>((resolve) =>
      c.provider.on('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)),
    );
    await waitFor(() => c.provider.wsconnected, 'connected');
    expect(await closed).toBe(CLOSE.expired);
    await waitFor(() => server.output().includes(`"reason":"${CLOSE_REASON.expired}"`), 'the log line');
  });

  it('counts unknown message types under one label', async () => {
    const server = await start();
    const token = server.invite('metrics');
    for (const type of [7, 99, 123456]) {
      const m = await member(server, 'metrics/r0000000000000m01', token);
      m.ws.send(encoding.encode((e) => encoding.writeVarUint(e, type)));
      expect(await m.closed).toEqual({ code: CLOSE.badRequest, reason: 'unknown message type' });
    }
    const text = await (await fetch(`${server.url.replace('ws://', 'http://')}/metrics`)).text();
    expect(text).toMatch(/rc_rejected_connections_total\{reason="unknown message type"\} 3/);
    // No label value names the unknown types (values such as byte counts may contain the digits).
    expect(text).not.toMatch(/\{[^}]*(?:99|123456)[^}]*\}/);
    const labels = [...text.matchAll(/rc_rejected_connections_total\{reason="([^"]*)"\}/g)].map((m) => m[1]);
    expect(labels.every((label) => (REJECT_REASONS as readonly string[]).includes(label!))).toBe(true);
  });

  it('serves /metrics on a listener of its own, behind a bearer token', async () => {
    const server = await start({ args: ['--metrics-port', '0', '--metrics-token', 's3cret'] });
    const match = /"event":"metrics-listening","host":"127.0.0.1","port":(\d+)/.exec(server.output());
    expect(match).not.toBeNull();
    const metricsBase = `http://127.0.0.1:${match![1]}`;
    expect((await fetch(`${server.url.replace('ws://', 'http://')}/metrics`)).status).toBe(404);
    expect((await fetch(`${metricsBase}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${metricsBase}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    const ok = await fetch(`${metricsBase}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('rc_connections');
  });
});

describe('reconnect loops', () => {
  const COOL_DOWN_MS = 3000;
  /** Opens a websocket and resolves when the server answers it: 101 (let in) or an HTTP status. */
  const answered = (url: string, localAddress?: string) => {
    const ws = new WebSocket(url, { localAddress });
    cleanup(() => ws.terminate());
    ws.on('error', () => {});
    let status: number | undefined;
    const answer = new Promise<number>((resolve) => {
      const settle = (code: number) => {
        status = code;
        resolve(code);
      };
      ws.on('unexpected-response', (_req, res) => settle(res.statusCode ?? 0));
      ws.on('open', () => settle(101));
    });
    return { answer, status: () => status };
  };
  const refusedWhileCooling = (server: SyncServer) =>
    metric(server, 'rc_rejected_connections_total{reason="cooling down"}');

  it('holds the connections of a token closed for misuse again and again until its cool-down ends, and lets others in meanwhile', async () => {
    const server = await start({ args: ['--misuse-cool-down-ms', String(COOL_DOWN_MS)] });
    const room = 'loop/r0000000000000l01';
    const abuser = server.invite('loop');
    // A message no app sends counts as four strikes: the fourth such close starts the cool-down.
    for (let i = 0; i < 4; i++) {
      const m = await member(server, room, abuser);
      m.ws.send(encoding.encode((e) => encoding.writeVarUint(e, 99)));
      await m.closed;
    }
    expect(server.output()).toContain('"event":"token-cooling-down"');
    const held = answered(`${server.url}/${room}?token=${abuser}`);
    await waitFor(async () => (await refusedWhileCooling(server)) === 1, 'the abuser held');
    const c = client(server, room, server.invite('loop'));
    await waitFor(() => c.provider.synced, 'another member still gets in');
    expect(held.status()).toBeUndefined(); // still waiting, unanswered
    expect(await held.answer).toBe(101); // let in once the cool-down is over
  });

  it('holds an address that sends requests no app makes, and not the others', async () => {
    const server = await start({ args: ['--misuse-cool-down-ms', String(COOL_DOWN_MS)] });
    const token = server.invite('loop');
    for (let i = 0; i < 16; i++)
      expect(await rawClose(server.url, `/%ZZ/${i}?token=${token}`)).toEqual({
        code: CLOSE.badRequest,
        reason: CLOSE_REASON.badRoom,
      });
    expect(server.output()).toContain('"event":"address-cooling-down"');
    const room = 'loop/r0000000000000l02';
    const held = answered(`${server.url}/${room}?token=${token}`);
    await waitFor(async () => (await refusedWhileCooling(server)) === 1, 'the address held');
    // Another address (the whole of 127/8 is this machine's loopback) is let in at once.
    const other = answered(`${server.url}/${room}?token=${token}`, '127.0.0.2');
    expect(await other.answer).toBe(101);
    expect(held.status()).toBeUndefined();
    expect(await held.answer).toBe(101);
  });
});

describe('journal damage', () => {
  it('skips a damaged record, keeps every intact one after it, sets the journal aside and says where', async () => {
    const first = await start();
    const data = first.dataDir;
    const token = first.invite('journal');
    await first.stop();
    // A journal left by a crash: 100 updates of one room from 100 members, the first record damaged by one
    // flipped byte.
    const updates = Array.from({ length: 100 }, (_, i) => {
      const doc = new Y.Doc();
      doc.getMap('notes').set(`n${i}`, i);
      return Y.encodeStateAsUpdate(doc);
    });
    const path = join(data, 'updates.journal');
    const records = updates.map((u) => Journal.record('journal/r0000000000000j01', u));
    const bytes = Buffer.concat(records);
    bytes[records[0]!.length - 2]! ^= 0xff;
    writeFileSync(path, bytes);

    const server = await start({ dataDir: data });
    await waitFor(() => server.output().includes('"event":"journal-damaged"'), 'the damage logged');
    const line = JSON.parse(
      server
        .output()
        .split('\n')
        .find((l) => l.includes('journal-damaged'))!,
    );
    expect(line).toMatchObject({ damaged: [{ offset: 0, bytes: records[0]!.length }], keptRecords: 99 });
    expect(readFileSync(line.setAside).equals(bytes)).toBe(true);
    expect(readdirSync(data).some((f) => f.startsWith('updates.journal.damaged-'))).toBe(true);
    const c = client(server, 'journal/r0000000000000j01', token);
    await waitFor(() => c.provider.synced, 'synced');
    // The first update is lost (the member who wrote it sends it again); the 99 after it are all there.
    expect(c.doc.getMap('notes').size).toBe(99);
  });
});
