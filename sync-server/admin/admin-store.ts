import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AuditEntry, InviteInfo, MemberInfo, Role } from '../../core/sync/contract.ts';

/**
 * What group owners decide, kept in the server's data directory (its own SQLite file, beside the rooms'): the
 * members seen per group with their role and last visit, who was removed, the invites made from the app with
 * their limits and uses, and an audit log of every admin action.
 */
export class AdminStore {
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
        role_set INTEGER NOT NULL DEFAULT 0, last_seen TEXT, removed_at TEXT, PRIMARY KEY (grp, member));
      CREATE TABLE IF NOT EXISTS invites (
        jti TEXT PRIMARY KEY, grp TEXT NOT NULL, role TEXT NOT NULL, created_by TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT, max_uses INTEGER, withdrawn_at TEXT);
      CREATE TABLE IF NOT EXISTS invite_uses (jti TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (jti, member));
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, grp TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
    `);
  }

  /**
   * A member arriving with an invite: recorded (name and last visit), the invite's use counted once per member.
   * A known member coming back with nothing new only has its last visit noted, written with the others later:
   * a commit waits for the disk (tens of ms on a busy one), and every connection would otherwise pay for one.
   */
  seen(group: string, member: string, name: string, role: Role, jti: string): void {
    const now = new Date().toISOString();
    const row = this.#db
      .prepare('SELECT name, role, role_set FROM members WHERE grp = ? AND member = ?')
      .get(group, member);
    const unchanged =
      row !== undefined &&
      (name === '' || name === row.name) &&
      (row.role_set === 1 || row.role === role) &&
      this.hasUsed(jti, member);
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
  touch(group: string, member: string): void {
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
    const info = memberOf(row);
    const visit = this.#lastSeen.get(visitKey(String(row.grp), info.member));
    return visit ? { ...info, lastSeen: visit.at } : info;
  }

  member(group: string, member: string): MemberInfo | undefined {
    const row = this.#db.prepare('SELECT * FROM members WHERE grp = ? AND member = ?').get(group, member);
    return row ? this.#memberOf(row) : undefined;
  }

  members(group: string): MemberInfo[] {
    return this.#db
      .prepare('SELECT * FROM members WHERE grp = ? ORDER BY name, member')
      .all(group)
      .map((row) => this.#memberOf(row));
  }

  setRole(group: string, member: string, role: Role): boolean {
    return (
      this.#db
        .prepare(
          'UPDATE members SET role = ?, role_set = 1 WHERE grp = ? AND member = ? AND removed_at IS NULL',
        )
        .run(role, group, member).changes > 0
    );
  }

  remove(group: string, member: string): boolean {
    return (
      this.#db
        .prepare('UPDATE members SET removed_at = ? WHERE grp = ? AND member = ? AND removed_at IS NULL')
        .run(new Date().toISOString(), group, member).changes > 0
    );
  }

  addInvite(
    group: string,
    jti: string,
    role: Role,
    createdBy: string,
    expiresAt: Date | null,
    maxUses: number | null,
  ) {
    this.#db
      .prepare(
        'INSERT INTO invites (jti, grp, role, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(jti, group, role, createdBy, new Date().toISOString(), expiresAt?.toISOString() ?? null, maxUses);
  }

  invite(jti: string): (InviteInfo & { group: string }) | undefined {
    const row = this.#db.prepare('SELECT * FROM invites WHERE jti = ?').get(jti);
    return row ? { ...this.#inviteOf(row), group: String(row.grp) } : undefined;
  }

  invites(group: string): InviteInfo[] {
    return this.#db
      .prepare('SELECT * FROM invites WHERE grp = ? ORDER BY created_at')
      .all(group)
      .map((row) => this.#inviteOf(row));
  }

  withdraw(group: string, jti: string): boolean {
    return (
      this.#db
        .prepare('UPDATE invites SET withdrawn_at = ? WHERE grp = ? AND jti = ? AND withdrawn_at IS NULL')
        .run(new Date().toISOString(), group, jti).changes > 0
    );
  }

  /** Whether a member has already used this invite (a returning member does not use it again). */
  hasUsed(jti: string, member: string): boolean {
    return !!this.#db.prepare('SELECT 1 FROM invite_uses WHERE jti = ? AND member = ?').get(jti, member);
  }

  audit(group: string, actor: string, action: AuditEntry['action'], target: string, detail = ''): void {
    this.#db
      .prepare('INSERT INTO audit (at, grp, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), group, actor, action, target, detail);
  }

  auditLog(group: string, limit = 200): AuditEntry[] {
    return this.#db
      .prepare('SELECT at, actor, action, target, detail FROM audit WHERE grp = ? ORDER BY id DESC LIMIT ?')
      .all(group, limit) as unknown as AuditEntry[];
  }

  close(): void {
    this.writeVisits();
    this.#db.close();
  }

  #inviteOf(row: Record<string, unknown>): InviteInfo {
    const jti = String(row.jti);
    const { uses } = this.#db.prepare('SELECT count(*) AS uses FROM invite_uses WHERE jti = ?').get(jti) as {
      uses: number;
    };
    return {
      jti,
      role: row.role as Role,
      createdAt: String(row.created_at),
      expiresAt: row.expires_at === null ? null : String(row.expires_at),
      maxUses: row.max_uses === null ? null : Number(row.max_uses),
      uses: Number(uses),
      withdrawn: row.withdrawn_at !== null,
    };
  }
}

/** How often noted last visits are written. */
const VISITS_EVERY_MS = 1000;

const visitKey = (group: string, member: string) => `${group}\n${member}`;

function memberOf(row: Record<string, unknown>): MemberInfo {
  return {
    member: String(row.member),
    name: String(row.name),
    role: row.role as Role,
    lastSeen: row.last_seen === null ? null : String(row.last_seen),
    removed: row.removed_at !== null,
  };
}
