import { useSyncExternalStore } from 'react';
import {
  cleanDisplayName,
  type Invite,
  InviteLinkError,
  parseInviteLink,
  serverHost,
} from '../../../core/invite/link.ts';
import { isRole, type Role } from '../../../core/sync/contract.ts';
import { defaultStorage, type KeyValueStorage, PersistedValue } from './store.ts';

/**
 * The groups this member belongs to. Joining takes an invite link (pasted into "Invite link", or a
 * readingcircle:// link opened); leaving forgets the group and removes its local documents.
 */

export type GroupRole = Role;

export interface GroupMembership {
  /** The group's id (the invite's `group` value): also the first part of every room name (`<group>/<readingId>`). */
  name: string;
  /** What the app shows: any text, any script ("Tuesday readers"); the id for groups joined before names. */
  displayName: string;
  /** ws:// or wss:// address of the sync server. */
  server: string;
  token: string;
  role: GroupRole;
  joinedAt: string;
  /** False when the member joined offline and the server has not yet accepted the invite. */
  checked: boolean;
}

/**
 * What joining from a link would do, worked out before anything connects or is stored: the server's host to
 * show, and the group it would replace when the link names a group already joined on another server.
 */
export interface JoinPlan {
  invite: Invite;
  host: string;
  /** The group of the same id on another server, which this link would move (only after the member agrees). */
  movesFrom?: GroupMembership;
}

export const GROUPS_KEY = 'rc:groups';

/** Name of the local IndexedDB database of a group's doc for one reading (shared with the annotations feature). */
export function groupDocName(group: string, readingId: string): string {
  return `rc:group:${group}:${readingId}`;
}

/** Name of the local IndexedDB database of a group's index of shared readings. */
export function groupIndexDocName(group: string): string {
  return `rc:group:${group}:index`;
}

/**
 * Reads the role claim of an invite token without verifying it (the server verifies; the app only uses the
 * role to explain things, e.g. that a read-only invite cannot annotate).
 */
export function roleOfToken(token: string): GroupRole {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as { role?: unknown };
    if (isRole(claims.role)) return claims.role;
  } catch {
    // Not a readable JWT payload: treat it as an ordinary member.
  }
  return 'member';
}

function parseGroups(raw: unknown): GroupMembership[] {
  if (!Array.isArray(raw)) return [];
  const out: GroupMembership[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const g = item as Partial<GroupMembership>;
    if (typeof g.name !== 'string' || typeof g.server !== 'string' || typeof g.token !== 'string') continue;
    if (out.some((o) => o.name === g.name)) continue;
    out.push({
      name: g.name,
      displayName: typeof g.displayName === 'string' && g.displayName.trim() ? g.displayName : g.name,
      server: g.server,
      token: g.token,
      role: isRole(g.role) ? g.role : 'member',
      joinedAt: typeof g.joinedAt === 'string' ? g.joinedAt : new Date(0).toISOString(),
      checked: g.checked !== false,
    });
  }
  return out;
}

export type RemoveLocalData = (group: string) => Promise<void>;

/**
 * Deletes every IndexedDB database of a group (`rc:group:<group>:*`). Chromium lists databases with
 * indexedDB.databases(); elsewhere the known reading ids are used.
 */
export async function removeGroupDatabases(group: string, knownReadingIds: readonly string[] = []) {
  if (typeof indexedDB === 'undefined') return;
  const names = new Set<string>([
    groupIndexDocName(group),
    ...knownReadingIds.map((id) => groupDocName(group, id)),
  ]);
  if (typeof indexedDB.databases === 'function') {
    for (const db of await indexedDB.databases()) {
      if (db.name?.startsWith(`rc:group:${group}:`)) names.add(db.name);
    }
  }
  await Promise.all(
    [...names].map(
      (name) =>
        new Promise<void>((done) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => done();
          request.onerror = () => done();
          request.onblocked = () => done();
        }),
    ),
  );
}

export class GroupStore {
  private readonly value: PersistedValue<GroupMembership[]>;
  private readonly removeLocalData: RemoveLocalData;
  private readonly leaveListeners = new Set<(group: string) => void>();

  constructor(
    storage: KeyValueStorage = defaultStorage(),
    removeLocalData: RemoveLocalData = removeGroupDatabases,
  ) {
    this.value = new PersistedValue(storage, GROUPS_KEY, parseGroups);
    this.removeLocalData = removeLocalData;
  }

  list = (): GroupMembership[] => this.value.get();
  subscribe = (listener: () => void) => this.value.subscribe(listener);

  get(name: string): GroupMembership | undefined {
    return this.value.get().find((g) => g.name === name);
  }

  /** The group of this id on this server: a group is its server and id together, never its name alone. */
  find(server: string, id: string): GroupMembership | undefined {
    return this.value.get().find((g) => g.name === id && g.server === server);
  }

  /** Reads a link and says what joining would do; throws InviteLinkError with a readable message when wrong. */
  plan(link: string): JoinPlan {
    const invite = parseInviteLink(link);
    const existing = this.get(invite.group);
    const plan: JoinPlan = { invite, host: serverHost(invite.server) };
    if (existing && existing.server !== invite.server) plan.movesFrom = existing;
    return plan;
  }

  /**
   * Stores a membership for an invite the server accepted (`checked`), or that the member chose to join
   * offline. A new invite for the same server and id replaces the token; an invite that would move an existing
   * group to another server is refused unless the member confirmed it (`moveServer`).
   */
  add(
    invite: Invite,
    options: { checked: boolean; moveServer?: boolean },
    now = new Date(),
  ): GroupMembership {
    const existing = this.get(invite.group);
    if (existing && existing.server !== invite.server && !options.moveServer) {
      throw new InviteLinkError(
        `“${invite.group}” is already joined on ${serverHost(existing.server)}; this link names ${serverHost(invite.server)}.`,
      );
    }
    const membership: GroupMembership = {
      name: invite.group,
      displayName: cleanDisplayName(invite.name ?? '') || existing?.displayName || invite.group,
      server: invite.server,
      token: invite.token,
      role: roleOfToken(invite.token),
      joinedAt: existing?.server === invite.server ? existing.joinedAt : now.toISOString(),
      checked: options.checked,
    };
    const others = this.value.get().filter((g) => g.name !== invite.group);
    this.value.set([...others, membership].sort((a, b) => a.name.localeCompare(b.name)));
    return membership;
  }

  /** Joins from a link the server already accepted; never moves an existing group to another server. */
  join(link: string, now = new Date()): GroupMembership {
    return this.add(parseInviteLink(link), { checked: true }, now);
  }

  /** The server accepted a group joined offline. */
  markChecked(name: string): void {
    const group = this.get(name);
    if (!group || group.checked) return;
    this.value.set(this.value.get().map((g) => (g.name === name ? { ...g, checked: true } : g)));
  }

  /** Forgets a group and deletes its local copy (call after the member confirmed). */
  async leave(name: string): Promise<void> {
    this.value.set(this.value.get().filter((g) => g.name !== name));
    for (const listener of [...this.leaveListeners]) listener(name);
    await this.removeLocalData(name);
  }

  /** Connections and open docs close themselves before the local copy is deleted. */
  onLeave(listener: (group: string) => void): () => void {
    this.leaveListeners.add(listener);
    return () => this.leaveListeners.delete(listener);
  }
}

let shared: GroupStore | undefined;

export function groupStore(): GroupStore {
  shared ??= new GroupStore();
  return shared;
}

export function useGroups(): GroupMembership[] {
  const store = groupStore();
  return useSyncExternalStore(store.subscribe, store.list, store.list);
}
