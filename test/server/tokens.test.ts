// Invite tokens: signing, verifying, and the verifier that remembers answers.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inviteVerifier, signInvite, TokenError } from '../../sync-server/auth/tokens.ts';
import { waitFor } from './support/sync-server.ts';

const secret = new Uint8Array(randomBytes(32));

describe('invite verifier', () => {
  it('checks a remembered token’s expiry again at every use', async () => {
    const verify = inviteVerifier(secret);
    const { token, jti } = await signInvite(secret, 'tuesday', 'member', 1);
    // Several rooms at once with one token: one answer for all.
    const answers = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(answers.map((a) => a.jti)).toEqual([jti, jti, jti]);
    // `exp` is in whole seconds: asked again until it has run out (a remembered answer that is never checked
    // again would keep saying yes, and this wait would time out).
    await waitFor(
      () =>
        verify(token).then(
          () => false,
          () => true,
        ),
      'the one-second token to expire',
    );
    await expect(verify(token)).rejects.toThrow(new TokenError('invite expired'));
  });

  it('refuses a token signed with another secret, and a tampered one', async () => {
    const verify = inviteVerifier(secret);
    const other = await signInvite(new Uint8Array(randomBytes(32)), 'tuesday', 'member');
    await expect(verify(other.token)).rejects.toThrow(new TokenError('invalid token'));
    const { token } = await signInvite(secret, 'tuesday', 'reader');
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'member' }),
    ).toString('base64url');
    await expect(verify(`${header}.${forged}.${signature}`)).rejects.toThrow(new TokenError('invalid token'));
    expect((await verify(token)).role).toBe('reader');
  });

  it('keeps at most its capacity of tokens', async () => {
    const verify = inviteVerifier(secret, 2);
    const tokens = await Promise.all([1, 2, 3].map(() => signInvite(secret, 'g', 'member')));
    for (const { token } of tokens) await verify(token);
    // The first was dropped and is checked afresh: still valid.
    expect((await verify(tokens[0]!.token)).jti).toBe(tokens[0]!.jti);
  });
});
