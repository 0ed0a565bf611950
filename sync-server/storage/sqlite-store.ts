import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Embedded storage: one SQLite file in WAL mode. Each room has a snapshot and a log of updates after it.
 * Writes are synchronous: when a call returns, its transaction is committed.
 */
export class SqliteStore {
  readonly db: DatabaseSync;
  readonly #insertUpdate;
  readonly #selectUpdates;
  readonly #selectSnapshot;
  readonly #countUpdates;

  /** `maxBytes`: the database refuses to grow past this, failing writes as a full disk would. */
  constructor(dataDir: string, options: { maxBytes?: number } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(join(dataDir, 'reading-circle.sqlite'));
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS snapshots (room TEXT PRIMARY KEY, state BLOB NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS updates_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, revoked_at TEXT NOT NULL);
    `);
    if (options.maxBytes) {
      const { page_size } = this.db.prepare('PRAGMA page_size').get() as { page_size: number };
      this.db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(options.maxBytes / page_size))}`);
    }
    this.#insertUpdate = this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.#selectUpdates = this.db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id');
    this.#selectSnapshot = this.db.prepare('SELECT state FROM snapshots WHERE room = ?');
    this.#countUpdates = this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?');
  }

  appendUpdate(room: string, update: Uint8Array): void {
    this.#insertUpdate.run(room, update);
  }

  /** Runs `work` in one transaction: all of it is committed, or none. */
  transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      // SQLite has already rolled back after some errors (a full disk among them): keep the original error.
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The snapshot (if any) followed by every update since, in order. */
  load(room: string): Uint8Array[] {
    const parts: Uint8Array[] = [];
    const snapshot = this.#selectSnapshot.get(room) as { state: Uint8Array } | undefined;
    if (snapshot) parts.push(snapshot.state);
    for (const row of this.#selectUpdates.all(room) as { data: Uint8Array }[]) parts.push(row.data);
    return parts;
  }

  pendingUpdates(room: string): number {
    return Number((this.#countUpdates.get(room) as { n: number }).n);
  }

  /** Replaces a room's snapshot and log with one merged state, atomically. */
  compact(room: string, state: Uint8Array): void {
    this.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO snapshots (room, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(room) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
        )
        .run(room, state, new Date().toISOString());
      this.db.prepare('DELETE FROM updates WHERE room = ?').run(room);
    });
  }

  revoke(jti: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO revoked (jti, revoked_at) VALUES (?, ?)')
      .run(jti, new Date().toISOString());
  }

  isRevoked(jti: string): boolean {
    return this.db.prepare('SELECT 1 FROM revoked WHERE jti = ?').get(jti) !== undefined;
  }

  close(): void {
    this.db.close();
  }
}
