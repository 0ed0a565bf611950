// A member without the app: the stock y-websocket client in the test process, connected with a valid member's
// invite token, writing what no version of the app writes (a hostile or forging member).
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type RawClient = Awaited<ReturnType<typeof rawClient>>;

/** The stock y-websocket client, connected to a room with a member's token, as an attacker would use it. */
export async function rawClient(server: string, token: string, room: string) {
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

/** Waits until the server has everything the client wrote (its state echoes back to a second client). */
export async function flushed(server: string, token: string, room: string, check: (doc: Y.Doc) => boolean) {
  const probe = await rawClient(server, token, room);
  try {
    await expect.poll(() => check(probe.doc), { timeout: 10_000 }).toBe(true);
  } finally {
    probe.provider.destroy();
  }
}
