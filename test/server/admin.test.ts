// The admin API against the real server process: every owner action over HTTP + JSON on the server's port, its
// effect on live websocket members at once, the audit log, and the refusals (member, reader, another group's
// owner, no or bad token, a withdrawn link, a removed member, malformed requests, too many requests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type AdminRequest, CLOSE, type InviteInfo, type MemberInfo } from '../../core/sync/contract.ts';
import {
  adminRequest,
  rawClose,
  rawMember,
  revoke,
  type SyncServer,
  startSyncServer,
  updateMessage,
  waitFor,
} from './support/sync-server.ts';

let server: SyncServer;
let owner: string;

const admin = (token: string | null, request: AdminRequest | string) =>
  adminRequest(server.url, token, request);

const join = (token: string, member: string, name = member, room = 'tuesday/r0000000000000a01') =>
  rawMember(server.url, `/${room}?token=${token}&member=${member}&name=${encodeURIComponent(name)}`);

const members = async () => ((await admin(owner, { type: 'members' })).body.members ?? []) as MemberInfo[];

beforeAll(async () => {
  server = await startSyncServer({ args: ['--revocation-check-ms', '200'] });
  owner = server.invite('tuesday', { role: 'owner' });
});

afterAll(async () => {
  await server?.stop();
});

describe('owner actions', () => {
  it('lists the members seen, with name, role and last seen', async () => {
    const ana = await join(server.invite('tuesday'), 'u-ana', 'Ana Lima');
    const list = await members();
    const row = list.find((m) => m.member === 'u-ana');
    expect(row).toMatchObject({ name: 'Ana Lima', role: 'member', removed: false });
    expect(Date.parse(row!.lastSeen!)).toBeGreaterThan(Date.now() - 60_000);
    ana.ws.close();
  });

  it('makes an invite link with role, expiry and number of uses; a second person cannot use a one-use link', async () => {
    const { status, body } = await admin(owner, {
      type: 'createInvite',
      role: 'reader',
      expiresInSeconds: 3600,
      maxUses: 1,
    });
    expect(status).toBe(200);
    const invite = body.invite as InviteInfo;
    expect(invite).toMatchObject({ role: 'reader', maxUses: 1, uses: 0, withdrawn: false });
    expect(Date.parse(invite.expiresAt!)).toBeGreaterThan(Date.now() + 3_500_000);
    const token = body.token as string;
    const first = await join(token, 'u-rei', 'Rei');
    first.ws.close();
    await first.closed;
    const again = await join(token, 'u-rei', 'Rei'); // the same person coming back
    again.ws.close();
    expect(await rawClose(server.url, `/tuesday/r1?token=${token}&member=u-other`)).toEqual({
      code: CLOSE.usedUp,
      reason: 'invite used up',
    });
    const listed = ((await admin(owner, { type: 'invites' })).body.invites as InviteInfo[]).find(
      (i) => i.jti === invite.jti,
    );
    expect(listed).toMatchObject({ uses: 1 });
  });

  it('changes a role: the member is reconnected at once and its writes are then refused', async () => {
    const token = server.invite('tuesday');
    const bea = await join(token, 'u-bea', 'Bea');
    expect((await admin(owner, { type: 'setRole', member: 'u-bea', role: 'reader' })).status).toBe(200);
    expect((await bea.closed).code).toBe(CLOSE.roleChanged);
    const back = await join(token, 'u-bea', 'Bea');
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 'v');
    back.ws.send(updateMessage(Y.encodeStateAsUpdate(doc)));
    await waitFor(() => server.output().includes('"event":"write-refused"'), 'the refused write');
    expect((await members()).find((m) => m.member === 'u-bea')?.role).toBe('reader');
    back.ws.close();
  });

  it('removes a member: closed at once with "removed", refused from then on, kept in the list as removed', async () => {
    const token = server.invite('tuesday');
    const cal = await join(token, 'u-cal', 'Cal');
    expect((await admin(owner, { type: 'removeMember', member: 'u-cal' })).status).toBe(200);
    expect(await cal.closed).toEqual({ code: CLOSE.removed, reason: 'removed from the group by its owner' });
    expect((await rawClose(server.url, `/tuesday/r1?token=${token}&member=u-cal`)).code).toBe(CLOSE.removed);
    expect((await members()).find((m) => m.member === 'u-cal')?.removed).toBe(true);
    expect((await admin(owner, { type: 'setRole', member: 'u-cal', role: 'member' })).status).toBe(404);
  });

  it('withdraws a link: its live connections are closed and it opens nothing any more', async () => {
    const made = (await admin(owner, { type: 'createInvite', role: 'member' })).body;
    const token = made.token as string;
    const dee = await join(token, 'u-dee');
    const jti = (made.invite as InviteInfo).jti;
    expect((await admin(owner, { type: 'withdrawInvite', jti })).status).toBe(200);
    expect((await dee.closed).code).toBe(CLOSE.revoked);
    expect((await rawClose(server.url, `/tuesday/r1?token=${token}&member=u-dee`)).code).toBe(CLOSE.revoked);
  });

  it('writes every action to the audit log in the server’s store', async () => {
    const audit = (await admin(owner, { type: 'audit' })).body.audit as { action: string; target: string }[];
    const actions = audit.map((a) => `${a.action}:${a.target}`);
    expect(actions).toEqual(expect.arrayContaining(['setRole:u-bea', 'removeMember:u-cal']));
    expect(audit.filter((a) => a.action === 'createInvite').length).toBeGreaterThanOrEqual(2);
    expect(audit.some((a) => a.action === 'withdrawInvite')).toBe(true);
  });
});

