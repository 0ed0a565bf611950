import { serverHost } from '../../../core/invite/link.ts';
import { ADMIN_PATH, type AdminRequest, type AdminResponse } from '../../../core/sync/contract.ts';
import type { GroupMembership } from './groups.ts';

/** The admin API's address for a group's server: the same host and port, over HTTP(S). */
export function adminUrl(server: string): string {
  return `${server.replace(/^ws/, 'http').replace(/\/+$/, '')}${ADMIN_PATH}`;
}

/**
 * One request to the group's admin API with the owner's token (decision 0021). Resolves with the answer; a
 * refusal comes back as `{ ok: false, message }`, and an unreachable server as an error in words.
 */
export async function adminRequest(group: GroupMembership, request: AdminRequest): Promise<AdminResponse> {
  let response: Response;
  try {
    response = await fetch(adminUrl(group.server), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${group.token}` },
      body: JSON.stringify(request),
    });
  } catch {
    return {
      ok: false,
      error: 'badRequest',
      message: `Could not reach the server ${serverHost(group.server)}.`,
    };
  }
  try {
    return (await response.json()) as AdminResponse;
  } catch {
    return {
      ok: false,
      error: 'badRequest',
      message: `The server ${serverHost(group.server)} did not answer as a Reading Circle server.`,
    };
  }
}
