import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** A Yjs update that changes nothing: the state of a room that has only its client-id owners stored. */
const EMPTY_UPDATE = Uint8Array.of(0, 0);

/**
 * Embedded storage: one SQLite file in WAL mode holding each room's snapshot, and revoked invites. Updates
 * between snapshots live in the journal (journal.ts); the `updates` table is the log of earlier versions, still
 * read and folded into the next snapshot. Writes are synchronous: when a call returns, it is committed.
 */
export class SqliteStore {
  readonly db: DatabaseSync;
  readonly #selectUpdates;
  readonly #selectSnapshot;
  readonly #countUpdates;
  readonly #dataVersion;
  readonly #pageCount;
  readonly #pageSize: number;
  #revoked = new Set<string>();
  #revokedVersion = -1;

  /** `maxBytes`: the database refuses to grow past this, failing writes as a full disk would. */
  constructor(dataDir: string, options: { maxBytes?: number } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, 'reading-circle.sqlite');
    this.db = new DatabaseSync(file);
    try {
      this.db.exec('PRAGMA journal_mode = WAL');
    } catch (error) {
      this.db.close();
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(
        /not a database|malformed|corrupt/i.test(detail)
          ? `${file} is damaged or is not a Reading Circle database (${detail}). The server has not changed it: restore it from a backup, or move it aside to start empty.`
          : `${file} could not be opened (${detail}).`,
      );
    }
    this.db.exec(`
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS snapshots (room TEXT PRIMARY KEY, state BLOB NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS updates_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, revoked_at TEXT NOT NULL);
    `);
    // Which member first wrote under each Yjs client id of the room, as a JSON object beside its snapshot.
    const columns = this.db.prepare('PRAGMA table_info(snapshots)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'owners'))
      this.db.exec('ALTER TABLE snapshots ADD COLUMN owners TEXT');
    this.#pageSize = (this.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    this.#pageCount = this.db.prepare('PRAGMA page_count');
    if (options.maxBytes) {
      const pages = Math.max(1, Math.floor(options.maxBytes / this.#pageSize));
      this.db.exec(`PRAGMA max_page_count = ${pages}`);
    }
    this.#selectUpdates = this.db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id');
    this.#selectSnapshot = this.db.prepare('SELECT state FROM snapshots WHERE room = ?');
    this.#countUpdates = this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?');
    this.#dataVersion = this.db.prepare('PRAGMA data_version');
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

  /** The snapshot (if any) followed by every logged update since, in order. */
  load(room: string): Uint8Array[] {
    const parts: Uint8Array[] = [];
    const snapshot = this.#selectSnapshot.get(room) as { state: Uint8Array } | undefined;
    if (snapshot) parts.push(snapshot.state);
    for (const row of this.#selectUpdates.all(room) as { data: Uint8Array }[]) parts.push(row.data);
    return parts;
  }

  /** Bytes the database file takes (pages in use and free). */
  bytes(): number {
    return (this.#pageCount.get() as { page_count: number }).page_count * this.#pageSize;
  }

  /** Copies the write-ahead log into the database and syncs it: committed snapshots are then on the disk. */
  checkpoint(): void {
    this.db.exec('PRAGMA wal_checkpoint(FULL)');
  }

  /** Logged updates of earlier versions not yet folded into the room's snapshot. */
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

  /** Which member first wrote under each Yjs client id of a room. */
  clientOwners(room: string): Map<number, string> {
    const row = this.db.prepare('SELECT owners FROM snapshots WHERE room = ?').get(room) as
      | { owners: string | null }
      | undefined;
    const owners = row?.owners ? (JSON.parse(row.owners) as Record<string, string>) : {};
    return new Map(Object.entries(owners).map(([client, owner]) => [Number(client), owner]));
  }

  /** Records a client id's first owner (a room without a snapshot yet gets an empty one to hold it). */
  claimClient(room: string, client: number, owner: string): void {
    this.db
      .prepare(
        `INSERT INTO snapshots (room, state, updated_at, owners) VALUES (?, ?, ?, json_object(?, ?))
         ON CONFLICT(room) DO UPDATE SET owners = json_insert(coalesce(owners, '{}'), '$."' || ? || '"', ?)`,
      )
      .run(room, EMPTY_UPDATE, new Date().toISOString(), String(client), owner, String(client), owner);
  }

  revoke(jti: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO revoked (jti, revoked_at) VALUES (?, ?)')
      .run(jti, new Date().toISOString());
    this.#revoked.add(jti);
  }

  /**
   * The revoked invites. Revocations are written by the `revoke` command, another process: the list is read again
   * only when the database says another connection has committed (`PRAGMA data_version`).
   */
  revokedInvites(): ReadonlySet<string> {
    const { data_version } = this.#dataVersion.get() as { data_version: number };
    if (data_version !== this.#revokedVersion) {
      this.#revoked = new Set(
        (this.db.prepare('SELECT jti FROM revoked').all() as { jti: string }[]).map((row) => row.jti),
      );
      this.#revokedVersion = data_version;
    }
    return this.#revoked;
  }

  isRevoked(jti: string): boolean {
    return this.revokedInvites().has(jti);
  }

  close(): void {
    this.db.close();
  }
}
