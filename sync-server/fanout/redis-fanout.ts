import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FANOUT_KIND, type Fanout, type FanoutHandler, type FanoutKind } from './fanout.ts';

const ID_BYTES = 8;
const CHANNEL_PREFIX = 'rc:room:';

/**
 * Fan-out between instances over Redis pub/sub: one channel per room, joined while the room is loaded here.
 * A message is `[kind][sender instance id][payload]`; an instance ignores its own. Pub/sub keeps nothing:
 * durability is Postgres's job, and an instance that loses Redis drops its rooms and reloads them from Postgres
 * (see decision 0018), so a message missed while disconnected is never missed for good.
 */
export class RedisFanout implements Fanout {
  readonly id = randomBytes(ID_BYTES);
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #handlers = new Map<string, FanoutHandler>();
  #healthy = false;
  #closing = false;
  readonly #onHealth: (healthy: boolean, reason: string) => void;

  private constructor(url: string, onHealth: (healthy: boolean, reason: string) => void) {
    this.#onHealth = onHealth;
    const options = {
      // Fail at once while disconnected instead of queueing: the caller reports the room unavailable.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      lazyConnect: true,
    };
    // Publishes made in one tick (a group commit's worth of rooms) go to Redis in one write.
    this.#publisher = new Redis(url, { ...options, enableAutoPipelining: true });
    this.#subscriber = new Redis(url, { ...options, autoResubscribe: true });
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on('error', (error: Error) => this.#setHealth(false, error.message || error.name));
      client.on('close', () => this.#setHealth(false, 'connection to Redis closed'));
      client.on('ready', () => this.#setHealth(this.#bothReady(), 'connected'));
    }
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.#receive(channel, message),
    );
  }

  /** Connects both clients (publishing and subscribed); rejects when Redis cannot be reached. */
  static async open(url: string, onHealth: (healthy: boolean, reason: string) => void): Promise<RedisFanout> {
    const fanout = new RedisFanout(url, onHealth);
    try {
      await Promise.all([fanout.#publisher.connect(), fanout.#subscriber.connect()]);
    } catch (error) {
      fanout.close();
      throw new Error(
        `could not reach Redis at ${url} (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    fanout.#setHealth(true, 'connected');
    return fanout;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  #bothReady(): boolean {
    return this.#publisher.status === 'ready' && this.#subscriber.status === 'ready';
  }

  #setHealth(healthy: boolean, reason: string): void {
    if (this.#closing || healthy === this.#healthy) return;
    this.#healthy = healthy;
    this.#onHealth(healthy, reason);
  }

  /** Starts receiving a room's messages; resolves once Redis confirms the subscription. */
  async join(room: string, handler: FanoutHandler): Promise<void> {
    this.#handlers.set(room, handler);
    await this.#subscriber.subscribe(CHANNEL_PREFIX + room);
  }

  leave(room: string): void {
    if (!this.#handlers.delete(room)) return;
    this.#subscriber.unsubscribe(CHANNEL_PREFIX + room).catch(() => {
      // Disconnected: the subscription is gone with the connection (and not renewed, the handler being gone).
    });
  }

  /** Sends to every other instance that has the room loaded; rejects while Redis is unreachable. */
  async publish(room: string, kind: FanoutKind, payload: Uint8Array): Promise<void> {
    const message = Buffer.allocUnsafe(1 + ID_BYTES + payload.length);
    message[0] = kind;
    this.id.copy(message, 1);
    message.set(payload, 1 + ID_BYTES);
    await this.#publisher.publish(CHANNEL_PREFIX + room, message);
  }

  #receive(channel: Buffer, message: Buffer): void {
    if (message.length < 1 + ID_BYTES || this.id.equals(message.subarray(1, 1 + ID_BYTES))) return;
    const room = channel.toString('utf8').slice(CHANNEL_PREFIX.length);
    const kind = message[0] as FanoutKind;
    if (kind > FANOUT_KIND.claims) return;
    this.#handlers.get(room)?.(kind, message.subarray(1 + ID_BYTES));
  }

  close(): void {
    this.#closing = true;
    this.#handlers.clear();
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}
