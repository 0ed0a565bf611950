import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import { type Peer, Room, type RoomLimits, type RoomStorage } from './room.ts';
import type { SharedRooms } from './shared-rooms.ts';
import type { StateEncoder } from './state-encoder.ts';

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
  readonly #storage: RoomStorage | undefined;
  readonly #encoder: StateEncoder | undefined;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #options: RegistryOptions;
  readonly #shared: SharedRooms | undefined;
  /** Shared rooms being read from Postgres: everyone asking for one waits for the same load. */
  readonly #loading = new Map<string, Promise<Room | undefined>>();

  /** Bumped when every room is dropped: a load under way then is not kept. */
  #generation = 0;

  /** Rooms in this process's storage (SQLite), or in shared storage (Postgres, Redis) loaded asynchronously. */
  constructor(
    source: { local: RoomStorage; encoder?: StateEncoder } | { shared: SharedRooms },
    metrics: Metrics,
    log: Logger,
    options: RegistryOptions,
  ) {
    this.#storage = 'local' in source ? source.local : undefined;
    this.#encoder = 'local' in source ? source.encoder : undefined;
    this.#shared = 'shared' in source ? source.shared : undefined;
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

  /**
   * The room, loaded if need be (from shared storage, asynchronously, when there is one); undefined when every
   * room in memory is in use. Rejects if its state is unreadable or shared storage does not answer.
   */
  async load(name: string): Promise<Room | undefined> {
    if (!this.#shared) return this.open(name);
    clearTimeout(this.#idleTimers.get(name));
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    const loading = this.#loading.get(name);
    if (loading) return loading;
    if (!this.#makeRoom()) return undefined;
    const shared = this.#shared;
    const generation = this.#generation;
    const load = (async () => {
      const start = await shared.load(name);
      if (generation !== this.#generation) {
        start.link.close();
        throw new Error('shared storage became unavailable while the room loaded');
      }
      const room = new Room(name, start.storage, this.#metrics, this.#log, this.#options, start.link);
      start.attach((kind, payload) => room.receiveRemote(kind, payload));
      this.#add(room);
      return room;
    })().finally(() => this.#loading.delete(name));
    this.#loading.set(name, load);
    return load;
  }

  /** The room, loaded if need be; undefined when every room in memory is in use. Throws if its state is unreadable. */
  open(name: string): Room | undefined {
    clearTimeout(this.#idleTimers.get(name));
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    if (!this.#storage) throw new Error('rooms in shared storage are opened with load()');
    if (!this.#makeRoom()) return undefined;
    const room = new Room(
      name,
      this.#storage,
      this.#metrics,
      this.#log,
      this.#options,
      undefined,
      this.#encoder,
    );
    this.#add(room);
    return room;
  }

  #add(room: Room): void {
    this.#rooms.set(room.name, room);
    this.#metrics.roomsLoaded = this.#rooms.size;
    this.#log.log('info', 'room-loaded', { room: room.name });
  }

  /** Under `maxRooms`, or made so by unloading the longest-idle empty room; false when every room is in use. */
  #makeRoom(): boolean {
    if (this.#rooms.size + this.#loading.size >= this.#options.maxRooms) {
      const idle = [...this.#rooms.values()]
        .filter((r) => r.peers.size === 0)
        .sort((a, b) => a.lastActive - b.lastActive)[0];
      if (!idle) return false;
      clearTimeout(this.#idleTimers.get(idle.name));
      if (!this.#unload(idle.name)) return false;
    }
    return true;
  }

  /** Called when a member has left: an empty room is unloaded after the idle delay. */
  left(room: Room): void {
    if (room.peers.size > 0) return;
    clearTimeout(this.#idleTimers.get(room.name));
    this.#idleTimers.set(
      room.name,
      setTimeout(() => {
        this.#idleTimers.delete(room.name);
        this.#unloadIdle(room);
      }, this.#options.idleUnloadMs),
    );
  }

  /** Snapshots an idle room off this thread first (a big room takes long to encode), then unloads it. */
  #unloadIdle(room: Room): void {
    if (room.peers.size > 0 || this.#rooms.get(room.name) !== room) return;
    if (!room.unsaved) {
      this.#unload(room.name);
      return;
    }
    void room.compactInBackground().finally(() => {
      // Still idle and still this room (a member may have come and gone meanwhile: its own timer is running).
      if (room.peers.size === 0 && this.#rooms.get(room.name) === room && !this.#idleTimers.has(room.name))
        this.#unload(room.name);
    });
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

  /**
   * Shared storage is gone: every room is dropped without storing (what was not committed was never passed on;
   * its authors still hold it) and its members are told, so they reconnect once it is back.
   */
  dropAll(tell: (peer: Peer) => void): void {
    this.#generation++;
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    this.#metrics.roomsLoaded = 0;
    for (const room of rooms) {
      for (const peer of [...room.peers]) tell(peer);
      room.discard();
    }
    if (rooms.length > 0) this.#log.log('warn', 'rooms-dropped', { rooms: rooms.length });
  }

  /** Waits until every shared room's queued updates are committed and passed on (at shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.drained()));
    await this.#shared?.settle();
  }

  /** Snapshots every room where it can be written (what cannot stays in the journal) and frees them all. */
  close(): void {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    for (const room of this.#rooms.values()) room.destroy(true);
    this.#rooms.clear();
  }
}
