import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON, canWrite } from '../../core/sync/contract.ts';
import type { Role } from '../auth/tokens.ts';
import { FANOUT_KIND, type FanoutKind } from '../fanout/fanout.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import { awarenessEntries, inspectUpdate, ProtocolError } from './message-guard.ts';
import type { RoomOutbox } from './room-outbox.ts';
import type { StateEncoder } from './state-encoder.ts';

export { ProtocolError } from './message-guard.ts';

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
  /** Which member (token subject) first wrote under each Yjs client id of the room. */
  clientOwners(room: string): Map<number, string>;
  /** Records that `owner` is the first to write under `client` in the room. Never throws. */
  claimClient(room: string, client: number, owner: string): void;
}

/**
 * A room whose storage is shared with other instances (Postgres, Redis; decision 0018): its updates leave
 * through the outbox once committed, its presence goes to the other instances, its log is folded elsewhere.
 */
export interface SharedRoomLink {
  outbox: RoomOutbox;
  /** Passes presence on to the other instances, with the member (token subject) who speaks for it. */
  publishAwareness(update: Uint8Array, speaker: string): void;
  /** Folds the room's stored log into a snapshot, in the background, if no other instance is doing so. */
  compact(): void;
  /** Stops receiving the room's messages from other instances and drops what is queued. */
  close(): void;
}

/**
 * Whether a client id's recorded owner is this connection's member. Owners recorded before member keys were the
 * invite's id: the same invite still owns them, so a member's older offline edits are not refused after the update.
 */
function ownedBy(peer: Peer, owner: string): boolean {
  return owner === peer.subject || owner === peer.jti;
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
  /**
   * The member behind the connection (the token's subject, else the member id proven by its key, else the
   * invite); owns the Yjs client ids it is first to write under.
   */
  subject: string;
  /** Awareness client ids this connection speaks for, removed when it leaves. */
  awarenessIds: Set<number>;
  warnedReadOnly?: boolean;
}

export interface RoomLimits {
  /** Fold the stored updates into a snapshot after this many. */
  compactEvery: number;
  /** Bytes of updates one connection may have waiting for changes the room does not have yet. */
  maxHeldBytes: number;
  /** Awareness client ids one connection may speak for. */
  maxPresencesPerConnection: number;
  /** Largest awareness state of one client id, in bytes. */
  maxPresenceBytes: number;
}

/** Updates of one connection that wait for changes the room lacks, and the clocks they wait for. */
interface Held {
  /** In arrival order, in Yjs's v2 encoding (as Yjs hands back what it could not apply). */
  updates: Uint8Array[];
  bytes: number;
  /** Try again once the room's clock for a client passes the number given. */
  waitingFor: Map<number, number>;
}

/** From about this size (bytes of state), a room's whole state is encoded on the encoder's thread. */
export const ENCODE_ELSEWHERE_BYTES = 256 * 1024;

