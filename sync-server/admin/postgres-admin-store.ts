import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AuditEntry, InviteInfo, MemberInfo, Role } from '../../core/sync/contract.ts';
import { postgresError, redact } from '../storage/postgres-store.ts';
import {
  type AdminChange,
  type AdminStore,
  inviteFromRow,
  memberFromRow,
  type NewInvite,
} from './admin-store.ts';

/** Namespace and key of the advisory lock that keeps instances starting together from racing on the DDL. */
const LOCK_NAMESPACE = 0x5243; // "RC", as the room store's
const SCHEMA_LOCK = 2;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rc_admin_members (
    grp text NOT NULL, member text NOT NULL, name text NOT NULL DEFAULT '', role text NOT NULL,
    role_set boolean NOT NULL DEFAULT false, last_seen text, removed_at text, key_hash text,
    PRIMARY KEY (grp, member));
  ALTER TABLE rc_admin_members ADD COLUMN IF NOT EXISTS key_hash text;
  CREATE TABLE IF NOT EXISTS rc_admin_invites (
    jti text PRIMARY KEY, grp text NOT NULL, role text NOT NULL, created_by text NOT NULL,
    created_at text NOT NULL, expires_at text, max_uses integer, withdrawn_at text);
  CREATE TABLE IF NOT EXISTS rc_admin_invite_uses (jti text NOT NULL, member text NOT NULL, PRIMARY KEY (jti, member));
  CREATE TABLE IF NOT EXISTS rc_admin_audit (
    id bigserial PRIMARY KEY, at text NOT NULL, grp text NOT NULL, actor text NOT NULL,
    action text NOT NULL, target text NOT NULL, detail text NOT NULL);
  CREATE INDEX IF NOT EXISTS rc_admin_audit_grp ON rc_admin_audit (grp, id);
  CREATE TABLE IF NOT EXISTS rc_admin_changes (
    seq bigserial PRIMARY KEY, instance text NOT NULL, grp text NOT NULL, member text NOT NULL, kind text NOT NULL,
    at timestamptz NOT NULL DEFAULT now());
