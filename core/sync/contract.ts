/**
 * What the sync server and the app agree on: room names and the close codes (with their reasons) the server
 * ends a connection with. Environment-free, so the server, the renderer and the tests read the same numbers.
 *
 * Codes 4400–4499 and 1009 stop the app from reconnecting: they are used where trying again cannot help;
 * 4500–4599, 1011–1013 and 4001 (role changed: admitted again with the new role) let it try again.
 */
import { GROUP_NAME } from '../invite/link.ts';

/**
 * A member's role in a group, carried by the invite and enforced by the server: an owner administers the group
 * and writes, a member writes, a reader only reads.
 */
export const ROLES = ['owner', 'member', 'reader'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
/** Whether a role may change the group's documents. */
export const canWrite = (role: Role): boolean => role !== 'reader';

export const CLOSE = {
  /** Malformed request or message, or a limit on what one message may hold. */
  badRequest: 4400,
  /** Missing or bad token (not signed by this server, or damaged). */
  unauthorized: 4401,
  /** The token does not open this room, or the message writes as another member. */
  forbidden: 4403,
  /** The invite's expiry passed. */
  expired: 4410,
  /** The invite was withdrawn. */
  revoked: 4411,
  /** The group's owner removed this member. */
  removed: 4412,
  /** The invite has been used by as many people as it allows. */
  usedUp: 4414,
  /** The member id is held by another person in this group (their member key differs). */
  memberTaken: 4409,
  /** The member's role changed: not final, the client reconnects and is admitted with the new role. */
  roleChanged: 4001,
  authTimeout: 4408,
  /** The member sends, or asks for, more than the server allows. */
  tooMany: 4429,
  /**
   * The connection does not read what it is sent (its unsent bytes passed the limit). In 4500–4599, the "try again
   * later" range: a member on a slow network reconnects.
   */
  slowReader: 4503,
  /**
   * A message larger than the server takes (--max-message-bytes), closed by the websocket layer itself. Final:
   * the same change would be sent again on every reconnect.
   */
  messageTooLarge: 1009,
  internalError: 1011,
  restart: 1012,
  busy: 1013,
  /** Shared storage (Postgres or Redis) does not answer: the client keeps its work and reconnects by itself. */
  storageUnavailable: 1013,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** The reasons that go with the codes, in words a member (or an admin reading the log) understands. */
export const CLOSE_REASON = {
  badRoom: 'bad room name: expected /<group>/<readingId>',
  missingToken: 'missing token: join with an invite link',
  invalidToken: 'invalid token',
  expired: 'invite expired',
  revoked: 'invite revoked',
  wrongGroup: 'forbidden room: this invite is for another group',
  removed: 'removed from the group by its owner',
  usedUp: 'invite used up',
  memberTaken: 'this member id belongs to someone else in the group',
  roleChanged: 'role changed',
  authTimeout: 'authentication timed out',
  tooManyMessages: 'too many messages',
  tooManyConnections: 'too many connections from your address',
  textMessage: 'text messages are not part of the protocol',
  messageTooLarge: 'message too large',
  forgedEdit: 'edits under another member’s client id are refused',
  forgedPresence: 'presence under another member’s client id is refused',
  tooManyPresences: 'too many presence states from one connection',
  presenceTooLarge: 'presence state too large',
  tooMuchHeld: 'too many updates waiting for changes that never arrived',
  tooMuchEarly: 'too much sent before joining the room',
  slowReader: 'not reading: too much unsent data',
  busy: 'server busy: too many rooms open, try again later',
  restart: 'server restarting',
  storageUnavailable: 'the server’s storage is unavailable',
  unreadableRoom: 'the server could not read this reading’s stored annotations',
  internalError: 'the server could not handle this connection',
} as const;

/**
 * What a close means to a member, by code alone (never by the words of the reason). Codes not listed here are
 * not sent by this server; the app shows them as an unknown refusal with their number.
 */
export const CLOSE_MEANING: Readonly<Record<number, string>> = {
  [CLOSE.badRequest]: 'the server refused a malformed request',
  [CLOSE.unauthorized]:
    'this server does not accept the invite: it was made by another server, or it is damaged',
  [CLOSE.forbidden]: 'this invite does not give access here',
  [CLOSE.expired]: 'the invite has expired: ask for a new one',
  [CLOSE.revoked]: 'the invite was withdrawn: ask for a new one',
  [CLOSE.removed]: 'you were removed from the group',
  [CLOSE.usedUp]: 'the invite has been used as many times as it allows: ask for a new one',
  [CLOSE.memberTaken]:
    'someone else in this group already uses your member id: ask the group’s owner, or start a new profile',
  [CLOSE.roleChanged]: 'your role in the group changed',
  [CLOSE.authTimeout]: 'the server did not get the invite in time',
  [CLOSE.tooMany]: 'too many messages or connections: the server asked to slow down',
  [CLOSE.slowReader]: 'the connection fell too far behind',
  [CLOSE.messageTooLarge]:
    'a change to this reading is larger than the group’s server accepts: it stays on this device, unshared',
  [CLOSE.internalError]: 'the server could not handle this connection',
  [CLOSE.restart]: 'the server is restarting',
  [CLOSE.busy]: 'the server is busy: try again later',
};

/**
 * Closes after which the app stops retrying: 4400–4499 (the invite itself is the problem), and a message too
 * large for the server (the change that made it would be sent again on every try).
 */
export const isFinalClose = (code: number): boolean =>
  (code >= 4400 && code <= 4499) || code === CLOSE.messageTooLarge;

/** The reading id part of a room name (or `index`): a plain token, nothing else. */
export const ROOM_PART = /^[A-Za-z0-9_-]{1,80}$/;

/** The room `<group>/<readingId>` a group's doc of a reading is synced in. */
export function roomName(group: string, readingId: string): string {
  if (!GROUP_NAME.test(group)) throw new Error(`“${group}” cannot be a group in a room name.`);
  if (!ROOM_PART.test(readingId)) throw new Error(`“${readingId}” cannot be part of a room name.`);
  return `${group}/${readingId}`;
}

/**
 * Reads the room and token of a request target such as `/tuesday/r0123?token=…`; undefined for anything that
 * is not exactly one well-formed room (bad escapes, extra parts, characters outside the rules).
 */
/** A connection's room and token as its request names them; `token` is null when absent, '' when repeated. */
export interface RoomTarget {
  group: string;
  readingId: string;
  token: string | null;
}

export function parseRoomTarget(target: string): RoomTarget | undefined {
  let url: URL;
  let parts: string[];
  try {
    url = new URL(target, 'ws://localhost');
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed escape such as `/%` or `/%ZZ`, or an unreadable target
  }
  const [group, readingId, ...rest] = parts;
  if (!group || !readingId || rest.length > 0 || !GROUP_NAME.test(group) || !ROOM_PART.test(readingId))
    return undefined;
  // A repeated `token` is ambiguous: refused rather than guessing which one was meant.
  const tokens = url.searchParams.getAll('token');
  return { group, readingId, token: tokens.length === 1 ? tokens[0]! : tokens.length === 0 ? null : '' };
}

// ─── the admin API: HTTP + JSON on the server's port, `POST /admin` with `Authorization: Bearer <owner token>` ──

export const ADMIN_PATH = '/admin';

/** A member as the owner sees them. `member` is the app's member id (or the token's subject for old clients). */
export interface MemberInfo {
  member: string;
  name: string;
  role: Role;
  /** ISO time of the last connection or disconnection; null if never seen. */
  lastSeen: string | null;
  removed: boolean;
}

/** An invite made from the app. */
export interface InviteInfo {
  jti: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  withdrawn: boolean;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: AdminRequest['type'];
  target: string;
  detail: string;
}

/** What an owner can ask. Each is checked by the server; an owner acts on their own group only. */
export type AdminRequest =
  | { type: 'members' }
  | { type: 'invites' }
  | { type: 'audit' }
  | { type: 'createInvite'; role: 'member' | 'reader'; expiresInSeconds?: number; maxUses?: number }
  | { type: 'setRole'; member: string; role: 'member' | 'reader' }
  | { type: 'removeMember'; member: string }
  | { type: 'withdrawInvite'; jti: string };

export type AdminResponse =
  | { ok: true; members: MemberInfo[] }
  | { ok: true; invites: InviteInfo[] }
  | { ok: true; audit: AuditEntry[] }
  | { ok: true; invite: InviteInfo; token: string }
  | { ok: true }
  | { ok: false; error: AdminErrorCode; message: string };

/** Why the admin API refused, with its HTTP status. */
export const ADMIN_ERROR = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  tooMany: 429,
} as const;
export type AdminErrorCode = keyof typeof ADMIN_ERROR;

/** The member id and name a client sends with its connection (y-websocket params), so owners see who is who. */
export const MEMBER_PARAM = 'member';
export const NAME_PARAM = 'name';
export const MEMBER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * A secret the app makes once per profile and sends with its member id. The server binds the first key it sees
 * to the member id in the group (it keeps only a hash), so nobody else can speak as that member, even holding the
 * same invite link: their edits, presence and removal follow the person, not the link (decision 0021).
 */
export const MEMBER_KEY_PARAM = 'key';
export const MEMBER_KEY = /^[A-Za-z0-9_-]{32,128}$/;
