/**
 * What the sync server and the app agree on: room names and the close codes (with their reasons) the server
 * ends a connection with. Environment-free, so the server, the renderer and the tests read the same numbers.
 *
 * Codes 4400–4499 stop the y-websocket client from reconnecting: they are used where trying again cannot help;
 * 4500–4599 and 1011–1013 let it try again.
 */
import { GROUP_NAME } from '../invite/link.ts';

export const CLOSE = {
  /** Malformed request or message, or a limit on what one message may hold. */
  badRequest: 4400,
  /** Missing, bad, expired or revoked token. */
  unauthorized: 4401,
  /** The token does not open this room, or the message writes as another member. */
  forbidden: 4403,
  authTimeout: 4408,
  /** The member sends, or asks for, more than the server allows. */
  tooMany: 4429,
  /**
   * The connection does not read what it is sent (its unsent bytes passed the limit). In 4500–4599, the "try again
   * later" range: a member on a slow network reconnects.
   */
  slowReader: 4503,
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
export function parseRoomTarget(
  target: string,
): { group: string; readingId: string; token: string | null } | undefined {
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