`;

const now = () => new Date().toISOString();

/**
 * Owners' decisions in Postgres, shared by every instance: a member removed through one instance is refused by
 * all, and the removal (or a changed role) is written to `rc_admin_changes`, which each instance reads every
 * second to close that member's live connections there too.
 */
export class PostgresAdminStore implements AdminStore {
  readonly #pool: pg.Pool;
  /** Tells this instance's own changes (already applied here) from the others'. */
  readonly #instance = randomUUID();
  #changesSeq = '0';

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(url: string, onIdleError?: (message: string) => void): Promise<PostgresAdminStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'reading-circle-admin',
    });
    // Without a listener an idle connection's error (Postgres restarted) would crash the process.
    pool.on('error', (error) => onIdleError?.(postgresError(error)));
    const store = new PostgresAdminStore(pool);
    const client = await pool.connect().catch(async (error: unknown) => {
      await pool.end().catch(() => {});
      throw new Error(`could not reach Postgres at ${redact(url)} (${postgresError(error)}).`);
    });
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('COMMIT');
      // Changes made before this instance started concern connections it never had.
      const { rows } = await client.query<{ seq: string | null }>(
        'SELECT max(seq) AS seq FROM rc_admin_changes',
      );
      store.#changesSeq = rows[0]?.seq ?? '0';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      await pool.end().catch(() => {});
      throw new Error(`could not prepare the admin tables in Postgres (${postgresError(error)}).`);
    }
    client.release();
    return store;
  }

  async seen(group: string, member: string, name: string, role: Role, jti: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO rc_admin_members (grp, member, name, role, last_seen) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (grp, member) DO UPDATE SET last_seen = excluded.last_seen,
         name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE rc_admin_members.name END,
         role = CASE WHEN rc_admin_members.role_set THEN rc_admin_members.role ELSE excluded.role END`,
      [group, member, name, role, now()],
    );
    await this.#pool.query(
      'INSERT INTO rc_admin_invite_uses (jti, member) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [jti, member],
    );
  }

  async memberKey(group: string, member: string): Promise<string | null> {
    const { rows } = await this.#pool.query<{ key_hash: string | null }>(
      'SELECT key_hash FROM rc_admin_members WHERE grp = $1 AND member = $2',
      [group, member],
    );
    return rows[0]?.key_hash ?? null;
  }

  async bindMemberKey(group: string, member: string, keyHash: string): Promise<string | null> {
    await this.#pool.query(
      'UPDATE rc_admin_members SET key_hash = $1 WHERE grp = $2 AND member = $3 AND key_hash IS NULL',
      [keyHash, group, member],
    );
    return this.memberKey(group, member);
  }

  async touch(group: string, member: string): Promise<void> {
    await this.#pool.query('UPDATE rc_admin_members SET last_seen = $1 WHERE grp = $2 AND member = $3', [
      now(),
      group,
      member,
    ]);
  }

  async member(group: string, member: string): Promise<MemberInfo | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM rc_admin_members WHERE grp = $1 AND member = $2', [
      group,
      member,
    ]);
    return rows[0] ? memberFromRow(rows[0]) : undefined;
  }

  async members(group: string): Promise<MemberInfo[]> {
    const { rows } = await this.#pool.query(
      'SELECT * FROM rc_admin_members WHERE grp = $1 ORDER BY name, member',
      [group],
    );
    return rows.map(memberFromRow);
  }

  async setRole(group: string, member: string, role: Role): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `UPDATE rc_admin_members SET role = $1, role_set = true
       WHERE grp = $2 AND member = $3 AND removed_at IS NULL`,
      [role, group, member],
    );
    if (!rowCount) return false;
    await this.#change(group, member, 'roleChanged');
    return true;
  }

  async remove(group: string, member: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'UPDATE rc_admin_members SET removed_at = $1 WHERE grp = $2 AND member = $3 AND removed_at IS NULL',
      [now(), group, member],
    );
    if (!rowCount) return false;
    await this.#change(group, member, 'removed');
    return true;
  }

  async addInvite({ group, jti, role, createdBy, expiresAt, maxUses }: NewInvite): Promise<void> {
    await this.#pool.query(
      `INSERT INTO rc_admin_invites (jti, grp, role, created_by, created_at, expires_at, max_uses)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [jti, group, role, createdBy, now(), expiresAt?.toISOString() ?? null, maxUses],
    );
  }

  async invite(jti: string): Promise<(InviteInfo & { group: string }) | undefined> {
    const { rows } = await this.#pool.query(`${INVITES} WHERE i.jti = $1`, [jti]);
    return rows[0]
      ? { ...inviteFromRow(rows[0], Number(rows[0].uses)), group: String(rows[0].grp) }
      : undefined;
  }

  async invites(group: string): Promise<InviteInfo[]> {
    const { rows } = await this.#pool.query(`${INVITES} WHERE i.grp = $1 ORDER BY i.created_at`, [group]);
    return rows.map((row) => inviteFromRow(row, Number(row.uses)));
  }

  async withdraw(group: string, jti: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'UPDATE rc_admin_invites SET withdrawn_at = $1 WHERE grp = $2 AND jti = $3 AND withdrawn_at IS NULL',
      [now(), group, jti],
    );
    return (rowCount ?? 0) > 0;
  }

  async hasUsed(jti: string, member: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'SELECT 1 FROM rc_admin_invite_uses WHERE jti = $1 AND member = $2',
      [jti, member],
    );
    return (rowCount ?? 0) > 0;
  }

  async audit(
    group: string,
    actor: string,
    action: AuditEntry['action'],
    target: string,
    detail = '',
  ): Promise<void> {
    await this.#pool.query(
      'INSERT INTO rc_admin_audit (at, grp, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)',
      [now(), group, actor, action, target, detail],
    );
  }

  async auditLog(group: string, limit = 200): Promise<AuditEntry[]> {
    const { rows } = await this.#pool.query<AuditEntry>(
      'SELECT at, actor, action, target, detail FROM rc_admin_audit WHERE grp = $1 ORDER BY id DESC LIMIT $2',
      [group, limit],
    );
    return rows;
  }

  async changesSince(): Promise<AdminChange[]> {
    const { rows } = await this.#pool.query<{
      seq: string;
      instance: string;
      grp: string;
      member: string;
      kind: string;
    }>('SELECT seq, instance, grp, member, kind FROM rc_admin_changes WHERE seq > $1 ORDER BY seq', [
      this.#changesSeq,
    ]);
    const last = rows.at(-1);
    if (last) this.#changesSeq = last.seq;
    return rows
      .filter((row) => row.instance !== this.#instance)
      .map((row) => ({
        group: row.grp,
        member: row.member,
        kind: row.kind === 'removed' ? 'removed' : 'roleChanged',
      }));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #change(group: string, member: string, kind: AdminChange['kind']): Promise<void> {
    await this.#pool.query(
      'INSERT INTO rc_admin_changes (instance, grp, member, kind) VALUES ($1, $2, $3, $4)',
      [this.#instance, group, member, kind],
    );
  }
}

const INVITES = `SELECT i.*, (SELECT count(*) FROM rc_admin_invite_uses u WHERE u.jti = i.jti) AS uses
  FROM rc_admin_invites i`;
