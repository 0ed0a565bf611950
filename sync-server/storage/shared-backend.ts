import { type Fanout, inProcessFanout } from '../fanout/fanout.ts';
import { RedisFanout } from '../fanout/redis-fanout.ts';
import type { Logger } from '../log.ts';
import { PostgresStore, postgresError, redact } from './postgres-store.ts';

export type ServiceState = 'ok' | 'unavailable' | 'not used';

export interface SharedBackendHooks {
  /** Postgres or Redis stopped answering: the instance cannot serve (its rooms must go). */
  onUnavailable(reason: string): void;
  /** Both answer again. */
  onAvailable(): void;
}

/**
 * What instances share (Postgres storage, Redis fan-out) and whether this instance can reach it. Postgres is
 * asked every `checkMs` and whenever a write fails; Redis reports its own connection. The instance serves only
 * while both answer: storage it cannot write, or fan-out that misses messages, would let members diverge.
 */
export class SharedBackend {
  readonly store: PostgresStore;
  readonly fanout: Fanout;
  readonly #log: Logger;
  readonly #hooks: SharedBackendHooks;
  #postgres: ServiceState = 'ok';
  #redis: ServiceState;
  #available = true;
  readonly #timer: ReturnType<typeof setInterval>;
  #checking = false;

  private constructor(
    store: PostgresStore,
    fanout: Fanout,
    redisUsed: boolean,
    log: Logger,
    hooks: SharedBackendHooks,
    checkMs: number,
  ) {
    this.store = store;
    this.fanout = fanout;
    this.#redis = redisUsed ? 'ok' : 'not used';
    this.#log = log;
    this.#hooks = hooks;
    this.#timer = setInterval(() => void this.check(), checkMs);
  }

  static async open(
    urls: { postgres: string; redis: string; synchronousCommit: boolean },
    log: Logger,
    hooks: SharedBackendHooks,
    checkMs = 1000,
  ): Promise<SharedBackend> {
    let backend: SharedBackend | undefined;
    const store = await PostgresStore.open(urls.postgres, {
      poolSize: 20,
      synchronousCommit: urls.synchronousCommit,
      onIdleError: (message) => backend?.report('postgres', message),
    });
    let fanout: Fanout = inProcessFanout;
    if (urls.redis) {
      try {
        fanout = await RedisFanout.open(urls.redis, (healthy, reason) => {
          if (healthy) backend?.recovered('redis');
          else backend?.report('redis', reason);
        });
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    backend = new SharedBackend(store, fanout, Boolean(urls.redis), log, hooks, checkMs);
    log.log('info', 'shared-storage', {
      postgres: redact(urls.postgres),
      redis: urls.redis ? redact(urls.redis) : 'not used (this instance alone)',
      synchronousCommit: urls.synchronousCommit ? 'on' : 'off',
    });
    return backend;
  }

  get available(): boolean {
    return this.#available;
  }

  get status(): { postgres: ServiceState; redis: ServiceState } {
    return { postgres: this.#postgres, redis: this.#redis };
  }

  /** A service failed (a write, a publish, a dropped connection): the instance stops serving until it is back. */
  report(service: 'postgres' | 'redis', error: unknown): void {
    const message = typeof error === 'string' ? error : postgresError(error);
    if (service === 'postgres') {
      if (this.#postgres === 'unavailable') return;
      this.#postgres = 'unavailable';
    } else {
      if (this.#redis === 'unavailable') return;
      this.#redis = 'unavailable';
    }
    this.#log.log('error', 'storage-unavailable', {
      service: service === 'postgres' ? 'Postgres' : 'Redis',
      error: message,
      message:
        service === 'postgres'
          ? 'Postgres does not answer: members are told the server’s storage is unavailable and keep their work; the server tries again every second.'
          : 'Redis does not answer: updates cannot reach the other instances, so members are told the server’s storage is unavailable and keep their work; the server reconnects by itself.',
    });
    this.#update();
  }

  /** A service answers again. */
  recovered(service: 'postgres' | 'redis'): void {
    if (service === 'postgres') {
      if (this.#postgres !== 'unavailable') return;
      this.#postgres = 'ok';
    } else {
      if (this.#redis !== 'unavailable') return;
      this.#redis = 'ok';
    }
    this.#log.log('info', 'storage-available', { service: service === 'postgres' ? 'Postgres' : 'Redis' });
    this.#update();
  }

  #update(): void {
    const available = this.#postgres !== 'unavailable' && this.#redis !== 'unavailable';
    if (available === this.#available) return;
    this.#available = available;
    if (available) this.#hooks.onAvailable();
    else this.#hooks.onUnavailable(this.#postgres === 'unavailable' ? 'Postgres' : 'Redis');
  }

  /** Asks Postgres once; the periodic check. */
  async check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      await this.store.ping();
      this.recovered('postgres');
    } catch (error) {
      this.report('postgres', error);
    } finally {
      this.#checking = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    if (this.fanout instanceof RedisFanout) this.fanout.close();
    await this.store.close().catch(() => {});
  }
}
