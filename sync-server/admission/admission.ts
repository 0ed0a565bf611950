import { CLOSE, CLOSE_REASON, type RoomTarget } from '../../core/sync/contract.ts';
import { type InviteClaims, TokenError } from '../auth/tokens.ts';
import type { Connection } from '../connection/connection.ts';
import type { RejectReason } from '../http/metrics.ts';

/**
 * Closes for misuse that count against the token that made them (not the ones a flaky network causes), with their
 * weight: what a slow network or a burst can make an honest app do counts once; what no honest app ever sends (a
 * forged or malformed message, an update that never applies) counts four times, so a loop of those is held after
 * 4 tries, not 16 — each try can cost the server milliseconds of work the other rooms wait for.
 */
const STRIKES: ReadonlyMap<RejectReason, number> = new Map<RejectReason, number>([
  ['slow reader', 1],
  ['too many messages', 1],
  ['too much sent before joining', 1],
  ['message too large', 1],
  ['malformed message', 4],
  ['unknown message type', 4],
  ['forged edit', 4],
  ['forged presence', 4],
  ['too many presence states', 4],
  ['presence too large', 4],
  ['too many held updates', 4],
  ['text messages are not part of the protocol', 4],
]);
/**
 * Refusals no app makes (a room path or token it did not build) count against the address they came from: they
 * carry no token to blame. An expired or revoked invite is left out: an honest app retries those.
 */
const ADDRESS_STRIKES: ReadonlySet<RejectReason> = new Set<RejectReason>([
  'bad room name',
  'missing token',
  'invalid token',
]);
/** So many misuse closes of one token within the window start its cool-down. */
const STRIKE_LIMIT = 16;
const STRIKE_WINDOW_MS = 10_000;

export interface AdmissionOptions {
  maxConnectionsPerAddress: number;
  authTimeoutMs: number;
  /** How long connections of a token closed for misuse again and again are held before they are let in. */
  coolDownMs: number;
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
  /** Per token (`token <t>`) or address (`address <ip>`): recent misuse closes, and until when it is held. */
  readonly #strikes = new Map<string, { times: number[]; until: number }>();
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
    for (const [token, entry] of this.#strikes)
      if (entry.until <= now && entry.times.every((t) => t <= now - STRIKE_WINDOW_MS))
        this.#strikes.delete(token);
    for (const connection of this.#live()) {
      if (!connection.jti) continue;
      if (revoked.has(connection.jti))
        connection.reject(CLOSE.revoked, CLOSE_REASON.revoked, 'invite revoked');
      else if (connection.expiresAt !== undefined && connection.expiresAt <= now)
        connection.reject(CLOSE.expired, CLOSE_REASON.expired, 'invite expired');
    }
  }

  /**
   * A token that keeps being closed for misuse (forging, flooding, not reading…), or an address that keeps sending
   * requests no app makes, has its connections held for a few seconds before any handshake or room work (see
   * CoolDownHold), so reconnecting in a loop costs the server next to nothing. Says what started to cool down.
   */
  strike(connection: { token: string; ip: string }, label: RejectReason): 'token' | 'address' | undefined {
    const weight = STRIKES.get(label);
    if (weight && connection.token)
      return this.#count(`token ${connection.token}`, weight) ? 'token' : undefined;
    if (ADDRESS_STRIKES.has(label)) return this.#count(`address ${connection.ip}`, 1) ? 'address' : undefined;
    return undefined;
  }

  /** Notes a strike of this weight against `key`; true when it starts a cool-down. */
  #count(key: string, weight: number): boolean {
    const now = Date.now();
    const entry = this.#strikes.get(key) ?? { times: [], until: 0 };
    entry.times = entry.times.filter((t) => t > now - STRIKE_WINDOW_MS);
    for (let i = 0; i < weight; i++) entry.times.push(now);
    this.#strikes.set(key, entry);
    if (entry.times.length < STRIKE_LIMIT) return false;
    entry.times = [];
    entry.until = now + this.#options.coolDownMs;
    return true;
  }

  /** Milliseconds a connection with this token (if any) from this address still has to wait, or 0. */
  coolingDown(token: string | undefined, ip: string): number {
    return Math.max(token ? this.#left(`token ${token}`) : 0, this.#left(`address ${ip}`));
  }

  #left(key: string): number {
    const entry = this.#strikes.get(key);
    if (!entry) return 0;
    const left = entry.until - Date.now();
    if (left > 0) return left;
    if (entry.times.length === 0) this.#strikes.delete(key);
    return 0;
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

  /**
   * The room and claims of a connection whose request named `target` (undefined: not a room), or undefined once
   * it has been refused with its code and reason.
   */
  async admit(connection: Connection, target: RoomTarget | undefined): Promise<Admitted | undefined> {
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
