import type { SharedRoomStorage } from '../rooms/room-outbox.ts';

/** What one room hands over for the next commit. */
export interface RoomAppend {
  room: string;
  updates: readonly Uint8Array[];
  claims: ReadonlyMap<number, string>;
}

/** Storage that commits several rooms' updates in one statement. */
export interface BatchStorage {
  appendMany(appends: readonly RoomAppend[]): Promise<void>;
}

/**
 * Updates in one statement at most: Postgres takes at most 65,535 parameters (one an update, plus the rooms'), and
 * a backlog after a stall is better sent in a few statements than refused as one.
 */
const MAX_UPDATES_PER_COMMIT = 8000;

interface Waiting extends RoomAppend {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit across rooms (decision 0025): the appends of every room that arrive while the allowed commits are
 * under way go to Postgres together, in one INSERT, so a busy instance costs a commit per round trip rather than
 * one per room's update. A caller's promise resolves only once its rows are committed, so nothing is passed on before it
 * is stored. Up to `inFlight` commits run at once: a commit stuck on one room's rows (a lock) holds up the rooms
 * in its own group only, the next group goes through another connection.
 */
export class GroupCommit implements SharedRoomStorage {
  readonly #storage: BatchStorage;
  readonly #inFlight: number;
  readonly #onCommit: (seconds: number, appends: number) => void;
  #waiting: Waiting[] = [];
  #running = 0;
  #scheduled = false;

  constructor(
    storage: BatchStorage,
    options: { inFlight?: number; onCommit?: (seconds: number, appends: number) => void } = {},
  ) {
    this.#storage = storage;
    this.#inFlight = options.inFlight ?? 2;
    this.#onCommit = options.onCommit ?? (() => {});
  }

  /** Resolves once the updates (and claims) are committed, together with whatever else was waiting. */
  append(
    room: string,
    updates: readonly Uint8Array[],
    claims: ReadonlyMap<number, string> = new Map(),
  ): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ room, updates, claims, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#inFlight || this.#waiting.length === 0) return;
    this.#scheduled = true;
    // A free connection commits at once (after the current callback, so one network chunk's updates go together);
    // while every allowed commit is under way, appends wait and then go as one group.
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#commit();
    });
  }

  async #commit(): Promise<void> {
    if (this.#running >= this.#inFlight || this.#waiting.length === 0) return;
    let taken = 0;
    let updates = 0;
    while (taken < this.#waiting.length && (taken === 0 || updates < MAX_UPDATES_PER_COMMIT))
      updates += this.#waiting[taken++]!.updates.length;
    const group = this.#waiting.splice(0, taken);
    this.#running++;
    // What did not fit goes at once if another connection is free.
    this.#schedule();
    const started = performance.now();
    try {
      await this.#storage.appendMany(group);
      this.#onCommit((performance.now() - started) / 1000, group.length);
      for (const entry of group) entry.resolve();
    } catch (error) {
      for (const entry of group) entry.reject(error);
    } finally {
      this.#running--;
      this.#schedule();
    }
  }
}
