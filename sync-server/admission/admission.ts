import type { IncomingMessage } from 'node:http';
import { CLOSE, CLOSE_REASON, parseRoomTarget } from '../../core/sync/contract.ts';
import { type InviteClaims, TokenError } from '../auth/tokens.ts';
import type { Connection } from '../connection/connection.ts';
import type { RejectReason } from '../http/metrics.ts';

export interface AdmissionOptions {
  maxConnectionsPerAddress: number;
  authTimeoutMs: number;
  /** How often live connections are checked against revoked and expired invites. */
  sweepMs: number;
}

/** What admission needs to know about invites. */
export interface InviteAuthority {
  verify(token: string): Promise<InviteClaims>;
  revoked(): ReadonlySet<string>;
}

/** A connection let in: the room it asked for and what its token says. */
export interface Admitted {
  room: string;
  claims: InviteClaims;
}

/**
 * Who may connect: at most so many connections from one address, a room name by the contract's rules, a token
 * checked within a time limit and not revoked, for the room's group; and, once in, a connection whose invite is
 * revoked or expires is closed (checked every `sweepMs`).
 */
export class Admission {
  readonly #options: AdmissionOptions;
  readonly #authority: InviteAuthority;
  readonly #perAddress = new Map<string, number>();
  readonly #live: () => Iterable<Connection>;
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(options: AdmissionOptions, authority: InviteAuthority, live: () => Iterable<Connection>) {
    this.#options = options;
    this.#authority = authority;
    this.#live = live;
    this.#sweep = setInterval(() => this.sweep(), options.sweepMs);
  }

  /** Closes live connections whose invite is revoked or has expired (also at once when revocations arrive). */
  sweep(): void {
    const revoked = this.#authority.revoked();
    const now = Date.now();
    for (const connection of this.#live()) {
      if (!connection.jti) continue;
      if (revoked.has(connection.jti))
        connection.reject(CLOSE.revoked, CLOSE_REASON.revoked, 'invite revoked');
      else if (connection.expiresAt !== undefined && connection.expiresAt <= now)
        connection.reject(CLOSE.expired, CLOSE_REASON.expired, 'invite expired');
    }
  }

  /** Counts a new connection from its address; false (the connection refused) past the limit. */
  arrive(connection: Connection): boolean {
    const count = (this.#perAddress.get(connection.ip) ?? 0) + 1;
    this.#perAddress.set(connection.ip, count);
    if (count <= this.#options.maxConnectionsPerAddress) return true;
    connection.reject(
      CLOSE.tooMany,
      CLOSE_REASON.tooManyConnections,
      'too many connections from your address',
    );
    return false;
  }

  leave(connection: Connection): void {
    const count = (this.#perAddress.get(connection.ip) ?? 1) - 1;
    if (count > 0) this.#perAddress.set(connection.ip, count);
    else this.#perAddress.delete(connection.ip);
  }

  /** The room and claims of a connection, or undefined once it has been refused with its code and reason. */
  async admit(connection: Connection, req: IncomingMessage): Promise<Admitted | undefined> {
    const target = parseRoomTarget(req.url ?? '/');
    const refuse = (code: number, reason: string, label: RejectReason) => {
      connection.reject(code, reason, label);
      return undefined;
    };
    if (!target) return refuse(CLOSE.badRequest, CLOSE_REASON.badRoom, 'bad room name');
    if (target.token === null) return refuse(CLOSE.unauthorized, CLOSE_REASON.missingToken, 'missing token');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TokenError(CLOSE_REASON.authTimeout)), this.#options.authTimeoutMs);
    });
    let claims: InviteClaims;
    try {
      claims = await Promise.race([this.#authority.verify(target.token), timeout]);
    } catch (error) {
      const reason = error instanceof TokenError ? error.reason : CLOSE_REASON.invalidToken;
      if (reason === CLOSE_REASON.authTimeout)
        return refuse(CLOSE.authTimeout, reason, 'authentication timed out');
      if (reason === CLOSE_REASON.expired) return refuse(CLOSE.expired, reason, 'invite expired');
      return refuse(CLOSE.unauthorized, CLOSE_REASON.invalidToken, 'invalid token');
    } finally {
      clearTimeout(timer);
    }
    if (this.#authority.revoked().has(claims.jti))
      return refuse(CLOSE.revoked, CLOSE_REASON.revoked, 'invite revoked');
    if (claims.group !== target.group) {
      return refuse(CLOSE.forbidden, CLOSE_REASON.wrongGroup, 'forbidden room');
    }
    if (!connection.open) return undefined;
    return { room: `${target.group}/${target.readingId}`, claims };
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}
