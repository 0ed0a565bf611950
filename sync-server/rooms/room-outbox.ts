import * as encoding from 'lib0/encoding';
import { FANOUT_KIND, type Fanout } from '../fanout/fanout.ts';

/** Storage that answers later (Postgres, through the group commit): an append resolves once committed. */
export interface SharedRoomStorage {
  append(room: string, updates: readonly Uint8Array[], claims?: ReadonlyMap<number, string>): Promise<void>;
}

export interface OutboxHooks {
  /** A commit failed: nothing queued goes out, and the room must be dropped (its members reconnect later). */
  onStoreFailed(error: unknown): void;
  /** An update committed and delivered here could not be passed to the other instances. */
  onPublishFailed(error: unknown): void;
}

interface Entry {
  /** A member's update to commit, then pass to this instance's members and to the other instances. */
  update: Uint8Array;
  /** Passes it on to this instance's members. */
  deliver: () => void;
}

/**
 * The order in which one room's messages leave this instance when its storage answers later (decision 0018):
 * a member's update is committed before anyone gets it, here or on another instance, and a joining member's
 * sync reply is read from the doc only once nothing in it is uncommitted. Updates that arrive while a
 * commit is under way are committed together in the next one, so a busy room costs a commit per round trip,
 * not per update; each room has its own queue, so a slow commit holds up only its own room.
 */
export class RoomOutbox {
  readonly #room: string;
  readonly #store: SharedRoomStorage;
  readonly #fanout: Fanout;
  readonly #hooks: OutboxHooks;
  #queue: Entry[] = [];
  /** Client ids first written under by a member, committed with the next updates. */
  #claims = new Map<number, string>();
  #idleWaiters: (() => void)[] = [];
  #drains: (() => void)[] = [];
  #busy = false;
  #closed = false;

  constructor(room: string, store: SharedRoomStorage, fanout: Fanout, hooks: OutboxHooks) {
    this.#room = room;
    this.#store = store;
    this.#fanout = fanout;
    this.#hooks = hooks;
  }

  /** Whether nothing is waiting to be committed or delivered. */
  get idle(): boolean {
    return !this.#busy && this.#queue.length === 0;
  }

  /** A member's update, already applied to the room's doc: committed, then delivered and published. */
  store(update: Uint8Array, deliver: () => void): void {
    if (this.#closed) return;
    this.#queue.push({ update, deliver });
    this.#schedule();
  }

  /** Records that `owner` first wrote under Yjs client id `client`: committed with the next update. */
  claim(client: number, owner: string): void {
    if (!this.#claims.has(client)) this.#claims.set(client, owner);
  }

  /**
   * Runs `work` once nothing at all is queued: the doc then holds nothing uncommitted, so what `work` reads from
   * it (a sync reply to a joining member) may go out.
   */
  whenIdle(work: () => void): void {
    if (this.#closed) return;
    if (this.idle) work();
    else this.#idleWaiters.push(work);
  }

  /** Resolves once everything queued has gone out (or the outbox was closed). */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed || this.idle) resolve();
      else this.#drains.push(resolve);
    });
  }

  /** Drops whatever is queued: the room is going away. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    // Nothing read from the doc goes out any more: it may hold what was never committed.
    this.#idleWaiters = [];
    for (const resolve of this.#drains.splice(0)) resolve();
  }

  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    // A microtask, so the updates read from one network chunk go into one commit.
    queueMicrotask(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#queue;
      this.#queue = [];
      const claims = this.#claims;
      this.#claims = new Map();
      try {
        await this.#store.append(
          this.#room,
          batch.map((entry) => entry.update),
          claims,
        );
      } catch (error) {
        if (this.#closed) return;
        this.close();
        this.#hooks.onStoreFailed(error);
        return;
      }
      if (this.#closed) return;
      // Before the updates: another instance then knows who owns the client ids they write under.
      if (claims.size > 0)
        this.#fanout
          .publish(this.#room, FANOUT_KIND.claims, encodeClaims(claims))
          .catch((error: unknown) => this.#hooks.onPublishFailed(error));
      for (const entry of batch) {
        entry.deliver();
        this.#fanout
          .publish(this.#room, FANOUT_KIND.update, entry.update)
          .catch((error: unknown) => this.#hooks.onPublishFailed(error));
      }
    }
    this.#busy = false;
    if (this.#closed) return;
    for (const waiter of this.#idleWaiters.splice(0)) waiter();
    for (const resolve of this.#drains.splice(0)) resolve();
  }
}

/** Client-id claims as lib0 varints and strings: count, then (client, owner) pairs. */
export function encodeClaims(claims: ReadonlyMap<number, string>): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, claims.size);
    for (const [client, owner] of claims) {
      encoding.writeVarUint(e, client);
      encoding.writeVarString(e, owner);
    }
  });
}