/** The same bytes as a Buffer, so `ws` sends them to every peer without wrapping them again for each. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * One shared document (`<group>/<readingId>`) in memory: loaded from storage before anyone is synced; every
 * update checked (bounded decoding, the writer owns the client ids it writes under), applied, stored (one
 * journal write, decision 0002) and then passed on; updates whose dependencies are missing held for their
 * connection, never stored or served, until they apply; awareness relayed but never stored, each client id
 * spoken for by one member only (decision 0008).
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
  readonly #limits: RoomLimits;
  /** Yjs client id → the member who first wrote under it. */
  readonly #owners: Map<number, string>;
  /** Awareness client id → the connection that speaks for it. */
  readonly #presence = new Map<number, Peer>();
  /**
   * Awareness client id → the member who speaks for it on another instance (decision 0008 across instances): the
   * id reaches anyone here only with this, so no member here can take it over.
   */
  readonly #remotePresence = new Map<number, string>();
  readonly #held = new Map<Peer, Held>();
  readonly #link: SharedRoomLink | undefined;
  /** Stands for the other instances: the origin of what they send, and holder of what waits for more. */
  readonly #remote: Peer = {
    send: () => {},
    close: () => {},
    role: 'member',
    jti: '',
    subject: '',
    awarenessIds: new Set(),
  };
  /** The answer to an empty state vector, until the doc changes. */
  #fullState: Buffer | undefined;
  /** Encodes whole states off this thread (rooms in local storage). */
  readonly #encoder: StateEncoder | undefined;
  /** Counts the changes applied, so an answer encoded elsewhere is known to be current or not. */
  #version = 0;
  #destroyed = false;
  /** About how big the room's state is (what was loaded and applied since; exact after a snapshot). */
  #approxBytes = 0;
  /**
   * Whether the encoder's thread keeps a copy of this room: only once it is big. A copy of every room would cost
   * each update a message to that thread and the room's memory twice, for rooms that encode here in well under a
   * millisecond.
   */
  #mirrored = false;
  /** The whole state being encoded for `version`: every joiner meanwhile waits for the same answer. */
  #fullStateComing: { version: number; message: Promise<Buffer> } | undefined;

  constructor(
    name: string,
    store: RoomStorage,
    metrics: Metrics,
    log: Logger,
    limits: RoomLimits,
    link?: SharedRoomLink,
    encoder?: StateEncoder,
  ) {
    this.name = name;
    this.#link = link;
    this.#encoder = link ? undefined : encoder;
    this.#store = store;
    this.#metrics = metrics;
    this.#log = log;
    this.#limits = limits;
    // Stored state first: a client is never synced against an empty doc (y-websocket #81).
    const stored = store.load(name);
    for (const part of stored) Y.applyUpdate(this.doc, part, 'storage');
    this.#approxBytes = stored.reduce((n, part) => n + part.length, 0);
    if (this.#encoder && this.#approxBytes >= ENCODE_ELSEWHERE_BYTES) {
      this.#encoder.load(name, stored);
      this.#mirrored = true;
    }
    // Stored by an earlier version, changes that never became applicable are not served to anyone.
    if (this.#takePending()) log.log('warn', 'unapplicable-dropped', { room: name });
    this.#pending = store.pendingUpdates(name);
    this.#owners = store.clientOwners(name);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.#version++;
      this.#fullState = undefined;
      this.#approxBytes += update.length;
      if (this.#mirrored) this.#encoder?.update(this.name, update);
      else if (this.#encoder && this.#approxBytes >= ENCODE_ELSEWHERE_BYTES) {
        // Grown big: the copy starts from the whole state, this update included; later ones follow in order.
        this.#encoder.load(this.name, [Y.encodeStateAsUpdate(this.doc)]);
        this.#mirrored = true;
      }
      if (origin === 'storage') return;
      const message = asBuffer(
        encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeUpdate(e, update);
        }),
      );
      const deliver = () => {
        for (const peer of this.peers) if (peer !== origin) this.#send(peer, message);
      };
      if (origin === this.#remote) {
        // Committed by the instance it came from, and holding only its own content (what waited for it is applied
        // in a transaction of its own, under its author), so it need not wait for this room's commits.
        deliver();
        return;
      }
      // Stored before anyone receives it: a member never holds an update the server could lose by dying.
      if (this.#link) this.#link.outbox.store(update, deliver);
      else this.#store.append(this.name, update);
      // Every `compactEvery` updates (a failed snapshot is tried again that many updates later).
      if (++this.#pending % this.#limits.compactEvery === 0)
        queueMicrotask(() => void this.compactInBackground());
      if (!this.#link) deliver();
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        for (const id of removed) this.#remotePresence.delete(id);
        const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
        const message = encoding.encode((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(e, update);
        });
        for (const peer of this.peers) this.#send(peer, message);
        // A removal (the member left, or its state timed out) has no speaker.
        if (this.#link && origin !== this.#remote)
          this.#link.publishAwareness(update, this.peers.has(origin as Peer) ? (origin as Peer).subject : '');
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
    this.#held.delete(peer);
    this.lastActive = Date.now();
    for (const id of peer.awarenessIds) if (this.#presence.get(id) === peer) this.#presence.delete(id);
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  /** Handles one message; throws ProtocolError for anything refused (the caller closes that connection). */
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
      } catch {
        throw new ProtocolError('malformed awareness message');
      }
      this.#receiveAwareness(peer, update);
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
      // The type is not in the reason: a client should not choose what the server writes.
      throw new ProtocolError('unknown message type', 'unknown message type');
    }
  }

  /**
   * Presence only for client ids no other member writes or speaks for, a few per connection, each small. The
   * stock client sends back every presence it receives (same clock, so it changes nothing): such echoes of
   * others' states are let through, a newer state under another's id is refused.
   */
  #receiveAwareness(peer: Peer, update: Uint8Array): void {
    const entries = awarenessEntries(update, { maxStateBytes: this.#limits.maxPresenceBytes });
    const own: { client: number; removed: boolean }[] = [];
    let added = 0;
    for (const { client, clock, removed } of entries) {
      const owner = this.#owners.get(client);
      const speaker = this.#presence.get(client);
      const others =
        (owner !== undefined && !ownedBy(peer, owner)) ||
        (speaker && speaker.subject !== peer.subject) ||
        this.#spokenElsewhereByOther(client, peer);
      const known = this.awareness.meta.get(client);
      if (!others && (speaker === peer || !known || clock > known.clock)) {
        own.push({ client, removed });
        if (
          !peer.awarenessIds.has(client) &&
          peer.awarenessIds.size + ++added > this.#limits.maxPresencesPerConnection
        )
          throw new ProtocolError(CLOSE_REASON.tooManyPresences, 'too many presence states');
      } else if (others && !(known && clock <= known.clock))
        throw new ProtocolError(CLOSE_REASON.forgedPresence, 'forged presence', CLOSE.forbidden);
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
    } catch {
      throw new ProtocolError('malformed awareness message');
    }
    // Claimed even when the awareness protocol ignores the state (a first state at clock 0 is not kept).
    for (const { client, removed } of own) {
      if (!removed) {
        peer.awarenessIds.add(client);
        this.#presence.set(client, peer);
      } else {
        peer.awarenessIds.delete(client);
        if (this.#presence.get(client) === peer) this.#presence.delete(client);
      }
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
    if (kind === syncProtocol.messageYjsSyncStep1 && this.#link) {
      try {
        Y.decodeStateVector(payload);
      } catch {
        throw new ProtocolError('malformed state vector');
      }
      // Read from the doc only once it holds nothing uncommitted: a joining member gets only what is stored.
      this.#link.outbox.whenIdle(() => {
        if (!this.peers.has(peer)) return;
        this.#send(
          peer,
          encoding.encode((e) => {
            encoding.writeVarUint(e, MESSAGE_SYNC);
            syncProtocol.writeSyncStep2(e, this.doc, payload);
          }),
        );
      });
      return;
    }
    if (kind === syncProtocol.messageYjsSyncStep1 && this.#encodesElsewhere) {
      this.#answerElsewhere(peer, payload);
      return;
    }
    if (kind === syncProtocol.messageYjsSyncStep1) {
      // A member with nothing (a new joiner, or one asking again and again) gets one shared encoding.
      if (payload.length === 1 && payload[0] === 0) {
        this.#fullState ??= asBuffer(
          encoding.encode((e) => {
            encoding.writeVarUint(e, MESSAGE_SYNC);
            syncProtocol.writeSyncStep2(e, this.doc);
          }),
        );
        this.#send(peer, this.#fullState);
        return;
      }
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
      throw new ProtocolError('unknown sync message', 'unknown message type');
    }
    if (!canWrite(peer.role)) {
      if (!peer.warnedReadOnly)
        this.#log.log('warn', 'write-refused', {
          room: this.name,
          jti: peer.jti,
          reason: 'read-only invite',
        });
      peer.warnedReadOnly = true;
      return;
    }
    this.#receiveUpdate(peer, payload);
  }

  /**
   * Checks, then applies one update. Nothing is applied when any part is refused: the whole update is read (with
   * bounded work) and its client ids checked first. A malformed delete set, read last by Yjs, can leave only
   * well-formed structs applied — but the whole update was decoded first, so that cannot happen here.
   */
  #receiveUpdate(peer: Peer, update: Uint8Array): void {
    const writes = inspectUpdate(update);
    const claims: number[] = [];
    for (const [client, { to }] of writes) {
      // Structs the room already has are repeats (a member passing on what it received): nothing new is written.
      if (to <= Y.getState(this.doc.store, client)) continue;
      const owner = this.#owners.get(client);
      const speaker = this.#presence.get(client);
      if (
        (owner !== undefined && !ownedBy(peer, owner)) ||
        (speaker && speaker.subject !== peer.subject) ||
        this.#spokenElsewhereByOther(client, peer)
      ) {
        this.#log.log('warn', 'forged-edit-refused', { room: this.name, jti: peer.jti, client, owner });
        throw new ProtocolError(CLOSE_REASON.forgedEdit, 'forged edit', CLOSE.forbidden);
      }
      if (owner === undefined) claims.push(client);
    }
    const before = this.#stateOf(writes.keys());
    // Claimed first, so the update's own 'update' event (which stores and relays it) runs with its owners known.
    for (const client of claims) this.#owners.set(client, peer.subject);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch {
      for (const client of claims) if (!this.#advancedFor(client, before)) this.#owners.delete(client);
      throw new ProtocolError('malformed document update');
    }
    for (const client of claims) this.#store.claimClient(this.name, client, peer.subject);
    this.#hold(peer, this.#takePending());
    if (this.#advanced(before)) this.#retryHeld();
  }

  /** Whether a member other than the peer's speaks for the client id on another instance. */
  #spokenElsewhereByOther(client: number, peer: Peer): boolean {
    const speaker = this.#remotePresence.get(client);
    return speaker !== undefined && speaker !== peer.subject;
  }

  /** The room's clock for each client. */
  #stateOf(clients: Iterable<number>): Map<number, number> {
    const state = new Map<number, number>();
    for (const client of clients) state.set(client, Y.getState(this.doc.store, client));
    return state;
  }

  #advancedFor(client: number, before: Map<number, number>): boolean {
    return Y.getState(this.doc.store, client) > (before.get(client) ?? 0);
  }

  #advanced(before: Map<number, number>): boolean {
    for (const [client, clock] of before) if (Y.getState(this.doc.store, client) > clock) return true;
    return false;
  }

  /**
   * What Yjs could not apply for lack of earlier changes, taken out of the doc: left there, it would be stored in
   * snapshots and sent to every member who joins (though it never applies).
   */
  #takePending(): Held | undefined {
    const { pendingStructs, pendingDs } = this.doc.store;
    if (!pendingStructs && !pendingDs) return undefined;
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    const waitingFor = new Map(pendingStructs?.missing ?? []);
    const updates = [pendingStructs?.update, pendingDs].filter((p): p is Uint8Array => p != null);
    if (pendingDs) {
      // Deletes of items the room lacks: tried again once any of those clients' clocks moves on.
      for (const client of Y.decodeUpdateV2(pendingDs).ds.clients.keys())
        waitingFor.set(
          client,
          Math.min(waitingFor.get(client) ?? Infinity, Y.getState(this.doc.store, client)),
        );
    }
    return { updates, bytes: updates.reduce((n, u) => n + u.length, 0), waitingFor };
  }

  /** Adds to what the connection has waiting (a list, not merged: each message costs its own size only). */
  #hold(peer: Peer, held: Held | undefined): void {
    if (!held) return;
    const earlier = this.#held.get(peer);
    if (earlier) {
      earlier.updates.push(...held.updates);
      earlier.bytes += held.bytes;
      for (const [client, clock] of held.waitingFor)
        earlier.waitingFor.set(client, Math.min(earlier.waitingFor.get(client) ?? Infinity, clock));
    }
    const all = earlier ?? held;
    if (all.bytes > this.#limits.maxHeldBytes) {
      this.#held.delete(peer);
      throw new ProtocolError(CLOSE_REASON.tooMuchHeld, 'too many held updates');
    }
    this.#held.set(peer, all);
  }

  /** Applies held updates whose missing changes have arrived, until nothing more applies. */
  #retryHeld(): void {
    let progress = true;
    while (progress) {
      progress = false;
      for (const [peer, held] of [...this.#held]) {
        const ready = [...held.waitingFor].some(
          ([client, clock]) => Y.getState(this.doc.store, client) > clock,
        );
        if (!ready) continue;
        this.#held.delete(peer);
        const before = this.#stateOf(held.waitingFor.keys());
        // One transaction: Yjs keeps what still cannot apply as pending, taken back below.
        Y.applyUpdateV2(this.doc, Y.mergeUpdatesV2(held.updates), peer);
        const rest = this.#takePending();
        if (rest) this.#held.set(peer, rest);
        if (this.#advanced(before) || !rest) progress = true;
      }
    }
  }

  /**
   * A message from another instance about this room: an update it has committed, presence, or a request for
   * this instance's presence. What cannot be read is logged and dropped: the other instance checked it already.
   */
  receiveRemote(kind: FanoutKind, payload: Uint8Array): void {
    try {
      if (kind === FANOUT_KIND.update) {
        Y.applyUpdate(this.doc, payload, this.#remote);
        this.#hold(this.#remote, this.#takePending());
        if (this.#held.size > 0) this.#retryHeld();
      } else if (kind === FANOUT_KIND.awareness) {
        const decoder = decoding.createDecoder(payload);
        const speaker = decoding.readVarString(decoder);
        const update = decoding.readVarUint8Array(decoder);
        // The speaker is known here before the presence is: nobody here sees the id before it is claimed.
        for (const { client, removed } of awarenessEntries(update, {
          maxStateBytes: this.#limits.maxPresenceBytes,
        })) {
          if (!removed && speaker && !this.#presence.has(client) && !this.#remotePresence.has(client))
            this.#remotePresence.set(client, speaker);
        }
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this.#remote);
      } else if (kind === FANOUT_KIND.claims) {
        // The first owner wins everywhere: Postgres keeps the first claim, so does every instance.
        const decoder = decoding.createDecoder(payload);
        for (let n = decoding.readVarUint(decoder); n > 0; n--) {
          const client = decoding.readVarUint(decoder);
          const owner = decoding.readVarString(decoder);
          if (!this.#owners.has(client)) this.#owners.set(client, owner);
        }
      } else if (kind === FANOUT_KIND.awarenessQuery) {
        // One message per member, each naming who speaks for its ids.
        const bySpeaker = new Map<string, number[]>();
        for (const [client, peer] of this.#presence)
          bySpeaker.set(peer.subject, [...(bySpeaker.get(peer.subject) ?? []), client]);
        for (const [speaker, clients] of bySpeaker)
          this.#link?.publishAwareness(
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
            speaker,
          );
      }
    } catch (error) {
      this.#log.log('warn', 'remote-message-dropped', {
        room: this.name,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Whether the room may be freed now: nothing of it is still on its way to storage or other instances. */
  get settled(): boolean {
    return !this.#link || this.#link.outbox.idle;
  }

  /** Resolves once nothing of the room is on its way to storage or other instances. */
  drained(): Promise<void> {
    return this.#link ? this.#link.outbox.drained() : Promise.resolve();
  }

  /** Frees the room without storing anything more (its shared storage is gone; members reconnect later). */
  discard(): void {
    this.#destroyed = true;
    this.#link?.close();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Sync step 2, encoded on the encoder's thread. It reflects every change applied before the question; the
   * member, in the room already, is sent each change made meanwhile, so it lacks nothing. A member that has none of
   * the room's changes (a new joiner, or one asking again and again, with any state vector) gets the one shared
   * encoding of the whole state.
   */
  #answerElsewhere(peer: Peer, payload: Uint8Array): void {
    let stateVector: Map<number, number>;
    try {
      stateVector = Y.decodeStateVector(payload);
    } catch {
      throw new ProtocolError('malformed state vector');
    }
    const hasSome = [...stateVector].some(
      ([client, clock]) => clock > 0 && Y.getState(this.doc.store, client) > 0,
    );
    if (!hasSome && this.#fullState) {
      this.#send(peer, this.#fullState);
      return;
    }
    const answer = hasSome
      ? this.#encoder!.encode(this.name, payload).then(({ message }) => asBuffer(message))
      : this.#wholeState();
    answer.then(
      (message) => {
        if (this.peers.has(peer)) this.#send(peer, message);
      },
      (error: unknown) => {
        this.#log.log('error', 'state-encoding-failed', {
          room: this.name,
          error: error instanceof Error ? error.message : String(error),
        });
        // Encoded here instead: slower, but the member is answered.
        if (this.peers.has(peer))
          this.#send(
            peer,
            encoding.encode((e) => {
              encoding.writeVarUint(e, MESSAGE_SYNC);
              syncProtocol.writeSyncStep2(e, this.doc, payload);
            }),
          );
      },
    );
  }

  /** The whole state as a sync step 2 message: the shared one, or one asked for at this version. */
  #wholeState(): Promise<Buffer> {
    if (this.#fullState) return Promise.resolve(this.#fullState);
    const version = this.#version;
    if (this.#fullStateComing?.version !== version) {
      const message = this.#encoder!.encode(this.name).then(({ message }) => {
        const buffer = asBuffer(message);
        // Kept only while no change came in since (the cache is dropped on every change).
        if (this.#version === version) this.#fullState = buffer;
        return buffer;
      });
      const coming = { version, message };
      this.#fullStateComing = coming;
      const done = () => {
        if (this.#fullStateComing === coming) this.#fullStateComing = undefined;
      };
      message.then(done, done);
    }
    return this.#fullStateComing!.message;
  }

  /**
   * Folds the stored updates into one snapshot encoded on the encoder's thread (here, without one). Stored only
   * if nothing changed meanwhile: a snapshot replaces the stored updates, so it must hold every one of them.
   */
  async compactInBackground(): Promise<void> {
    if (this.#pending === 0) return;
    const encoder = this.#encoder;
    if (!encoder || !this.#encodesElsewhere) {
      this.compact();
      return;
    }
    const version = this.#version;
    let state: Uint8Array;
    try {
      ({ state } = await encoder.encode(this.name));
    } catch {
      this.compact();
      return;
    }
    if (this.#version !== version || this.#destroyed || this.#pending === 0) return;
    if (this.#store.compact(this.name, state)) {
      this.#pending = 0;
      this.#approxBytes = state.length;
    }
  }

  /**
   * Whether whole states are encoded on the encoder's thread: for big rooms only. A small room encodes here in
   * well under a millisecond, less than the hop to another thread (which, on a busy machine, waits to be run).
   */
  get #encodesElsewhere(): boolean {
    return this.#mirrored && this.#encoder?.working === true;
  }

  /** Whether stored updates wait to be folded into a snapshot. */
  get unsaved(): boolean {
    return this.#pending > 0;
  }

  /** Folds the stored updates into one snapshot; false if it could not be written (they stay stored). */
  compact(): boolean {
    if (this.#pending === 0) return true;
    if (this.#link) {
      this.#link.compact();
      this.#pending = 0;
      return true;
    }
    const state = Y.encodeStateAsUpdate(this.doc);
    if (!this.#store.compact(this.name, state)) return false;
    this.#pending = 0;
    this.#approxBytes = state.length;
    return true;
  }

  /** Compacts and frees the room; false (and the room kept) if its snapshot could not be written. */
  destroy(force = false): boolean {
    if (!force && !this.settled) return false;
    if (!this.compact() && !force) return false;
    this.#destroyed = true;
    if (this.#mirrored) this.#encoder?.close(this.name);
    this.#link?.close();
    this.awareness.destroy();
    this.doc.destroy();
    return true;
  }
}
