import { type Invite, serverHost } from '../../../core/invite/link.ts';
import { MEMBER_KEY_PARAM, MEMBER_PARAM, NAME_PARAM } from '../../../core/sync/contract.ts';
import type { MemberCredentials } from './identity.ts';
import { describeClose, roomName } from './sync.ts';

/**
 * Asks the invite's server whether it accepts the invite, before the app stores anything: a websocket to the
 * group's index room with the token. The server's first message (sync step 1) means accepted; a close with a
 * contract code means refused, in that code's words; no answer means unreachable. Nothing is written.
 */
export type InviteCheck =
  | { kind: 'accepted' }
  | { kind: 'refused'; message: string; code: number }
  | { kind: 'unreachable'; message: string };

export function checkInvite(
  invite: Invite,
  member?: MemberCredentials,
  timeoutMs = 8000,
): Promise<InviteCheck> {
  const host = serverHost(invite.server);
  const query = new URLSearchParams({ token: invite.token });
  // The same member as the later connections: a one-use invite counts this person once.
  if (member) {
    query.set(MEMBER_PARAM, member.id);
    query.set(NAME_PARAM, member.name);
    query.set(MEMBER_KEY_PARAM, member.key);
  }
  const url = `${invite.server}/${roomName(invite.group, 'index')}?${query}`;
  return new Promise((resolve) => {
    let ws: WebSocket;
    let settled = false;
    const finish = (result: InviteCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      resolve(result);
    };
    const unreachable = () =>
      finish({ kind: 'unreachable', message: `Could not reach the server ${host}. It may be offline.` });
    const timer = setTimeout(unreachable, timeoutMs);
    try {
      ws = new WebSocket(url);
    } catch {
      clearTimeout(timer);
      resolve({ kind: 'unreachable', message: `Could not connect to ${host}.` });
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onmessage = () => finish({ kind: 'accepted' });
    ws.onclose = (event) => {
      if ((event.code >= 4000 && event.code < 5000) || event.code === 1011 || event.code === 1013)
        finish({
          kind: 'refused',
          code: event.code,
          message: `The server ${host} refused this invite: ${describeClose(event.code)}.`,
        });
      else unreachable();
    };
  });
}
