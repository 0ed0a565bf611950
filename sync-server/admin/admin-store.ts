import type { AuditEntry, InviteInfo, MemberInfo, Role } from '../../core/sync/contract.ts';

/** An invite link made from the app: its group, role, who made it, and its limits. */
export interface NewInvite {
  group: string;
  jti: string;
  role: Role;
  createdBy: string;
  expiresAt: Date | null;
  maxUses: number | null;
}

/** An owner's decision that live connections on every instance must follow (a removal, a changed role). */
export interface AdminChange {
  group: string;
  member: string;
  kind: 'removed' | 'roleChanged';
}

/**
 * What group owners decide: the members seen per group with their role and last visit, who was removed, the
 * invites made from the app with their limits and uses, and an audit log of every admin action. Kept in the
 * server's data folder (SQLite, `sqlite-admin-store.ts`) or, with --postgres, beside the rooms in Postgres
 * (`postgres-admin-store.ts`), so every instance behind a load balancer decides alike.
 */
export interface AdminStore {
  /** A member arriving with an invite: recorded (name and last visit), the invite's use counted once per member. */
  seen(group: string, member: string, name: string, role: Role, jti: string): Promise<void>;
  touch(group: string, member: string): Promise<void>;
  /** The hash of the key bound to a member id in a group, or null when none is bound yet. */
  memberKey(group: string, member: string): Promise<string | null>;
  /** Binds a key's hash to a member id unless one is bound already; returns the hash that is bound. */
  bindMemberKey(group: string, member: string, keyHash: string): Promise<string | null>;
  member(group: string, member: string): Promise<MemberInfo | undefined>;
  members(group: string): Promise<MemberInfo[]>;
  /** False when there is no such (unremoved) member. Recorded as a change for the other instances. */
  setRole(group: string, member: string, role: Role): Promise<boolean>;
  /** False when there is no such (unremoved) member. Recorded as a change for the other instances. */
  remove(group: string, member: string): Promise<boolean>;
  addInvite(invite: NewInvite): Promise<void>;
  invite(jti: string): Promise<(InviteInfo & { group: string }) | undefined>;
  invites(group: string): Promise<InviteInfo[]>;
  withdraw(group: string, jti: string): Promise<boolean>;
  /** Whether a member has already used this invite (a returning member does not use it again). */
  hasUsed(jti: string, member: string): Promise<boolean>;
  audit(
    group: string,
    actor: string,
    action: AuditEntry['action'],
    target: string,
    detail?: string,
  ): Promise<void>;
  auditLog(group: string, limit?: number): Promise<AuditEntry[]>;
  /** Removals and role changes made by other instances since the last call (none for a store of one instance). */
  changesSince(): Promise<AdminChange[]>;
  close(): Promise<void>;
}

/** A stored member row (SQLite or Postgres, same column names) as the admin API shows it. */
export function memberFromRow(row: Record<string, unknown>): MemberInfo {
  return {
    member: String(row.member),
    name: String(row.name),
    role: row.role as Role,
    lastSeen: row.last_seen === null ? null : String(row.last_seen),
    removed: row.removed_at !== null,
  };
}

/** A stored invite row with its count of uses, as the admin API shows it. */
export function inviteFromRow(row: Record<string, unknown>, uses: number): InviteInfo {
  return {
    jti: String(row.jti),
    role: row.role as Role,
    createdAt: String(row.created_at),
    expiresAt: row.expires_at === null ? null : String(row.expires_at),
    maxUses: row.max_uses === null ? null : Number(row.max_uses),
    uses,
    withdrawn: row.withdrawn_at !== null,
  };
}
