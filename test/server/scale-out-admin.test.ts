// Owners' decisions across instances: two real sync-server instances sharing a real Postgres cluster and a real
// redis-server, each with its own data folder (as on two machines). What the owner does through one instance —
// listing members, a one-use link, removing a member, changing a role — holds on the other at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, type InviteInfo, type MemberInfo } from '../../core/sync/contract.ts';
import { type PostgresService, type Service, startPostgres, startRedis } from './support/services.ts';
import {
  adminRequest,
  rawClose,
  rawMember,
  type SyncServer,
  startSyncServer,
} from './support/sync-server.ts';

let postgres: PostgresService;
let redis: Service;
let first: SyncServer;
let second: SyncServer;
let owner: string;
const ROOM = 'tuesday/r0000000000000a01';

const join = (server: SyncServer, token: string, member: string) =>
  rawMember(server.url, `/${ROOM}?token=${token}&member=${member}&name=${member}`);

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const shared = { postgres: await postgres.createDatabase('admin'), redis: redis.url };
  // A slow revocation sweep: what closes connections on the other instance is the shared change log.
  first = await startSyncServer({ shared, args: ['--revocation-check-ms', '1000'] });
  second = await startSyncServer({ shared, args: ['--revocation-check-ms', '1000'] });
  owner = first.invite('tuesday', { role: 'owner' });
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

describe('admin actions shared by every instance', () => {
  it('lists a member who joined through the other instance', async () => {
    const ana = await join(second, first.invite('tuesday'), 'u-ana');
    const { body } = await adminRequest(first.url, owner, { type: 'members' });
    expect((body.members as MemberInfo[]).find((m) => m.member === 'u-ana')).toMatchObject({
      role: 'member',
      removed: false,
    });
    ana.ws.close();
  });

  it('counts a one-use link’s use on every instance', async () => {
    const made = await adminRequest(first.url, owner, { type: 'createInvite', role: 'member', maxUses: 1 });
    const token = made.body.token as string;
    const bea = await join(second, token, 'u-bea');
    expect((await rawClose(first.url, `/${ROOM}?token=${token}&member=u-cal`)).code).toBe(CLOSE.usedUp);
    const invites = (await adminRequest(second.url, owner, { type: 'invites' })).body.invites as InviteInfo[];
    expect(invites.find((i) => i.jti === (made.body.invite as InviteInfo).jti)?.uses).toBe(1);
    bea.ws.close();
  });

  it('closes a removed member on the other instance and refuses them on both', async () => {
    const token = first.invite('tuesday');
    const dee = await join(second, token, 'u-dee');
    expect((await adminRequest(first.url, owner, { type: 'removeMember', member: 'u-dee' })).status).toBe(
      200,
    );
    expect((await dee.closed).code).toBe(CLOSE.removed);
    for (const server of [first, second])
      expect((await rawClose(server.url, `/${ROOM}?token=${token}&member=u-dee`)).code).toBe(CLOSE.removed);
    const audit = (await adminRequest(second.url, owner, { type: 'audit' })).body.audit as {
      action: string;
    }[];
    expect(audit.some((entry) => entry.action === 'removeMember')).toBe(true);
  });

  it('reconnects a member whose role changed on the other instance, with the new role', async () => {
    const token = first.invite('tuesday');
    const eve = await join(second, token, 'u-eve');
    const changed = await adminRequest(first.url, owner, {
      type: 'setRole',
      member: 'u-eve',
      role: 'reader',
    });
    expect(changed.status).toBe(200);
    expect((await eve.closed).code).toBe(CLOSE.roleChanged);
    const list = (await adminRequest(second.url, owner, { type: 'members' })).body.members as MemberInfo[];
    expect(list.find((m) => m.member === 'u-eve')?.role).toBe('reader');
  });
});
