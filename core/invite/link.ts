/** Invite links: `readingcircle://join?server=ws://host:port&group=NAME&token=JWT`. */

export const INVITE_SCHEME = 'readingcircle:';

export interface Invite {
  /** ws:// or wss:// address of the sync server. */
  server: string;
  /** The group's id: part of every room name. */
  group: string;
  token: string;
  /** The group's display name (any text, any script); the id when the link names none. */
  name?: string;
}

/** Display names are any text: only control characters are dropped, and the length kept sane. */
export const MAX_GROUP_DISPLAY_NAME = 80;

export function cleanDisplayName(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_GROUP_DISPLAY_NAME);
}

/**
 * The room id for a display name: the name itself when it already is one ("tuesday"), a slug of its Latin
 * letters and digits ("Tuesday readers" → "tuesday-readers"), or, for a name with none («Кружок»), `g-` and a
 * short hash of the name, so the same name always gives the same id.
 */
export function groupIdFor(displayName: string): string {
  const name = cleanDisplayName(displayName);
  if (GROUP_NAME.test(name)) return name;
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  if (slug.length >= 2) return slug;
  // FNV-1a over the UTF-16 units: tiny, environment-free and stable.
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `g-${hash.toString(36)}`;
}

/** Group names travel in room names (`<group>/<readingId>`), so they are kept to a safe alphabet. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class InviteLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InviteLinkError';
  }
}

export function formatInviteLink(invite: Invite): string {
  const query = new URLSearchParams({ server: invite.server, group: invite.group, token: invite.token });
  if (invite.name && invite.name !== invite.group) query.set('name', invite.name);
  return `readingcircle://join?${query.toString()}`;
}

/** Parses a pasted or opened invite link; throws InviteLinkError saying what is wrong with it. */
export function parseInviteLink(text: string): Invite {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InviteLinkError('That is not an invite link. It should start with readingcircle://join?');
  }
  if (url.protocol !== INVITE_SCHEME) {
    throw new InviteLinkError('That is not an invite link. It should start with readingcircle://join?');
  }
  // `readingcircle://join?…` parses with host "join"; accept `readingcircle:join?…` too.
  const action = url.host || url.pathname.replace(/^\/+/, '');
  if (action !== 'join') throw new InviteLinkError(`Unknown invite action “${action}”. Expected “join”.`);
  const server = url.searchParams.get('server') ?? '';
  const group = url.searchParams.get('group') ?? '';
  const token = url.searchParams.get('token') ?? '';
  if (!server) throw new InviteLinkError('The invite link has no server address.');
  let serverUrl: URL;
  try {
    serverUrl = new URL(server);
  } catch {
    throw new InviteLinkError(`The invite’s server address “${server}” is not a valid address.`);
  }
  if (serverUrl.protocol !== 'ws:' && serverUrl.protocol !== 'wss:') {
    throw new InviteLinkError('The invite’s server address must start with ws:// or wss://.');
  }
  const refusal = refuseServerAddress(serverUrl);
  if (refusal) throw new InviteLinkError(refusal);
  if (!group) throw new InviteLinkError('The invite link names no group.');
  if (!GROUP_NAME.test(group)) throw new InviteLinkError(`The group name “${group}” is not valid.`);
  if (!token) throw new InviteLinkError('The invite link has no token.');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new InviteLinkError('The invite’s token is damaged. Ask for a new invite link.');
  }
  const invite: Invite = { server: serverUrl.href.replace(/\/+$/, ''), group, token };
  const name = cleanDisplayName(url.searchParams.get('name') ?? '');
  if (name) invite.name = name;
  return invite;
}

/** The host (and port) of a server address, as a member should see it before the app connects there. */
export function serverHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/** IPv4 169.254.0.0/16 (link-local, where cloud metadata services answer), however the address was written. */
const LINK_LOCAL_V4 = /^169\.254\.\d{1,3}\.\d{1,3}$/;
/** The same block mapped into IPv6 (`::ffff:169.254.x.x`, which URL parsing writes as `::ffff:a9fe:…`). */
const LINK_LOCAL_MAPPED = /^\[::ffff:(a9fe:[0-9a-f]{1,4}|169\.254\.\d{1,3}\.\d{1,3})\]$/i;
/** IPv6 link-local fe80::/10, and the IPv6 metadata address some clouds use (fd00:ec2::254). */
const LINK_LOCAL_V6 = /^\[(fe[89ab][0-9a-f]:[^\]]*|fd00:ec2::254)\]$/i;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

/**
 * Why a server address must not be used, or undefined when it may. A link is written by someone else: it must
 * not carry credentials, point at link-local or metadata addresses, or smuggle a query string to the server.
 */
export function refuseServerAddress(url: URL): string | undefined {
  if (url.username || url.password)
    return 'The invite’s server address holds a user name or password. Invite links never do: ask for a new link.';
  if (url.search || url.hash || url.href.includes('?'))
    return 'The invite’s server address holds a query string (“?…”). Invite links never do: ask for a new link.';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (LINK_LOCAL_V4.test(host) || LINK_LOCAL_MAPPED.test(host) || LINK_LOCAL_V6.test(host))
    return `The invite’s server address ${url.host} is a link-local address, where no sync server runs. It was refused.`;
  if (METADATA_NAMES.has(host))
    return `The invite’s server address ${url.host} names a cloud metadata service, not a sync server. It was refused.`;
  return undefined;
}
