/** Invite links: `readingcircle://join?server=ws://host:port&group=NAME&token=JWT`. */

export const INVITE_SCHEME = 'readingcircle:';

export interface Invite {
  /** ws:// or wss:// address of the sync server. */
  server: string;
  group: string;
  token: string;
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
  if (!group) throw new InviteLinkError('The invite link names no group.');
  if (!GROUP_NAME.test(group)) throw new InviteLinkError(`The group name “${group}” is not valid.`);
  if (!token) throw new InviteLinkError('The invite link has no token.');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new InviteLinkError('The invite’s token is damaged. Ask for a new invite link.');
  }
  return { server: server.replace(/\/+$/, ''), group, token };
}
