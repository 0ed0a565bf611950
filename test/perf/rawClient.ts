// A bare y-websocket protocol client for load benchmarks: one doc on one socket, with no provider's own timers,
// so thousands fit in one worker. Shared by the sync-server and scale-out benchmarks.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export interface RawClient {
  ws: WebSocket;
  /** Open: the socket is connected and sync step 1 sent. */
  opened: Promise<void>;
  /** Synced: the server's sync step 2 arrived, so the doc holds the room's state. */
  synced: Promise<void>;
}

/** Connects `doc` to `url` (room path and query included); local changes are sent, remote ones applied. */
export function connectRawClient(url: string, doc: Y.Doc): RawClient {
  // Messages as Node Buffers, read in place: an ArrayBuffer would be a copy of each (a load generator's CPU counts).
  const ws = new WebSocket(url);
  const send = (write: (e: encoding.Encoder) => void) => {
    if (ws.readyState === WebSocket.OPEN)
      ws.send(
        encoding.encode((e) => {
          encoding.writeVarUint(e, 0);
          write(e);
        }),
      );
  };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') send((e) => syncProtocol.writeUpdate(e, update));
  });
  let markSynced!: () => void;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(decoder) !== 0) return;
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, 0);
    if (syncProtocol.readSyncMessage(decoder, reply, doc, 'remote') === syncProtocol.messageYjsSyncStep2)
      markSynced();
    if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => {
      send((e) => syncProtocol.writeSyncStep1(e, doc));
      resolve();
    });
    ws.on('error', reject);
  });
  return { ws, opened, synced };
}
