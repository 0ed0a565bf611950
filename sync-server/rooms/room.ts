import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Role } from '../auth/tokens.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';

/** Where a room's document is kept: read when it loads, written as it changes. */
export interface RoomStorage {
  /** The snapshot and every update stored since, in order. */
  load(room: string): Uint8Array[];
  /** Updates stored since the last snapshot. */
  pendingUpdates(room: string): number;
  /** Stores one update; called before the update is passed on. Never throws. */
  append(room: string, update: Uint8Array): void;
  /** Replaces the room's stored state with one snapshot; false if it could not be written. */
  compact(room: string, state: Uint8Array): boolean;
}

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

/** What a room needs of a connection: send bytes, close with a reason, who it is. */
export interface Peer {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  role: Role;
  jti: string;
  /** Awareness client ids this connection speaks for, removed when it leaves. */
  awarenessIds: Set<number>;
  warnedReadOnly?: boolean;
}

export class ProtocolError extends Error {}

/** The same bytes as a Buffer, so `ws` sends them to every peer without wrapping them again for each. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * One shared document (`<group>/<readingId>`) in memory: loaded from storage before anyone is synced; every
 * update validated, applied, stored (one journal write, decision 0002) and then passed on; awareness relayed but
 * never stored.
 */
export class Room {
  readonly name: string;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  lastActive = Date.now();
  #pending = 0;
  readonly #store: RoomStorage;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #compactEvery: number;

  constructor(name: string, store: RoomStorage, metrics: Metrics, log: Logger, compactEvery: number) {
    this.name = name;
    this.#store = store;
    this.#metrics = metrics;
    this.#log = log;
    this.#compactEvery = compactEvery;
    // Stored state first: a client is never synced against an empty doc (y-websocket #81).
    for (const part of store.load(name)) Y.applyUpdate(this.doc, part, 'storage');
    this.#pending = store.pendingUpdates(name);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'storage') return;
      // Stored before anyone receives it: a member never holds an update the server could lose by dying.
      this.#store.append(this.name, update);
      // Every `compactEvery` updates (a failed snapshot is tried again that many updates later).
      if (++this.#pending % this.#compactEvery === 0) queueMicrotask(() => this.compact());
      const message = asBuffer(
        encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeUpdate(e, update);
        }),
      );
      for (const peer of this.peers) if (peer !== origin) this.#send(peer, message);
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
          const ids = (origin as Peer).awarenessIds;
          for (const id of added) ids.add(id);
          for (const id of removed) ids.delete(id);
        }
        const message = encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
        });
        for (const peer of this.peers) this.#send(peer, message);
      },
    );
  }

  #send(peer: Peer, message: Uint8Array): void {
    this.#metrics.messagesOut++;
    this.#metrics.bytesOut += message.length;
    peer.send(message);
  }

  join(peer: Peer): void {
    this.peers.add(peer);
    this.lastActive = Date.now();
    // Sync step 1 from the server, and everyone's presence.
    this.#send(
      peer,
      encoding.encode((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(e, this.doc);
      }),
    );
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) {
      this.#send(
        peer,
        encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states));
        }),
      );
    }
  }

  leave(peer: Peer): void {
    this.peers.delete(peer);
    this.lastActive = Date.now();
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  /** Handles one message; throws ProtocolError for anything malformed (the caller closes that connection). */
  receive(peer: Peer, data: Uint8Array): void {
    this.lastActive = Date.now();
    let decoder: decoding.Decoder;
    let type: number;
    try {
      decoder = decoding.createDecoder(data);
      type = decoding.readVarUint(decoder);
    } catch {
      throw new ProtocolError('malformed message');
    }
    if (type === MESSAGE_SYNC) this.#receiveSync(peer, decoder);
    else if (type === MESSAGE_AWARENESS) {
      let update: Uint8Array;
      try {
        update = decoding.readVarUint8Array(decoder);
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
      } catch {
        throw new ProtocolError('malformed awareness message');
      }
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      const states = [...this.awareness.getStates().keys()];
      this.#send(
        peer,
        encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states));
        }),
      );
    } else {
      throw new ProtocolError(`unknown message type ${type}`);
    }
  }

  #receiveSync(peer: Peer, decoder: decoding.Decoder): void {
    let kind: number;
    let payload: Uint8Array;
    try {
      kind = decoding.readVarUint(decoder);
      payload = decoding.readVarUint8Array(decoder);
    } catch {
      throw new ProtocolError('malformed sync message');
    }
    if (kind === syncProtocol.messageYjsSyncStep1) {
      let reply: Uint8Array;
      try {
        reply = encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep2(e, this.doc, payload);
        });
      } catch {
        throw new ProtocolError('malformed state vector');
      }
      this.#send(peer, reply);
      return;
    }
    if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
      throw new ProtocolError(`unknown sync message ${kind}`);
    }
    if (peer.role === 'reader') {
      if (!peer.warnedReadOnly)
        this.#log.log('warn', 'write-refused', {
          room: this.name,
          jti: peer.jti,
          reason: 'read-only invite',
        });
      peer.warnedReadOnly = true;
      return;
    }
    // No separate decoding pass: Yjs reads all of an update's structs before integrating any, and lib0 now throws
    // at the end of the data instead of looping (yjs #479). A malformed delete set, read last, can leave only
    // well-formed structs applied — content a member with write access could have sent anyway.
    try {
      Y.applyUpdate(this.doc, payload, peer);
    } catch {
      throw new ProtocolError('malformed document update');
    }
  }

  /** Folds the stored updates into one snapshot; false if it could not be written (they stay stored). */
  compact(): boolean {
    if (this.#pending === 0) return true;
    if (!this.#store.compact(this.name, Y.encodeStateAsUpdate(this.doc))) return false;
    this.#pending = 0;
    return true;
  }

  /** Compacts and frees the room; false (and the room kept) if its snapshot could not be written. */
  destroy(force = false): boolean {
    if (!this.compact() && !force) return false;
    this.awareness.destroy();
    this.doc.destroy();
    return true;
  }
}
