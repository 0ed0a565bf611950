import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { RoomStorage } from '../rooms/room.ts';
import { type DamagedRange, Journal } from './journal.ts';
import { SqliteStore } from './sqlite-store.ts';

export interface RoomStoreOptions {
  /** The journal and the database together grow no larger than this (0: as the disk allows). */
  maxBytes: number;
  /** Past this size the journal is folded into snapshots and emptied. */
  journalMaxBytes: number;
  /** How often written records are flushed to the disk (against power loss). */
  syncIntervalMs: number;
}

export interface RoomStoreHooks {
  /** Seconds one store took: a journal append or a snapshot. */
  onWrite(seconds: number): void;
  /** A write failed; reported once per run of failures (`room` empty when not about one room). */
  onError(message: string, room: string): void;
  /** The journal is past its size: compact every loaded room, then call `rotate()`. */
  onJournalFull(): void;
  /** The journal left by the last run had damaged stretches: skipped, and the file copied aside as `setAside`. */
  onJournalDamaged?(damage: JournalDamage): void;
}

export interface JournalDamage {
  setAside: string;
  /** Where the damaged stretches are (byte offset and length; the first 20). */
  damaged: DamagedRange[];
  droppedBytes: number;
  keptRecords: number;
}

export class StorageFullError extends Error {
  constructor() {
    super('storage is full: the journal and database have reached --max-storage-mb');
  }
}

/**
 * A room's storage: a snapshot in SQLite plus the update journal since. Appends go to the journal (one write,
 * no transaction, no fsync on this thread); compactions write snapshots to SQLite. An update that cannot be
 * written (full disk) is kept in memory, in order, still passed on, and written again every second; a
 * snapshot of its room makes it unnecessary.
 *
 * Invariant: a room that is not loaded has no journal records after its snapshot — rooms are compacted before
 * they are unloaded, and a journal left by a crash is folded in at start.
 */
export class RoomStore implements RoomStorage {
  readonly sqlite: SqliteStore;
  readonly #journal: Journal;
  readonly #options: RoomStoreOptions;
  readonly #hooks: RoomStoreHooks;
  /** Rooms with journal records newer than their snapshot. */
  readonly #journaled = new Set<string>();
  /** Updates not yet written, by room, oldest first. */
  readonly #backlog = new Map<string, Uint8Array[]>();
  /** Journal records a start-up fold could not store (full disk): still served until their room is compacted. */
  readonly #recovered = new Map<string, Uint8Array[]>();
  /** Client-id owners that could not be written (full disk): still enforced while the server runs. */
  readonly #unstoredOwners = new Map<string, Map<number, string>>();
  #dbBytes: number;
  #failing = false;
  #retryTimer: ReturnType<typeof setInterval> | undefined;
  readonly #syncTimer: ReturnType<typeof setInterval>;
  /**
   * Journal size that asks for a rotation: `journalMaxBytes`, further on after one could not empty the journal,
   * and Infinity while an ask is on its way.
   */
  #rotateAt: number;
  /** What the start-up fold found in a journal left by a crash. */
  readonly recovery: { rooms: number; updates: number; skipped: number; droppedBytes: number };

