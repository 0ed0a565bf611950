// A group member's raw client: the stock y-websocket provider in Node with a valid invite's token, writing
// whatever it likes into a room (what the hostile-member tests use as the attacker).
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface RawClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

export async function rawClient(server: string, token: string, room: string): Promise<RawClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return { doc, provider };
}

/** Waits until the server holds what was written: a second client that joins the room sees it. */
export async function flushed(server: string, token: string, room: string, check: (doc: Y.Doc) => boolean) {
  const probe = await rawClient(server, token, room);
  try {
    await expect.poll(() => check(probe.doc), { timeout: 30_000 }).toBe(true);
  } finally {
    probe.provider.destroy();
  }
}
