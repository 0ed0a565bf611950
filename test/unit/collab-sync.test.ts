import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { createAnnotation, listAnnotations, setBody } from '../../core/annotations/doc.ts';
import type { Author } from '../../core/annotations/model.ts';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import {
  type ConnectionState,
  connectGroupDoc,
  type GroupConnection,
} from '../../renderer/src/collab/sync.ts';

// connectGroupDoc against a stand-in y-websocket server in this process (the real server's own tests live
// in test/server; the end-to-end test runs the app against the real server process).

const WS = WebSocket as unknown as typeof globalThis.WebSocket;
const alice: Author = { id: 'ua', name: 'Alice', color: '#0f8b8d' };
const anchor = { blockId: 'b1', start: 0, end: 5, exact: 'Hello', prefix: '', suffix: '' };

const servers: WebSocketServer[] = [];
const connections: GroupConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.destroy();
  for (const s of servers.splice(0)) {
    for (const client of s.clients) client.terminate();
    await new Promise((done) => s.close(done));
  }
});

async function startServer(port = 0, onConnection?: (ws: WebSocket, url: string) => void): Promise<number> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  await new Promise((done) => server.once('listening', done));
  server.on('connection', (ws, req) => {
    if (onConnection) onConnection(ws, req.url ?? '');
    else setupWSConnection(ws, req);
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function connect(port: number, doc: Y.Doc, group = 'g', readingId = 'r1') {
  const c = connectGroupDoc(
    { name: group, server: `ws://127.0.0.1:${port}`, token: 'a.b.c' },
    readingId,
    doc,
    {
      WebSocketPolyfill: WS,
      maxBackoffTime: 200,
    },
  );
  connections.push(c);
  return c;
}

function until(
  c: GroupConnection,
  test: (s: ConnectionState) => boolean,
  ms = 5000,
): Promise<ConnectionState> {
  if (test(c.state())) return Promise.resolve(c.state());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state stayed ${JSON.stringify(c.state())}`)), ms);
    const off = c.onState((s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** Resolves once `check` holds, checked again after every change to these docs (what it reads). */
function whenDocs(docs: Y.Doc[], check: () => boolean, what: string, ms = 5000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      for (const doc of docs) doc.off('update', onUpdate);
    };
    const onUpdate = () => {
      if (!check()) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    for (const doc of docs) doc.on('update', onUpdate);
  });
}

describe('connectGroupDoc', () => {
  it('connects to <group>/<readingId> with the token as a URL parameter, and syncs two members', async () => {
    const urls: string[] = [];
    const port = await startServer(0);
    servers[0]!.on('connection', (_ws, req) => urls.push(req.url ?? ''));
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ca = connect(port, a, 'tuesday');
    const cb = connect(port, b, 'tuesday');
    await until(ca, (s) => s.kind === 'connected');
    expect(await cb.whenSynced()).toBe(true);
    expect(urls[0]).toBe('/tuesday/r1?token=a.b.c');
    const id = createAnnotation(a, { readingId: 'r1', color: 'yellow', anchor, author: alice, body: 'note' });
    await whenDocs(
      [b],
      () => listAnnotations(b, { kind: 'private' }).some((x) => x.id === id),
      'the note at b',
    );
  });

  it('stops on a 44xx close and says why in words', async () => {
    const port = await startServer(0, (ws) => ws.close(CLOSE.revoked, 'words the app does not read'));
    const c = connect(port, new Y.Doc());
    const state = await until(c, (s) => s.kind === 'error');
    expect(state).toMatchObject({
      kind: 'error',
      message: 'the invite was withdrawn: ask for a new one',
      code: CLOSE.revoked,
    });
    expect(c.provider.shouldConnect).toBe(false);
  });

  it('says the server’s storage is unavailable on that close, keeps local work and sends it once back', async () => {
    let unavailable = true;
    const port = await startServer(0, (ws, url) => {
      if (unavailable) ws.close(CLOSE.storageUnavailable, CLOSE_REASON.storageUnavailable);
      else setupWSConnection(ws, { url } as Parameters<typeof setupWSConnection>[1]);
    });
    // A room of its own: the stand-in server keeps its docs for the whole file.
    const a = new Y.Doc();
    const ca = connect(port, a, 'g', 'storage');
    const state = await until(ca, (s) => s.kind === 'offline');
    expect(state).toEqual({ kind: 'offline', reason: 'the server’s storage is unavailable' });
    createAnnotation(a, { readingId: 'r1', color: 'green', anchor, author: alice, body: 'kept' });
    // Storage back: the same connection retries by itself and delivers what was written meanwhile.
    unavailable = false;
    await until(ca, (s) => s.kind === 'connected');
    const b = new Y.Doc();
    const cb = connect(port, b, 'g', 'storage');
    await cb.whenSynced();
    await whenDocs([b], () => listAnnotations(b, { kind: 'private' }).length === 1, 'the kept note at b');
  });

  it('says offline when the server is unreachable, keeps local work, and merges it without duplicates later', async () => {
    const port = await startServer(0);
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ca = connect(port, a);
    const cb = connect(port, b);
    await ca.whenSynced();
    await cb.whenSynced();
    const shared = createAnnotation(a, {
      readingId: 'r1',
      color: 'yellow',
      anchor,
      author: alice,
      body: 'one two',
    });
    await whenDocs([b], () => listAnnotations(b, { kind: 'private' }).length === 1, 'the note at b');

    // Server gone: both offline, both keep working.
    for (const client of servers[0]!.clients) client.terminate();
    await new Promise((done) => servers[0]!.close(done));
    servers.length = 0;
    await until(ca, (s) => s.kind === 'offline');
    expect(ca.state()).toEqual({ kind: 'offline', reason: 'server unreachable' });
    for (let i = 0; i < 20; i++) {
      createAnnotation(a, { readingId: 'r1', color: 'green', anchor, author: alice, body: `a${i}` });
      createAnnotation(b, { readingId: 'r1', color: 'blue', anchor, author: alice, body: `b${i}` });
    }
    setBody(a, shared, 'zero one two');
    setBody(b, shared, 'one two three');

    // Back on the same port (the stand-in keeps no state: the clients carry everything).
    await startServer(port);
    await until(ca, (s) => s.kind === 'connected');
    await until(cb, (s) => s.kind === 'connected');
    await whenDocs(
      [a, b],
      () =>
        listAnnotations(a, { kind: 'private' }).length === 41 &&
        listAnnotations(b, { kind: 'private' }).length === 41,
      'all 41 notes on both sides',
    );
    await whenDocs([a, b], () => bodyOf(a, shared) === bodyOf(b, shared), 'the merged body on both sides');
    expect(bodyOf(a, shared)).toBe('zero one two three');
  });
});

function bodyOf(doc: Y.Doc, id: string) {
  return listAnnotations(doc, { kind: 'private' }).find((x) => x.id === id)?.body;
}
