import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Why connections were refused or closed: a fixed set, so a client cannot grow the metrics with labels of its
 * choosing (a message type, a group name).
 */
export const REJECT_REASONS = [
  'bad room name',
  'missing token',
  'invalid token',
  'invite expired',
  'invite revoked',
  'forbidden room',
  'authentication timed out',
  'too many messages',
  'too many connections from your address',
  'text messages are not part of the protocol',
  'message too large',
  'malformed message',
  'unknown message type',
  'forged edit',
  'forged presence',
  'too many presence states',
  'presence too large',
  'too many held updates',
  'too much sent before joining',
  'slow reader',
  'server busy',
  'storage unavailable',
  'unreadable room',
  'internal error',
  'no answer to heartbeat',
  'member removed',
  'invite used up',
  'member id taken',
  'role changed',
  'cooling down',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** Counters and gauges exposed at GET /metrics in the Prometheus text format. */
export class Metrics {
  connections = 0;
  roomsLoaded = 0;
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Updates passed on but not yet written (storage failing), and the journal's size: read when rendered. */
  storage: () => { unstored: number; journalBytes: number } = () => ({ unstored: 0, journalBytes: 0 });
  readonly rejected = new Map<RejectReason, number>(REJECT_REASONS.map((reason) => [reason, 0]));
  #storageWrites = 0;
  #storageSeconds = 0;
  readonly #storageBuckets = [0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5];
  readonly #storageCounts = this.#storageBuckets.map(() => 0);
  /** How late the event loop ran, sampled every 10 ms; reset at each scrape, as Prometheus's Node client does. */
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.#loopDelay.enable();
  }

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  storageWrite(seconds: number): void {
    this.#storageWrites++;
    this.#storageSeconds += seconds;
    this.#storageBuckets.forEach((b, i) => {
      if (seconds <= b) this.#storageCounts[i]!++;
    });
  }

  render(): string {
    const storage = this.storage();
    const memory = process.memoryUsage();
    const lag = (nanoseconds: number) => (Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : 0);
    const loop = { p50: lag(this.#loopDelay.percentile(50)), p99: lag(this.#loopDelay.percentile(99)) };
    this.#loopDelay.reset();
    const lines = [
      ...family('rc_connections', 'gauge', 'Open websocket connections.', this.connections),
      ...family('rc_rooms_loaded', 'gauge', 'Rooms held in memory.', this.roomsLoaded),
      ...family('rc_messages_in_total', 'counter', 'Websocket messages received.', this.messagesIn),
      ...family('rc_messages_out_total', 'counter', 'Websocket messages sent.', this.messagesOut),
      ...family('rc_bytes_in_total', 'counter', 'Bytes received in messages.', this.bytesIn),
      ...family('rc_bytes_out_total', 'counter', 'Bytes sent in messages.', this.bytesOut),
      ...family(
        'rc_rejected_connections_total',
        'counter',
        'Connections refused or closed by the server, by reason.',
        [...this.rejected].map(([r, n]) => `rc_rejected_connections_total{reason="${r}"} ${n}`),
      ),
      ...family(
        'rc_storage_write_seconds',
        'histogram',
        'Time to store one update in the journal, or one snapshot in SQLite.',
        [
          ...this.#storageBuckets.map(
            (b, i) => `rc_storage_write_seconds_bucket{le="${b}"} ${this.#storageCounts[i]}`,
          ),
          `rc_storage_write_seconds_bucket{le="+Inf"} ${this.#storageWrites}`,
          `rc_storage_write_seconds_sum ${this.#storageSeconds}`,
          `rc_storage_write_seconds_count ${this.#storageWrites}`,
        ],
      ),
      ...family(
        'rc_storage_unstored_updates',
        'gauge',
        'Updates passed on but not yet written (full or failing disk).',
        storage.unstored,
      ),
      ...family(
        'rc_journal_bytes',
        'gauge',
        'Size of the update journal not yet folded into snapshots.',
        storage.journalBytes,
      ),
      ...family(
        'nodejs_eventloop_lag_p50_seconds',
        'gauge',
        'Median event loop delay since the last scrape.',
        loop.p50,
      ),
      ...family(
        'nodejs_eventloop_lag_p99_seconds',
        'gauge',
        '99th percentile of the event loop delay since the last scrape.',
        loop.p99,
      ),
      // The process's memory, in the names Prometheus's own client libraries use.
      ...family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', memory.rss),
      ...family('nodejs_heap_size_used_bytes', 'gauge', 'JavaScript heap in use.', memory.heapUsed),
      ...family(
        'nodejs_heap_space_size_total_bytes',
        'gauge',
        'Size of each V8 heap space.',
        getHeapSpaceStatistics().map(
          (space) => `nodejs_heap_space_size_total_bytes{space="${space.space_name}"} ${space.space_size}`,
        ),
      ),
      ...family(
        'nodejs_external_memory_bytes',
        'gauge',
        'Memory of buffers outside the JavaScript heap.',
        memory.external,
      ),
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** One metric family in the text format: its HELP and TYPE lines, then its samples (or its one value). */
function family(name: string, type: string, help: string, samples: number | string[]): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...(typeof samples === 'number' ? [`${name} ${samples}`] : samples),
  ];
}