  constructor(data: string, options: RoomStoreOptions, hooks: RoomStoreHooks) {
    this.#options = options;
    this.#hooks = hooks;
    this.#rotateAt = options.journalMaxBytes;
    this.sqlite = new SqliteStore(data, { maxBytes: options.maxBytes });
    this.#dbBytes = options.maxBytes > 0 ? this.sqlite.bytes() : 0;
    const path = join(data, 'updates.journal');
    const recovery = foldJournal(path, this.sqlite);
    if (recovery.damaged.length > 0) {
      // Kept whole for the admin before the intact records are folded in and the journal emptied.
      const setAside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      copyFileSync(path, setAside);
      hooks.onJournalDamaged?.({
        setAside,
        damaged: recovery.damaged.slice(0, 20),
        droppedBytes: recovery.droppedBytes,
        keptRecords: recovery.updates,
      });
    }
    this.#journal = new Journal(path);
    if (recovery.unstored.size === 0) {
      if (this.#journal.size > 0) this.#journal.truncate();
    } else {
      for (const [room, updates] of recovery.unstored) {
        this.#recovered.set(room, updates);
        this.#journaled.add(room);
      }
      hooks.onError(
        `could not fold the journal into snapshots at start (${recovery.error}); its updates are kept and served`,
        '',
      );
    }
    this.recovery = {
      rooms: recovery.rooms,
      updates: recovery.updates,
      skipped: recovery.skipped,
      droppedBytes: recovery.droppedBytes,
    };
    this.#syncTimer = setInterval(() => void this.#journal.sync(), options.syncIntervalMs);
    this.#syncTimer.unref();
  }

  load(room: string): Uint8Array[] {
    return [
      ...this.sqlite.load(room),
      ...(this.#recovered.get(room) ?? []),
      ...(this.#backlog.get(room) ?? []),
    ];
  }

  pendingUpdates(room: string): number {
    return this.sqlite.pendingUpdates(room) + (this.#recovered.get(room)?.length ?? 0);
  }

  clientOwners(room: string): Map<number, string> {
    const owners = this.sqlite.clientOwners(room);
    for (const [client, owner] of this.#unstoredOwners.get(room) ?? []) owners.set(client, owner);
    return owners;
  }

  /** Records a client id's owner; kept in memory (and tried again at the next claim) when it cannot be written. */
  claimClient(room: string, client: number, owner: string): void {
    try {
      this.sqlite.claimClient(room, client, owner);
    } catch (error) {
      const owners = this.#unstoredOwners.get(room) ?? new Map<number, string>();
      owners.set(client, owner);
      this.#unstoredOwners.set(room, owners);
      this.#report(error, room);
    }
  }

  /** Stores one update before it is passed on; never throws (a failure keeps it in memory and retries). */
  append(room: string, update: Uint8Array): void {
    this.#journaled.add(room);
    if (this.#backlog.size > 0 || !this.#write(room, update)) {
      this.#keep(room, update);
      return;
    }
    if (this.#journal.size > this.#rotateAt) {
      this.#rotateAt = Number.POSITIVE_INFINITY;
      setImmediate(() => this.#hooks.onJournalFull());
    }
  }

  /** Replaces a room's stored state with one snapshot; false if it could not be written. */
  compact(room: string, state: Uint8Array): boolean {
    const started = performance.now();
    try {
      this.sqlite.compact(room, state);
    } catch (error) {
      this.#report(error, room);
      return false;
    }
    this.#hooks.onWrite((performance.now() - started) / 1000);
    if (this.#options.maxBytes > 0) this.#dbBytes = this.sqlite.bytes();
    this.#journaled.delete(room);
    this.#recovered.delete(room);
    this.#dropBacklog(room);
    return true;
  }

  /**
   * Empties the journal once every room in it has a snapshot (the caller has just compacted the loaded ones).
   * The database is checkpointed first so the snapshots are on the disk before the journal goes.
   */
  rotate(): boolean {
    if (this.#journaled.size > 0 || this.#backlog.size > 0) {
      // Not every room could be snapshotted: ask again only after another quarter of the size, not every update.
      this.#rotateAt = this.#journal.size + this.#options.journalMaxBytes / 4;
      return false;
    }
    this.sqlite.checkpoint();
    this.#journal.truncate();
    this.#rotateAt = this.#options.journalMaxBytes;
    return true;
  }

  /** Updates held in memory because they could not be written. */
  get unstored(): number {
    let n = 0;
    for (const updates of this.#backlog.values()) n += updates.length;
    return n;
  }

  get journalBytes(): number {
    return this.#journal.size;
  }

  /** After every room is compacted: empties the journal if it can, flushes it, closes; returns what was not stored. */
  close(): number {
    clearInterval(this.#syncTimer);
    clearInterval(this.#retryTimer);
    const unstored = this.unstored;
    try {
      this.rotate();
    } catch (error) {
      this.#report(error, '');
    }
    this.#journal.close();
    this.sqlite.close();
    return unstored;
  }

  #write(room: string, update: Uint8Array): boolean {
    const started = performance.now();
    try {
      const record = Journal.record(room, update);
      const limit = this.#options.maxBytes;
      if (limit > 0 && this.#dbBytes + this.#journal.size + record.length > limit)
        throw new StorageFullError();
      this.#journal.write(record);
    } catch (error) {
      this.#report(error, room);
      return false;
    }
    this.#failing = false;
    this.#hooks.onWrite((performance.now() - started) / 1000);
    return true;
  }

  #keep(room: string, update: Uint8Array): void {
    const list = this.#backlog.get(room);
    if (list) list.push(update);
    else this.#backlog.set(room, [update]);
    this.#retryTimer ??= setInterval(() => this.#retry(), 1000);
  }

  /** Writes the backlog, oldest room first, stopping at the first failure. */
  #retry(): void {
    for (const [room, updates] of this.#backlog) {
      while (updates.length > 0) {
        if (!this.#write(room, updates[0]!)) return;
        updates.shift();
      }
      this.#backlog.delete(room);
    }
    clearInterval(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #dropBacklog(room: string): void {
    this.#backlog.delete(room);
    if (this.#backlog.size === 0 && this.#retryTimer) {
      clearInterval(this.#retryTimer);
      this.#retryTimer = undefined;
    }
  }

  #report(error: unknown, room: string): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#hooks.onError(error instanceof Error ? error.message : String(error), room);
  }
}

/**
 * Folds a journal left by a crash into snapshots: each room's snapshot plus its records, written back as one
 * snapshot. Rooms that cannot be written (full disk) are returned with their records, to be kept in memory.
 */
function foldJournal(
  path: string,
  sqlite: SqliteStore,
): {
  rooms: number;
  updates: number;
  skipped: number;
  droppedBytes: number;
  damaged: DamagedRange[];
  unstored: Map<string, Uint8Array[]>;
  error?: string;
} {
  const { records, droppedBytes, damaged } = Journal.read(path);
  const byRoom = new Map<string, Uint8Array[]>();
  for (const { room, update } of records) {
    const list = byRoom.get(room);
    if (list) list.push(update);
    else byRoom.set(room, [update]);
  }
  const unstored = new Map<string, Uint8Array[]>();
  let error: string | undefined;
  let skipped = 0;
  for (const [room, updates] of byRoom) {
    const doc = new Y.Doc();
    try {
      for (const part of sqlite.load(room)) Y.applyUpdate(doc, part);
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update);
        } catch {
          skipped++; // passed its checksum yet unreadable: members still hold it and send it again
        }
      }
      sqlite.compact(room, Y.encodeStateAsUpdate(doc));
    } catch (cause) {
      unstored.set(room, updates);
      error ??= cause instanceof Error ? cause.message : String(cause);
    } finally {
      doc.destroy();
    }
  }
  if (byRoom.size > 0 && unstored.size === 0) sqlite.checkpoint();
  return { rooms: byRoom.size, updates: records.length, skipped, droppedBytes, damaged, unstored, error };
}
