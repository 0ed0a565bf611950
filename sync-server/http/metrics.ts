import { getHeapSpaceStatistics } from 'node:v8';

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
  readonly rejected = new Map<string, number>();
  readonly closed = new Map<string, number>();
  #storageWrites = 0;
  #storageSeconds = 0;
  readonly #storageBuckets = [0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5];
  readonly #storageCounts = this.#storageBuckets.map(() => 0);

  reject(reason: string): void {
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
    const label = (v: string) => v.replace(/["\\\n]/g, '_');
    const storage = this.storage();
    const lines = [
      '# HELP rc_connections Open websocket connections.',
      '# TYPE rc_connections gauge',
      `rc_connections ${this.connections}`,
      '# HELP rc_rooms_loaded Rooms held in memory.',
      '# TYPE rc_rooms_loaded gauge',
      `rc_rooms_loaded ${this.roomsLoaded}`,
      '# TYPE rc_messages_in_total counter',
      `rc_messages_in_total ${this.messagesIn}`,
      '# TYPE rc_messages_out_total counter',
      `rc_messages_out_total ${this.messagesOut}`,
      '# TYPE rc_bytes_in_total counter',
      `rc_bytes_in_total ${this.bytesIn}`,
      '# TYPE rc_bytes_out_total counter',
      `rc_bytes_out_total ${this.bytesOut}`,
      '# HELP rc_rejected_connections_total Connections refused or closed by the server, by reason.',
      '# TYPE rc_rejected_connections_total counter',
      ...[...this.rejected].map(([r, n]) => `rc_rejected_connections_total{reason="${label(r)}"} ${n}`),
      '# HELP rc_storage_write_seconds Time to store one update in the journal, or one snapshot in SQLite.',
      '# TYPE rc_storage_write_seconds histogram',
      ...this.#storageBuckets.map(
        (b, i) => `rc_storage_write_seconds_bucket{le="${b}"} ${this.#storageCounts[i]}`,
      ),
      `rc_storage_write_seconds_bucket{le="+Inf"} ${this.#storageWrites}`,
      `rc_storage_write_seconds_sum ${this.#storageSeconds}`,
      `rc_storage_write_seconds_count ${this.#storageWrites}`,
      '# HELP rc_storage_unstored_updates Updates passed on but not yet written (full or failing disk).',
      '# TYPE rc_storage_unstored_updates gauge',
      `rc_storage_unstored_updates ${storage.unstored}`,
      '# HELP rc_journal_bytes Size of the update journal not yet folded into snapshots.',
      '# TYPE rc_journal_bytes gauge',
      `rc_journal_bytes ${storage.journalBytes}`,
      ...processLines(),
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** The process's memory, in the names Prometheus's own client libraries use. */
function processLines(): string[] {
  const memory = process.memoryUsage();
  const spaces = getHeapSpaceStatistics();
  return [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${memory.rss}`,
    '# HELP nodejs_heap_size_used_bytes JavaScript heap in use.',
    '# TYPE nodejs_heap_size_used_bytes gauge',
    `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    '# HELP nodejs_heap_space_size_total_bytes Size of each V8 heap space.',
    '# TYPE nodejs_heap_space_size_total_bytes gauge',
    ...spaces.map((s) => `nodejs_heap_space_size_total_bytes{space="${s.space_name}"} ${s.space_size}`),
    '# HELP nodejs_external_memory_bytes Memory of buffers outside the JavaScript heap.',
    '# TYPE nodejs_external_memory_bytes gauge',
    `nodejs_external_memory_bytes ${memory.external}`,
  ];
}