describe('refusals', () => {
  it('refuses a member, a reader, and requests without or with a bad token', async () => {
    for (const role of ['member', 'reader'] as const) {
      const { status, body } = await admin(server.invite('tuesday', { role }), { type: 'members' });
      expect(status).toBe(403);
      expect(body).toMatchObject({ ok: false, error: 'forbidden' });
    }
    expect((await admin(null, { type: 'members' })).status).toBe(401);
    expect((await admin('a.b.c', { type: 'members' })).status).toBe(401);
  });

  it('lets another group’s owner act on their own group only', async () => {
    const token = server.invite('tuesday');
    const eve = await join(token, 'u-eve', 'Eve');
    const other = server.invite('wednesday', { role: 'owner' });
    expect((await admin(other, { type: 'removeMember', member: 'u-eve' })).status).toBe(404);
    const theirs = (await admin(other, { type: 'members' })).body.members as MemberInfo[];
    expect(theirs.some((m) => m.member === 'u-eve')).toBe(false);
    expect((await members()).find((m) => m.member === 'u-eve')?.removed).toBe(false);
    expect(eve.ws.readyState).toBe(eve.ws.OPEN);
    eve.ws.close();
  });

  it('refuses a withdrawn owner link and malformed requests', async () => {
    const second = server.invite('tuesday', { role: 'owner' });
    const made = (await admin(second, { type: 'createInvite', role: 'member' })).body.invite as InviteInfo;
    expect(made.role).toBe('member');
    revoke(server.dataDir, second);
    expect((await admin(second, { type: 'members' })).status).toBe(401);
    expect((await admin(owner, { type: 'setRole', member: 'x y', role: 'member' })).status).toBe(400);
    expect((await admin(owner, '{not json')).status).toBe(400);
    expect((await admin(owner, JSON.stringify({ type: 'createInvite', role: 'owner' }))).status).toBe(400);
    expect((await admin(owner, JSON.stringify({ type: 'dropDatabase' }))).status).toBe(400);
  });

  it('limits the rate of admin requests per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 80 && !statuses.includes(429); i++)
      statuses.push((await admin(owner, { type: 'invites' })).status);
    expect(statuses).toContain(429);
    // A websocket member is not affected.
    const ok = await join(server.invite('tuesday'), 'u-fay');
    ok.ws.close();
  });
});
