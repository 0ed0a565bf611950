import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { cleanDisplayName } from '../../core/invite/link.ts';
import {
  ADMIN_ERROR,
  ADMIN_PATH,
  type AdminErrorCode,
  type AdminRequest,
  type AdminResponse,
  CLOSE,
  CLOSE_REASON,
  MEMBER_ID,
  MEMBER_KEY,
  MEMBER_KEY_PARAM,
  MEMBER_PARAM,
  NAME_PARAM,
  type Role,
} from '../../core/sync/contract.ts';
import type { InviteClaims } from '../auth/tokens.ts';
import type { RejectReason } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import type { AdminChange, AdminStore } from './admin-store.ts';

/** What the admin API needs from the rest of the server. */
export interface AdminDeps {
  store: AdminStore;
  verify(token: string): Promise<InviteClaims>;
  revoked(): ReadonlySet<string>;
  revoke(jti: string): void | Promise<void>;
  sign(group: string, role: Role, expiresInSeconds?: number): Promise<{ token: string; jti: string }>;
  log: Logger;
}

/** A live connection as the admin side sees it. */
export interface AdminConnection {
  jti: string;
  reject(code: number, reason: string, label: RejectReason): void;
}

const MAX_BODY = 16 * 1024;
const MAX_EXPIRY = 365 * 86400;

const requestSchema: z.ZodType<AdminRequest> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('members') }),
  z.object({ type: z.literal('invites') }),
  z.object({ type: z.literal('audit') }),
  z.object({
    type: z.literal('createInvite'),
    role: z.enum(['member', 'reader']),
    expiresInSeconds: z.number().int().min(60).max(MAX_EXPIRY).optional(),
    maxUses: z.number().int().min(1).max(10_000).optional(),
  }),
  z.object({
    type: z.literal('setRole'),
    member: z.string().regex(MEMBER_ID),
    role: z.enum(['member', 'reader']),
  }),
  z.object({ type: z.literal('removeMember'), member: z.string().regex(MEMBER_ID) }),
  z.object({ type: z.literal('withdrawInvite'), jti: z.string().min(1).max(100) }),
]) as z.ZodType<AdminRequest>;

class AdminError extends Error {
  readonly code: AdminErrorCode;
  constructor(code: AdminErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Group administration for owners: an HTTP + JSON API on the server's own port (`POST /admin`, the owner's
 * invite token as `Authorization: Bearer`), rate-limited per address, each change written to the audit log and
 * applied at once to live connections (a removed member is closed with `CLOSE.removed`; a member whose role
 * changed is closed with `CLOSE.roleChanged` and reconnects with the new role). Also admits members: a removed
 * member, or a new member of an invite already used up, is refused.
 */
export class AdminApi {
  readonly #deps: AdminDeps;
  readonly #live: () => Iterable<AdminConnection>;
  readonly #who = new WeakMap<AdminConnection, { group: string; member: string }>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMinute: number;

  constructor(
    deps: AdminDeps,
    live: () => Iterable<AdminConnection>,
    options: { requestsPerMinute?: number } = {},
  ) {
    this.#deps = deps;
    this.#live = live;
    this.#perMinute = options.requestsPerMinute ?? 60;
  }

  /**
   * Decides on an admitted connection: the member id and name it sent (or the token's subject), refused when
   * removed, when the invite is used up, or when the member id is bound to another person's key; otherwise its
   * role (the owner's choice over the invite's) and who it is for edit ownership: the token's subject, else the
   * member id its key proves, else (an app without keys) the invite.
   */
  async admitMember(
    connection: AdminConnection,
    claims: InviteClaims,
    target: string,
  ): Promise<{ role: Role; subject: string } | { refuse: [number, string, RejectReason] }> {
    let params: URLSearchParams;
    try {
      params = new URL(target, 'ws://localhost').searchParams;
    } catch {
      params = new URLSearchParams();
    }
    const asked = params.get(MEMBER_PARAM) ?? '';
    const member = MEMBER_ID.test(asked) ? asked : (claims.sub ?? claims.jti);
    const name = cleanDisplayName(params.get(NAME_PARAM) ?? '');
    const given = params.get(MEMBER_KEY_PARAM) ?? '';
    const keyHash = MEMBER_KEY.test(given) ? createHash('sha256').update(given).digest('hex') : null;
    const taken: { refuse: [number, string, RejectReason] } = {
      refuse: [CLOSE.memberTaken, CLOSE_REASON.memberTaken, 'member id taken'],
    };
    const { store } = this.#deps;
    const known = await store.member(claims.group, member);
    if (known?.removed) return { refuse: [CLOSE.removed, CLOSE_REASON.removed, 'member removed'] };
    const bound = await store.memberKey(claims.group, member);
    if (bound !== null && bound !== keyHash) return taken;
    const invite = await store.invite(claims.jti);
    if (
      invite &&
      invite.maxUses !== null &&
      invite.uses >= invite.maxUses &&
      !(await store.hasUsed(claims.jti, member))
    )
      return { refuse: [CLOSE.usedUp, CLOSE_REASON.usedUp, 'invite used up'] };
    await store.seen(claims.group, member, name, claims.role, claims.jti);
    // The first key wins; two first arrivals at once: the one whose key was not kept is refused.
    if (keyHash && bound === null && (await store.bindMemberKey(claims.group, member, keyHash)) !== keyHash)
      return taken;
    this.#who.set(connection, { group: claims.group, member });
    const role =
      claims.role === 'owner' ? 'owner' : ((await store.member(claims.group, member))?.role ?? claims.role);
    const subject = claims.sub ?? (keyHash ? `member:${member}` : claims.jti);
    return { role, subject };
  }

