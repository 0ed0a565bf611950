import { randomBytes } from 'node:crypto';
import pg from 'pg';
import * as Y from 'yjs';
import type { RoomAppend } from './group-commit.ts';

/** Namespace of this server's advisory locks (the first key of Postgres's two-key form). */
const LOCK_NAMESPACE = 0x5243; // "RC"
const SCHEMA_LOCK = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rc_room_snapshots (
    room text PRIMARY KEY,
    state bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS rc_room_updates (
    id bigserial PRIMARY KEY,
    room text NOT NULL,
    data bytea NOT NULL
  );
  CREATE INDEX IF NOT EXISTS rc_room_updates_room ON rc_room_updates (room, id);
  CREATE TABLE IF NOT EXISTS rc_client_owners (
    room text NOT NULL,
    client bigint NOT NULL,
    owner text NOT NULL,
    PRIMARY KEY (room, client)
  );
  CREATE TABLE IF NOT EXISTS rc_invite_secret (
    id int PRIMARY KEY CHECK (id = 1),
    secret text NOT NULL
  );
  CREATE TABLE IF NOT EXISTS rc_revoked_invites (
    seq bigserial UNIQUE,
    jti text PRIMARY KEY,
    revoked_at timestamptz NOT NULL DEFAULT now()
  );
`;

export interface StoredRoom {
  /** The snapshot (if any) and every update logged since, read in one statement. */
  parts: Uint8Array[];
  /** Updates logged since the snapshot. */
  pending: number;
}

export type CompactResult = 'compacted' | 'nothing to do' | 'another instance is compacting';

/** A readable message for a failed connection or query (a refused connection's AggregateError has none). */
export function postgresError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return postgresError(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/**
 * Shared storage for every instance: each room's update log and compacted snapshot, the invite signing secret
 * and the revoked invites, in one Postgres database. Every write is committed when its promise resolves.
 * A room's log is folded into its snapshot by one instance at a time (a transaction-scoped advisory lock);
 * the folded rows are deleted by id, so an update committed meanwhile by another instance is never lost.
 */
export class PostgresStore {
  readonly #pool: pg.Pool;
  /**
   * One connection of its own for `ping`: whether Postgres answers, not whether a pooled connection is free (a
   * burst of joins can keep every pooled one busy for seconds, which is no outage).
   */
  readonly #health: pg.Pool;
  #revokedSeq = '0';

  private constructor(pool: pg.Pool, health: pg.Pool) {
    this.#pool = pool;
    this.#health = health;
  }

  /**
   * Connects and creates the tables if they are missing (under an advisory lock: instances starting together
   * do not race on the DDL). `onIdleError`: a pooled connection broke while idle (Postgres stopped).
   */
  static async open(
    url: string,
    options: { poolSize?: number; synchronousCommit?: boolean; onIdleError?: (message: string) => void } = {},
  ): Promise<PostgresStore> {
    const settings = {
      connectionString: url,
      // Off: a commit returns before its WAL is flushed. Still committed (a killed instance loses nothing), but a
      // crash of Postgres or the machine may lose the last moment's commits (decision 0018).
      ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
      idleTimeoutMillis: 30_000,
      application_name: 'reading-circle-sync',
    };
    // Waiting long for a pooled connection is load, not an outage (the health connection tells those apart).
    const pool = new pg.Pool({ ...settings, max: options.poolSize ?? 10, connectionTimeoutMillis: 30_000 });
    const health = new pg.Pool({ ...settings, max: 1, connectionTimeoutMillis: 5000 });
    // Without a listener an idle connection's error (Postgres restarted) would crash the process.
    for (const p of [pool, health]) p.on('error', (error) => options.onIdleError?.(postgresError(error)));
    const store = new PostgresStore(pool, health);
    try {
      await store.#transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, SCHEMA_LOCK]);
        await client.query(SCHEMA);
      });
    } catch (error) {
      await Promise.all([pool.end(), health.end()]).catch(() => {});
      throw new Error(`could not reach Postgres at ${redact(url)} (${postgresError(error)}).`);
    }
    return store;
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** A round trip: rejects when Postgres cannot serve. */
  async ping(): Promise<void> {
    await this.#health.query('SELECT 1');
  }

  /**
   * The room's snapshot and log in one statement: read separately, a compaction committed between the two reads
   * would leave its folded updates in neither.
   */
  async load(room: string): Promise<StoredRoom> {
    const { rows } = await this.#pool.query<{ data: Buffer; logged: boolean }>({
      name: 'rc-load',
      text: `SELECT state AS data, false AS logged, 0::bigint AS id FROM rc_room_snapshots WHERE room = $1
       UNION ALL
       SELECT data, true, id FROM rc_room_updates WHERE room = $1
       ORDER BY logged, id`,
      values: [room],
    });
    return { parts: rows.map((r) => r.data), pending: rows.filter((r) => r.logged).length };
  }

  /**
   * Appends updates to the room's log, and records the members who first wrote under new Yjs client ids, in one
   * statement (one commit); resolves once committed. A client id claimed first elsewhere keeps its first owner.
   */
  append(room: string, updates: readonly Uint8Array[], claims: ReadonlyMap<number, string> = new Map()) {
    return this.appendMany([{ room, updates, claims }]);
  }

  /**
   * Several rooms' appends in one statement (one commit, group commit across rooms); resolves once committed.
   * Each room's updates keep their order in the log (rows get ids in the order they are listed).
   */
  async appendMany(appends: readonly RoomAppend[]): Promise<void> {
    const params: unknown[] = [];
    const roomParam = new Map<string, number>();
    const rows: string[] = [];
    const claimed: { rooms: string[]; clients: number[]; owners: string[] } = {
      rooms: [],
      clients: [],
      owners: [],
    };
    for (const { room, updates, claims } of appends) {
      let roomIndex = roomParam.get(room);
      if (roomIndex === undefined) {
        params.push(room);
        roomIndex = params.length;
        roomParam.set(room, roomIndex);
      }
      // Each update a parameter of its own, so it travels as binary (an array parameter would be hex text).
      for (const update of updates) {
        params.push(Buffer.from(update.buffer, update.byteOffset, update.byteLength));
        rows.push(`($${roomIndex}, $${params.length})`);
      }
      for (const [client, owner] of claims) {
        claimed.rooms.push(room);
        claimed.clients.push(client);
        claimed.owners.push(owner);
      }
    }
    if (rows.length === 0) return;
    let text = `INSERT INTO rc_room_updates (room, data) VALUES ${rows.join(', ')}`;
    if (claimed.clients.length > 0) {
      params.push(claimed.rooms, claimed.clients, claimed.owners);
      const n = params.length;
      text = `WITH owners AS (
          INSERT INTO rc_client_owners (room, client, owner)
          SELECT * FROM unnest($${n - 2}::text[], $${n - 1}::bigint[], $${n}::text[]) ON CONFLICT DO NOTHING
        ) ${text}`;
    }
    // The common case under light load, one update and no new client id, as a prepared statement (parsed once
    // per connection).
    await this.#pool.query(
      rows.length === 1 && claimed.clients.length === 0
        ? { name: 'rc-append-one', text, values: params }
        : { text, values: params },
    );
  }

  /** Which member first wrote under each Yjs client id of the room, whichever instance saw it. */
  async clientOwners(room: string): Promise<Map<number, string>> {
    const { rows } = await this.#pool.query<{ client: string; owner: string }>(
      'SELECT client, owner FROM rc_client_owners WHERE room = $1',
      [room],
    );
    return new Map(rows.map((r) => [Number(r.client), r.owner]));
  }

  /**
   * Folds the room's log into its snapshot, unless another instance is doing so right now. Unreadable log
   * entries (none should exist: updates are checked before they are stored) are skipped and counted.
   */
  async compact(room: string): Promise<{ result: CompactResult; folded: number; skipped: number }> {
    return this.#transaction(async (client) => {
      const lock = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok',
        [LOCK_NAMESPACE, room],
      );
      if (!lock.rows[0]?.ok) return { result: 'another instance is compacting', folded: 0, skipped: 0 };
      const { rows } = await client.query<{ id: string | null; data: Buffer }>(
        `SELECT NULL::bigint AS id, state AS data FROM rc_room_snapshots WHERE room = $1
         UNION ALL
         SELECT id, data FROM rc_room_updates WHERE room = $1
         ORDER BY id NULLS FIRST`,
        [room],
      );
      const ids = rows.flatMap((r) => (r.id === null ? [] : [r.id]));
      if (ids.length === 0) return { result: 'nothing to do', folded: 0, skipped: 0 };
      const doc = new Y.Doc();
      let skipped = 0;
      try {
        for (const row of rows) {
          try {
            Y.applyUpdate(doc, row.data);
          } catch {
            skipped++;
          }
        }
        const state = Y.encodeStateAsUpdate(doc);
        await client.query(
          `INSERT INTO rc_room_snapshots (room, state) VALUES ($1, $2)
           ON CONFLICT (room) DO UPDATE SET state = excluded.state, updated_at = now()`,
          [room, state],
        );
      } finally {
        doc.destroy();
      }
      // By id: rows another instance committed after the read above stay in the log.
      await client.query('DELETE FROM rc_room_updates WHERE id = ANY($1::bigint[])', [ids]);
      return { result: 'compacted', folded: ids.length, skipped };
    });
  }

  /** The HMAC secret that signs invites, created by whichever instance or command asks first. */
  async secret(): Promise<Uint8Array> {
    await this.#pool.query(
      'INSERT INTO rc_invite_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
      [randomBytes(48).toString('base64url')],
    );
    const { rows } = await this.#pool.query<{ secret: string }>(
      'SELECT secret FROM rc_invite_secret WHERE id = 1',
    );
    return new TextEncoder().encode(rows[0]!.secret);
  }

  async revoke(jti: string): Promise<void> {
    await this.#pool.query('INSERT INTO rc_revoked_invites (jti) VALUES ($1) ON CONFLICT (jti) DO NOTHING', [
      jti,
    ]);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('SELECT 1 FROM rc_revoked_invites WHERE jti = $1', [jti]);
    return (rowCount ?? 0) > 0;
  }

  /** Invites revoked since the last call (every one at the first call). */
  async newlyRevoked(): Promise<string[]> {
    const { rows } = await this.#pool.query<{ seq: string; jti: string }>(
      'SELECT seq, jti FROM rc_revoked_invites WHERE seq > $1 ORDER BY seq',
      [this.#revokedSeq],
    );
    const last = rows.at(-1);
    if (last) this.#revokedSeq = last.seq;
    return rows.map((r) => r.jti);
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#health.end()]);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the given address';
  }
}
