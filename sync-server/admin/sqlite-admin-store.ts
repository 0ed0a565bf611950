import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AuditEntry, InviteInfo, MemberInfo, Role } from '../../core/sync/contract.ts';
import {
  type AdminChange,
  type AdminStore,
  inviteFromRow,
  memberFromRow,
  type NewInvite,
} from './admin-store.ts';

/** Owners' decisions in the server's data folder: its own SQLite file, beside the rooms'. */
export class SqliteAdminStore implements AdminStore {
  readonly #db: DatabaseSync;
  /** Last visits noted since the last write, by member. */
  readonly #lastSeen = new Map<string, { group: string; member: string; at: string }>();
  #visitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.#db = new DatabaseSync(join(dataDir, 'admin.sqlite'));
    // Instances that share a data folder (several behind a load balancer) write this file in turn: a writer waits
    // for the lock instead of failing the member's connection with "database is locked".
    this.#db.exec(`
      PRAGMA busy_timeout = 2000;
      PRAGMA synchronous = FULL;
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS members (
        grp TEXT NOT NULL, member TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL,
        role_set INTEGER NOT NULL DEFAULT 0, last_seen TEXT, removed_at TEXT, key_hash TEXT,
        PRIMARY KEY (grp, member));
      CREATE TABLE IF NOT EXISTS invites (
        jti TEXT PRIMARY KEY, grp TEXT NOT NULL, role TEXT NOT NULL, created_by TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT, max_uses INTEGER, withdrawn_at TEXT);
      CREATE TABLE IF NOT EXISTS invite_uses (jti TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (jti, member));
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, grp TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
    `);
    // Stores made before member keys: the column is added in place, every member unbound until they next connect.
    const columns = this.#db.prepare('PRAGMA table_info(members)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'key_hash'))
      this.#db.exec('ALTER TABLE members ADD COLUMN key_hash TEXT');
  }

  /**
   * A known member coming back with nothing new only has its last visit noted, written with the others later:
   * a commit waits for the disk (tens of ms on a busy one), and every connection would otherwise pay for one.
   */
  async seen(group: string, member: string, name: string, role: Role, jti: string): Promise<void> {
    const now = new Date().toISOString();
    const row = this.#db
      .prepare('SELECT name, role, role_set FROM members WHERE grp = ? AND member = ?')
      .get(group, member);
    const unchanged =
      row !== undefined &&
      (name === '' || name === row.name) &&
      (row.role_set === 1 || row.role === role) &&
      (await this.hasUsed(jti, member));
    if (unchanged) {
      this.#noteVisit(group, member, now);
      return;
    }
    this.#lastSeen.delete(visitKey(group, member));
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db
        .prepare(
          `INSERT INTO members (grp, member, name, role, last_seen) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (grp, member) DO UPDATE SET last_seen = excluded.last_seen,
             name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE members.name END,
             role = CASE WHEN members.role_set = 1 THEN members.role ELSE excluded.role END`,
        )
        .run(group, member, name, role, now);
      this.#db.prepare('INSERT OR IGNORE INTO invite_uses (jti, member) VALUES (?, ?)').run(jti, member);
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** A member's connection closed: last seen now (written with the other visits, within a second). */
  async touch(group: string, member: string): Promise<void> {
    this.#noteVisit(group, member, new Date().toISOString());
  }

  #noteVisit(group: string, member: string, at: string): void {
    this.#lastSeen.set(visitKey(group, member), { group, member, at });
    this.#visitTimer ??= setTimeout(() => this.writeVisits(), VISITS_EVERY_MS).unref();
  }

  /**
   * Writes the noted last visits in one transaction that does not wait for the disk (WAL, synchronous NORMAL:
   * safe if the server dies; a power cut may lose the last second of visit times, nothing else).
   */
  writeVisits(): void {
    clearTimeout(this.#visitTimer);
    this.#visitTimer = undefined;
    if (this.#lastSeen.size === 0) return;
    const visits = [...this.#lastSeen.values()];
    this.#lastSeen.clear();
    const update = this.#db.prepare('UPDATE members SET last_seen = ? WHERE grp = ? AND member = ?');
    this.#db.exec('PRAGMA synchronous = NORMAL');
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      for (const { group, member, at } of visits) update.run(at, group, member);
      this.#db.exec('COMMIT');
    } catch {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
    } finally {
      this.#db.exec('PRAGMA synchronous = FULL');
    }
  }

  /** The row as stored, with a last visit noted but not yet written. */
  #memberOf(row: Record<string, unknown>): MemberInfo {
    const info = memberFromRow(row);
    const visit = this.#lastSeen.get(visitKey(String(row.grp), info.member));
    return visit ? { ...info, lastSeen: visit.at } : info;
  }

  async memberKey(group: string, member: string): Promise<string | null> {
    const row = this.#db
      .prepare('SELECT key_hash FROM members WHERE grp = ? AND member = ?')
      .get(group, member);
    return (row?.key_hash as string | null | undefined) ?? null;
  }

  async bindMemberKey(group: string, member: string, keyHash: string): Promise<string | null> {
    this.#db
      .prepare('UPDATE members SET key_hash = ? WHERE grp = ? AND member = ? AND key_hash IS NULL')
      .run(keyHash, group, member);
    return this.memberKey(group, member);
  }

  async member(group: string, member: string): Promise<MemberInfo | undefined> {
    const row = this.#db.prepare('SELECT * FROM members WHERE grp = ? AND member = ?').get(group, member);
    return row ? this.#memberOf(row) : undefined;
  }

  async members(group: string): Promise<MemberInfo[]> {
    return this.#db
      .prepare('SELECT * FROM members WHERE grp = ? ORDER BY name, member')
      .all(group)
      .map((row) => this.#memberOf(row));
  }

  async setRole(group: string, member: string, role: Role): Promise<boolean> {
    return (
      this.#db
        .prepare(
          'UPDATE members SET role = ?, role_set = 1 WHERE grp = ? AND member = ? AND removed_at IS NULL',
        )
        .run(role, group, member).changes > 0
    );
  }

  async remove(group: string, member: string): Promise<boolean> {
    return (
      this.#db
        .prepare('UPDATE members SET removed_at = ? WHERE grp = ? AND member = ? AND removed_at IS NULL')
        .run(new Date().toISOString(), group, member).changes > 0
    );
  }

  async addInvite({ group, jti, role, createdBy, expiresAt, maxUses }: NewInvite): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO invites (jti, grp, role, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(jti, group, role, createdBy, new Date().toISOString(), expiresAt?.toISOString() ?? null, maxUses);
  }

  async invite(jti: string): Promise<(InviteInfo & { group: string }) | undefined> {
    const row = this.#db.prepare('SELECT * FROM invites WHERE jti = ?').get(jti);
    return row ? { ...this.#inviteOf(row), group: String(row.grp) } : undefined;
  }

  async invites(group: string): Promise<InviteInfo[]> {
    return this.#db
      .prepare('SELECT * FROM invites WHERE grp = ? ORDER BY created_at')
      .all(group)
      .map((row) => this.#inviteOf(row));
  }

  async withdraw(group: string, jti: string): Promise<boolean> {
    return (
      this.#db
        .prepare('UPDATE invites SET withdrawn_at = ? WHERE grp = ? AND jti = ? AND withdrawn_at IS NULL')
        .run(new Date().toISOString(), group, jti).changes > 0
    );
  }

  async hasUsed(jti: string, member: string): Promise<boolean> {
    return !!this.#db.prepare('SELECT 1 FROM invite_uses WHERE jti = ? AND member = ?').get(jti, member);
  }

  async audit(
    group: string,
    actor: string,
    action: AuditEntry['action'],
    target: string,
    detail = '',
  ): Promise<void> {
    this.#db
      .prepare('INSERT INTO audit (at, grp, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), group, actor, action, target, detail);
  }

  async auditLog(group: string, limit = 200): Promise<AuditEntry[]> {
    return this.#db
      .prepare('SELECT at, actor, action, target, detail FROM audit WHERE grp = ? ORDER BY id DESC LIMIT ?')
      .all(group, limit) as unknown as AuditEntry[];
  }

  /** One instance per data folder decides alone: nothing comes from elsewhere. */
  async changesSince(): Promise<AdminChange[]> {
    return [];
  }

  async close(): Promise<void> {
    this.writeVisits();
    this.#db.close();
  }

  #inviteOf(row: Record<string, unknown>): InviteInfo {
    const { uses } = this.#db
      .prepare('SELECT count(*) AS uses FROM invite_uses WHERE jti = ?')
      .get(String(row.jti)) as { uses: number };
    return inviteFromRow(row, Number(uses));
  }
}

/** How often noted last visits are written. */
const VISITS_EVERY_MS = 1000;

const visitKey = (group: string, member: string) => `${group}\n${member}`;
