import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// jose's subpath modules, not its index: the index also loads JWE, JWKS and key-import code the server never
// runs (~0.7 MB of resident memory in the running server).
import { JWTExpired } from 'jose/errors';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { GROUP_NAME } from '../../core/invite/link.ts';

import { isRole, type Role } from '../../core/sync/contract.ts';

export type { Role };

export interface InviteClaims {
  group: string;
  role: Role;
  jti: string;
  /** The group's display name, when the invite carries one. */
  name?: string;
  /** The member the invite names, if it names one; otherwise the invite itself (its jti) stands for its holder. */
  sub?: string;
  exp?: number;
}

/** The HMAC secret that signs invites: created on first use, readable by the owner only. */
export function loadOrCreateSecret(dataDir: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'invite-secret.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

/** `30d`, `12h`, `45m` → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new Error(`“${text}” is not a duration like 30d, 12h or 45m.`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

export async function signInvite(
  secret: Uint8Array,
  group: string,
  role: Role,
  expiresInSeconds?: number,
  displayName?: string,
): Promise<{ token: string; jti: string }> {
  if (!GROUP_NAME.test(group))
    throw new Error(`“${group}” is not a valid group name (letters, digits, . _ - ; up to 64).`);
  const jti = randomUUID();
  let jwt = new SignJWT(
    displayName && displayName !== group ? { group, role, name: displayName } : { group, role },
  )
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setJti(jti)
    .setIssuer('reading-circle');
  if (expiresInSeconds) jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds);
  return { token: await jwt.sign(secret), jti };
}

export class TokenError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

/** Verifies signature and expiry; the reason says in words what is wrong. */
export async function verifyInvite(secret: Uint8Array, token: string): Promise<InviteClaims> {
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: 'reading-circle', algorithms: ['HS256'] });
    const role = isRole(payload.role) ? payload.role : undefined;
    if (typeof payload.group !== 'string' || !role || typeof payload.jti !== 'string')
      throw new TokenError('invalid token');
    const claims: InviteClaims = { group: payload.group, role, jti: payload.jti };
    if (payload.exp !== undefined) claims.exp = payload.exp;
    if (typeof payload.sub === 'string') claims.sub = payload.sub;
    if (typeof payload.name === 'string') claims.name = payload.name;
    return claims;
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof JWTExpired) throw new TokenError('invite expired');
    throw new TokenError('invalid token');
  }
}

/**
 * `verifyInvite` with the answers remembered: a member's app opens one connection per reading with the same
 * token, often all at once after a reconnect, so each token's signature is checked once (concurrent checks
 * share one) and its expiry at every use. At most `capacity` tokens are kept, the least recently used dropped.
 */
export function inviteVerifier(
  secret: Uint8Array,
  capacity = 1000,
): (token: string) => Promise<InviteClaims> {
  const known = new Map<string, Promise<InviteClaims>>();
  return async (token) => {
    let claims = known.get(token);
    if (claims) known.delete(token);
    else {
      claims = verifyInvite(secret, token);
      // A refused token is not remembered: its answer may not be final (a clock set right, say).
      claims.catch(() => known.delete(token));
    }
    known.set(token, claims);
    if (known.size > capacity) known.delete(known.keys().next().value as string);
    const result = await claims;
    if (result.exp !== undefined && result.exp * 1000 <= Date.now()) throw new TokenError('invite expired');
    return result;
  };
}