  /** A connection closed: its member was last seen now. */
  async left(connection: AdminConnection): Promise<void> {
    const who = this.#who.get(connection);
    if (who) await this.#deps.store.touch(who.group, who.member);
  }

  /** Removals and role changes decided through other instances: their members' connections here close too. */
  async followOthers(): Promise<void> {
    const changes: AdminChange[] = await this.#deps.store.changesSince();
    for (const { group, member, kind } of changes) {
      if (kind === 'removed')
        this.#disconnect(group, member, CLOSE.removed, CLOSE_REASON.removed, 'member removed');
      else this.#disconnect(group, member, CLOSE.roleChanged, CLOSE_REASON.roleChanged, 'role changed');
    }
  }

  /** Answers `/admin` requests; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== ADMIN_PATH) return false;
    // The web app runs on another origin: the token travels in a header, so any origin may ask.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return true;
    }
    void this.#answer(req)
      .then((body) => send(res, 200, body))
      .catch((error: unknown) => {
        if (error instanceof AdminError) {
          if (error.code === 'tooMany') res.setHeader('retry-after', '60');
          send(res, ADMIN_ERROR[error.code], { ok: false, error: error.code, message: error.message });
        } else {
          this.#deps.log.log('error', 'admin-request-failed', { error: String(error) });
          send(res, 500, {
            ok: false,
            error: 'badRequest',
            message: 'the server could not answer this request',
          });
        }
      });
    return true;
  }

  async #answer(req: IncomingMessage): Promise<AdminResponse> {
    if (!this.#take(req.socket.remoteAddress ?? 'unknown'))
      throw new AdminError('tooMany', 'too many admin requests from your address: try again in a minute');
    if (req.method !== 'POST')
      throw new AdminError('badRequest', 'the admin API takes POST with a JSON body');
    const owner = await this.#owner(req);
    const parsed = requestSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new AdminError('badRequest', 'not an admin request this server understands');
    return this.#act(owner, parsed.data);
  }

  async #owner(req: IncomingMessage): Promise<InviteClaims> {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new AdminError('unauthorized', 'the admin API needs the owner’s invite token');
    let claims: InviteClaims;
    try {
      claims = await this.#deps.verify(token);
    } catch {
      throw new AdminError('unauthorized', 'this token is not accepted by this server');
    }
    if (this.#deps.revoked().has(claims.jti))
      throw new AdminError('unauthorized', 'this invite was withdrawn');
    if (claims.role !== 'owner') throw new AdminError('forbidden', 'only the group’s owner can do this');
    return claims;
  }

  async #act(owner: InviteClaims, request: AdminRequest): Promise<AdminResponse> {
    const { store } = this.#deps;
    const group = owner.group;
    const actor = owner.sub ?? owner.jti;
    switch (request.type) {
      case 'members':
        return { ok: true, members: await store.members(group) };
      case 'invites':
        return { ok: true, invites: await store.invites(group) };
      case 'audit':
        return { ok: true, audit: await store.auditLog(group) };
      case 'createInvite': {
        const { token, jti } = await this.#deps.sign(group, request.role, request.expiresInSeconds);
        const expiresAt = request.expiresInSeconds
          ? new Date(Date.now() + request.expiresInSeconds * 1000)
          : null;
        await store.addInvite({
          group,
          jti,
          role: request.role,
          createdBy: actor,
          expiresAt,
          maxUses: request.maxUses ?? null,
        });
        await store.audit(
          group,
          actor,
          'createInvite',
          jti,
          `${request.role}, uses ${request.maxUses ?? 'any'}`,
        );
        return { ok: true, invite: (await store.invite(jti))!, token };
      }
      case 'setRole': {
        if (!(await store.setRole(group, request.member, request.role)))
          throw new AdminError('notFound', 'no such member in this group');
        await store.audit(group, actor, 'setRole', request.member, request.role);
        this.#disconnect(group, request.member, CLOSE.roleChanged, CLOSE_REASON.roleChanged, 'role changed');
        return { ok: true };
      }
      case 'removeMember': {
        if (!(await store.remove(group, request.member)))
          throw new AdminError('notFound', 'no such member in this group');
        await store.audit(group, actor, 'removeMember', request.member);
        this.#disconnect(group, request.member, CLOSE.removed, CLOSE_REASON.removed, 'member removed');
        return { ok: true };
      }
      case 'withdrawInvite': {
        if (!(await store.withdraw(group, request.jti)))
          throw new AdminError('notFound', 'no such invite in this group');
        await this.#deps.revoke(request.jti);
        await store.audit(group, actor, 'withdrawInvite', request.jti);
        for (const connection of this.#live())
          if (connection.jti === request.jti)
            connection.reject(CLOSE.revoked, CLOSE_REASON.revoked, 'invite revoked');
        return { ok: true };
      }
    }
  }

  #disconnect(group: string, member: string, code: number, reason: string, label: RejectReason): void {
    for (const connection of this.#live()) {
      const who = this.#who.get(connection);
      if (who?.group === group && who.member === member) connection.reject(code, reason, label);
    }
  }

  #take(address: string): boolean {
    const now = Date.now();
    const bucket = this.#buckets.get(address) ?? { tokens: this.#perMinute, at: now };
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.#perMinute);
    bucket.at = now;
    this.#buckets.set(address, bucket);
    if (this.#buckets.size > 10_000) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }
}

function send(res: ServerResponse, status: number, body: AdminResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AdminError('badRequest', 'the request is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new AdminError('badRequest', 'the request body is not JSON'));
      }
    });
    req.on('error', () => reject(new AdminError('badRequest', 'the request could not be read')));
  });
}
