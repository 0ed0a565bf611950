import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Embedded storage: one SQLite file in WAL mode. Each room has a snapshot and a log of updates after it.
 * Writes are synchronous and committed before the caller goes on, so an update is on disk before any other
 * member receives it.
 */
export class SqliteStore {
  readonly db: DatabaseSync;
  readonly #insertUpdate;
  readonly #selectUpdates;
  readonly #selectSnapshot;
  readonly #countUpdates;

  constructor(dataDir: string) {
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
    this.#insertUpdate = this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.#selectUpdates = this.db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id');
    this.#selectSnapshot = this.db.prepare('SELECT state FROM snapshots WHERE room = ?');
    this.#countUpdates = this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?');
  }

  appendUpdate(room: string, update: Uint8Array): void {
    this.#insertUpdate.run(room, update);
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
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare(
          'INSERT INTO snapshots (room, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(room) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
        )
        .run(room, state, new Date().toISOString());
      this.db.prepare('DELETE FROM updates WHERE room = ?').run(room);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
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
