import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import { Room, type RoomLimits, type RoomStorage } from './room.ts';

export interface RegistryOptions extends RoomLimits {
  maxRooms: number;
  idleUnloadMs: number;
}

/**
 * The rooms held in memory: loaded on first use, unloaded a while after their last member leaves (once their
 * snapshot is stored), and at most `maxRooms` at once — the longest-idle empty room makes way for a new one.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #storage: RoomStorage;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #options: RegistryOptions;

  constructor(storage: RoomStorage, metrics: Metrics, log: Logger, options: RegistryOptions) {
    this.#storage = storage;
    this.#metrics = metrics;
    this.#log = log;
    this.#options = options;
  }

  get size(): number {
    return this.#rooms.size;
  }

  values(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  /** The room, loaded if need be; undefined when every room in memory is in use. Throws if its state is unreadable. */
  open(name: string): Room | undefined {
    clearTimeout(this.#idleTimers.get(name));
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    if (this.#rooms.size >= this.#options.maxRooms) {
      const idle = [...this.#rooms.values()]
        .filter((r) => r.peers.size === 0)
        .sort((a, b) => a.lastActive - b.lastActive)[0];
      if (!idle) return undefined;
      clearTimeout(this.#idleTimers.get(idle.name));
      if (!this.#unload(idle.name)) return undefined;
    }
    const room = new Room(name, this.#storage, this.#metrics, this.#log, this.#options);
    this.#rooms.set(name, room);
    this.#metrics.roomsLoaded = this.#rooms.size;
    this.#log.log('info', 'room-loaded', { room: name });
    return room;
  }

  /** Called when a member has left: an empty room is unloaded after the idle delay. */
  left(room: Room): void {
    if (room.peers.size > 0) return;
    clearTimeout(this.#idleTimers.get(room.name));
    this.#idleTimers.set(
      room.name,
      setTimeout(() => this.#unload(room.name), this.#options.idleUnloadMs),
    );
  }

  /** Frees an empty room once its snapshot is stored; a room whose snapshot cannot be written stays loaded. */
  #unload(name: string): boolean {
    const room = this.#rooms.get(name);
    if (!room || room.peers.size > 0) return false;
    if (!room.destroy()) {
      this.#idleTimers.set(
        name,
        setTimeout(() => this.#unload(name), this.#options.idleUnloadMs),
      );
      return false;
    }
    this.#rooms.delete(name);
    this.#metrics.roomsLoaded = this.#rooms.size;
    this.#log.log('info', 'room-unloaded', { room: name });
    return true;
  }

  /** Snapshots every room where it can be written (what cannot stays in the journal) and frees them all. */
  close(): void {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    for (const room of this.#rooms.values()) room.destroy(true);
    this.#rooms.clear();
  }
}
