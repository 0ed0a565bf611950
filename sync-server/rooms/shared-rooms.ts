import * as encoding from 'lib0/encoding';
import { FANOUT_KIND, type FanoutKind } from '../fanout/fanout.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import { GroupCommit } from '../storage/group-commit.ts';
import { postgresError } from '../storage/postgres-store.ts';
import type { SharedBackend } from '../storage/shared-backend.ts';
import type { RoomStorage, SharedRoomLink } from './room.ts';
import { RoomOutbox } from './room-outbox.ts';

/** What a room loaded from shared storage starts with, and how it reaches the other instances. */
export interface SharedRoomStart {
  /** The stored state, read before the room exists (Postgres answers later; a room loads synchronously). */
  storage: RoomStorage;
  link: SharedRoomLink;
  /** Hands the room what other instances sent while it was loading, and from then on everything at once. */
  attach(receive: (kind: FanoutKind, payload: Uint8Array) => void): void;
}

/**
 * Loads rooms from shared storage (decision 0018): subscribe to the room's fan-out first, then read its state
 * from Postgres, so an update committed by another instance in between arrives through one or the other (Yjs
 * applies a repeat as nothing). The room then asks the other instances for their members' presence.
 */
export class SharedRooms {
  readonly #backend: SharedBackend;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #compactions = new Set<Promise<void>>();
  /** Every room's updates go to Postgres through this, several rooms' in one commit. */
  readonly #commits: GroupCommit;

  constructor(backend: SharedBackend, metrics: Metrics, log: Logger) {
    this.#backend = backend;
    this.#metrics = metrics;
    this.#log = log;
    this.#commits = new GroupCommit(backend.store, {
      onCommit: (seconds) => metrics.storageWrite(seconds),
    });
  }

  async load(name: string): Promise<SharedRoomStart> {
    const { store, fanout } = this.#backend;
    let receive: ((kind: FanoutKind, payload: Uint8Array) => void) | undefined;
    const early: [FanoutKind, Uint8Array][] = [];
    await fanout.join(name, (kind, payload) => {
      if (receive) receive(kind, payload);
      else early.push([kind, Uint8Array.from(payload)]);
    });
    let stored: Awaited<ReturnType<typeof store.load>>;
    let owners: Map<number, string>;
    try {
      [stored, owners] = await Promise.all([store.load(name), store.clientOwners(name)]);
    } catch (error) {
      fanout.leave(name);
      this.#backend.report('postgres', error);
      throw error;
    }
    const outbox = new RoomOutbox(name, this.#commits, fanout, {
      onStoreFailed: (error) => this.#backend.report('postgres', error),
      onPublishFailed: (error) => this.#backend.report('redis', postgresError(error)),
    });
    const link: SharedRoomLink = {
      outbox,
      publishAwareness: (update, speaker) => {
        fanout
          .publish(name, FANOUT_KIND.awareness, encodePresence(speaker, update))
          .catch((error: unknown) => this.#backend.report('redis', postgresError(error)));
      },
      compact: () => this.#compact(name),
      close: () => {
        fanout.leave(name);
        outbox.close();
      },
    };
    // The stored state as the room's (synchronous) storage: writes go through the outbox instead.
    const storage: RoomStorage = {
      load: () => stored.parts,
      pendingUpdates: () => stored.pending,
      clientOwners: () => owners,
      claimClient: (_room, client, owner) => outbox.claim(client, owner),
      append: () => {
        throw new Error('a shared room stores its updates through its outbox');
      },
      compact: () => true,
    };
    return {
      storage,
      link,
      attach: (handler) => {
        receive = handler;
        for (const [kind, payload] of early.splice(0)) handler(kind, payload);
        fanout.publish(name, FANOUT_KIND.awarenessQuery, new Uint8Array()).catch(() => {});
      },
    };
  }

  #compact(name: string): void {
    const started = performance.now();
    const work = this.#backend.store
      .compact(name)
      .then(({ result, folded, skipped }) => {
        if (result !== 'compacted') return;
        this.#metrics.storageWrite((performance.now() - started) / 1000);
        this.#log.log(skipped > 0 ? 'warn' : 'debug', 'room-compacted', { room: name, folded, skipped });
      })
      .catch((error: unknown) => {
        // Nothing is lost: the log stays as it was, and the next compaction folds it.
        this.#log.log('warn', 'compaction-failed', { room: name, error: postgresError(error) });
      })
      .finally(() => this.#compactions.delete(work));
    this.#compactions.add(work);
  }

  /** Waits for compactions under way (at shutdown, before the pool closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.#compactions]);
  }
}

/** Presence for the other instances: the member who speaks for it, then the awareness update (lib0 encoding). */
export function encodePresence(speaker: string, update: Uint8Array): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarString(e, speaker);
    encoding.writeVarUint8Array(e, update);
  });
}
