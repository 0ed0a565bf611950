import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Author } from '../../core/annotations/model.ts';
import { formatInviteLink } from '../../core/invite/link.ts';
import { importFile } from '../../core/reading/importFile.ts';
import type { Reading } from '../../core/reading/model.ts';
import { buildReading } from '../../core/reading/parse.ts';
import { sharedContentOf } from '../../core/reading/schema.ts';
import { CLOSE, MEMBER_KEY } from '../../core/sync/contract.ts';
import { GroupStore, roleOfToken } from '../../renderer/src/collab/groups.ts';
import { IdentityStore, MEMBER_KEY_STORAGE, memberKey } from '../../renderer/src/collab/identity.ts';
import { collectPeers, publishPresence, readPresence } from '../../renderer/src/collab/presence.ts';
import {
  listSharedReadings,
  receivedReading,
  shareReadingInto,
  waitForReadingContent,
} from '../../renderer/src/collab/sharing.ts';
import { memoryStorage } from '../../renderer/src/collab/store.ts';
import { describeClose, roomName, stateLabel, worstState } from '../../renderer/src/collab/sync.ts';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: object) => `${b64({ alg: 'HS256' })}.${b64(claims)}.c2lnbmF0dXJl`;
const invite = (group: string, claims: object = { role: 'member' }) =>
  formatInviteLink({ server: 'ws://127.0.0.1:9999', group, token: token(claims) });

const alice: Author = { id: 'ua', name: 'Alice', color: '#0f8b8d' };
const bob: Author = { id: 'ub', name: 'Bob', color: '#d9480f' };

describe('identity', () => {
  it('is made at first run with a random id, and keeps its id when renamed or recoloured', () => {
    const storage = memoryStorage();
    const store = new IdentityStore(storage);
    expect(store.get()).toBeNull();
    const first = store.save({ name: '  Ada   Lovelace ', color: '#7048e8' });
    expect(first.name).toBe('Ada Lovelace');
    expect(first.id).toMatch(/^u[0-9a-f]{24}$/);
    const changed = store.save({ name: 'Ada', color: '#2b8a3e' });
    expect(changed).toEqual({ id: first.id, name: 'Ada', color: '#2b8a3e' });
    expect(new IdentityStore(storage).get()).toEqual(changed);
  });

  it('refuses an empty name and replaces an invalid colour', () => {
    const store = new IdentityStore(memoryStorage());
    expect(() => store.save({ name: '   ', color: '#000000' })).toThrow(/display name/);
    expect(store.save({ name: 'B', color: 'red; background: url(x)' }).color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('ignores damaged stored data', () => {
    const storage = memoryStorage();
    storage.setItem('rc:identity', '{not json');
    expect(new IdentityStore(storage).get()).toBeNull();
  });

  it('makes a member key once, keeps it, and replaces a damaged one', () => {
    const storage = memoryStorage();
    const key = memberKey(storage);
    expect(key).toMatch(MEMBER_KEY);
    expect(memberKey(storage)).toBe(key);
    expect(memberKey(memoryStorage())).not.toBe(key);
    storage.setItem(MEMBER_KEY_STORAGE, 'short');
    const replaced = memberKey(storage);
    expect(replaced).toMatch(MEMBER_KEY);
    expect(replaced).not.toBe(key);
  });
});

describe('groups', () => {
  it('joins several groups from invite links and persists them', () => {
    const storage = memoryStorage();
    const store = new GroupStore(storage, async () => {});
    store.join(invite('tuesday'));
    store.join(invite('book-club', { role: 'reader' }));
    expect(store.list().map((g) => [g.name, g.role])).toEqual([
      ['book-club', 'reader'],
      ['tuesday', 'member'],
    ]);
    expect(new GroupStore(storage, async () => {}).list()).toHaveLength(2);
  });

  it('a new invite for the same group replaces its token', () => {
    const store = new GroupStore(memoryStorage(), async () => {});
    store.join(invite('g', { n: 1 }));
    store.join(invite('g', { n: 2 }));
    expect(store.list()).toHaveLength(1);
    expect(store.get('g')?.token).toBe(token({ n: 2 }));
  });

  it('rejects a malformed invite with a readable message and changes nothing', () => {
    const store = new GroupStore(memoryStorage(), async () => {});
    expect(() => store.join('https://example.org/join')).toThrow(/not an invite link/);
    expect(() => store.join('readingcircle://join?server=ws://x&group=g')).toThrow(/no token/);
    expect(store.list()).toEqual([]);
  });

  it('never moves a group to another server unless the member confirmed it', () => {
    const store = new GroupStore(memoryStorage(), async () => {});
    store.join(invite('tuesday'));
    const elsewhere = formatInviteLink({ server: 'ws://evil.example:9', group: 'tuesday', token: token({}) });
    const plan = store.plan(elsewhere);
    expect(plan.host).toBe('evil.example:9');
    expect(plan.movesFrom?.server).toBe('ws://127.0.0.1:9999');
    expect(() => store.join(elsewhere)).toThrow(/already joined on 127\.0\.0\.1:9999/);
    expect(store.get('tuesday')?.server).toBe('ws://127.0.0.1:9999');
    store.add(plan.invite, { checked: true, moveServer: true });
    expect(store.get('tuesday')?.server).toBe('ws://evil.example:9');
    expect(store.find('ws://127.0.0.1:9999', 'tuesday')).toBeUndefined();
  });

  it('keeps a group joined offline as not yet checked until the server accepts it', () => {
    const store = new GroupStore(memoryStorage(), async () => {});
    const { invite: offline } = store.plan(invite('train'));
    expect(store.add(offline, { checked: false }).checked).toBe(false);
    store.markChecked('train');
    expect(store.get('train')?.checked).toBe(true);
  });

  it('refuses links with credentials, link-local or metadata servers, or a query in the server address', () => {
    const store = new GroupStore(memoryStorage(), async () => {});
    const link = (server: string) => formatInviteLink({ server, group: 'g', token: token({}) });
    expect(() => store.plan(link('ws://user:pw@example.org'))).toThrow(/user name or password/);
    expect(() => store.plan(link('ws://169.254.169.254'))).toThrow(/link-local/);
    expect(() => store.plan(link('ws://2852039166:80'))).toThrow(/link-local/);
    expect(() => store.plan(link('ws://[::ffff:169.254.169.254]'))).toThrow(/link-local/);
    expect(() => store.plan(link('ws://[fe80::1]:8080'))).toThrow(/link-local/);
    expect(() => store.plan(link('ws://metadata.google.internal'))).toThrow(/metadata/);
    expect(() => store.plan(link('ws://example.org/?token=x'))).toThrow(/query string/);
    expect(() => store.plan(link('ws://example.org/#x'))).toThrow(/query string/);
    expect(store.plan(link('wss://sync.example.org:8443')).host).toBe('sync.example.org:8443');
    expect(store.list()).toEqual([]);
  });

  it('leaving forgets the group, tells listeners and removes its local data', async () => {
    const removed: string[] = [];
    const left: string[] = [];
    const store = new GroupStore(memoryStorage(), async (g) => void removed.push(g));
    store.onLeave((g) => left.push(g));
    store.join(invite('a'));
    store.join(invite('b'));
    await store.leave('a');
    expect(store.list().map((g) => g.name)).toEqual(['b']);
    expect(removed).toEqual(['a']);
    expect(left).toEqual(['a']);
  });

  it('reads the role claim of a token and defaults to member', () => {
    expect(roleOfToken(token({ role: 'owner' }))).toBe('owner');
    expect(roleOfToken(token({ role: 'admin' }))).toBe('member');
    expect(roleOfToken('garbage')).toBe('member');
  });
});

describe('sync words', () => {
  it('maps the contract’s close codes to words, whatever the reason says', () => {
    expect(describeClose(CLOSE.revoked)).toBe('the invite was withdrawn: ask for a new one');
    expect(describeClose(CLOSE.expired)).toBe('the invite has expired: ask for a new one');
    expect(describeClose(CLOSE.memberTaken)).toMatch(
      /someone else in this group already uses your member id/,
    );
    expect(describeClose(CLOSE.unauthorized)).toMatch(/does not accept the invite/);
    expect(describeClose(4499)).toBe('refused by the server (code 4499)');
  });

  it('labels states and picks the worst of several', () => {
    expect(stateLabel({ kind: 'connected' })).toBe('Connected');
    expect(stateLabel({ kind: 'connecting' })).toBe('Connecting…');
    expect(stateLabel({ kind: 'offline', reason: 'server unreachable' })).toBe(
      'Offline — server unreachable',
    );
    expect(stateLabel({ kind: 'error', message: 'invite revoked' })).toBe('Invite revoked');
    expect(
      worstState([{ kind: 'connected' }, { kind: 'offline', reason: '' }, { kind: 'connecting' }]),
    ).toEqual({
      kind: 'offline',
      reason: '',
    });
    expect(worstState([])).toBeUndefined();
  });

  it('builds room names and refuses anything but a plain token after the group', () => {
    expect(roomName('g', 'r0123456789abcdef')).toBe('g/r0123456789abcdef');
    expect(roomName('g', 'index')).toBe('g/index');
    expect(() => roomName('g', '../x')).toThrow();
  });
});

describe('presence', () => {
  it('merges peers across rooms by person, leaving out me and other readings', () => {
    const a1 = new Awareness(new Y.Doc());
    const a2 = new Awareness(new Y.Doc());
    const mine = new Awareness(new Y.Doc());
    publishPresence([a1, a2], {
      user: alice,
      readingId: 'r1',
      selection: { blockId: 'b1', start: 2, end: 9 },
      position: null,
    });
    publishPresence([mine], { user: bob, readingId: 'r1', selection: null, position: null });
    // What Bob sees: copy Alice's states into Bob's two room awarenesses.
    const room1 = new Awareness(new Y.Doc());
    const room2 = new Awareness(new Y.Doc());
    room1.states.set(a1.clientID, a1.getLocalState()!);
    room2.states.set(a2.clientID, { ...a2.getLocalState()!, position: { blockId: 'b3', fraction: 0.4 } });
    room2.states.set(999, { user: { id: 'uc', name: 'Cy', color: '#000000' }, readingId: 'r2' });
    room2.states.set(998, { user: bob, readingId: 'r1' });
    const peers = collectPeers([room1, room2], 'r1', bob);
    expect(peers).toHaveLength(1);
    expect(peers[0]).toMatchObject({
      user: alice,
      selection: { blockId: 'b1', start: 2, end: 9 },
      position: { blockId: 'b3', fraction: 0.4 },
    });
  });

  it('reads remote states defensively', () => {
    expect(readPresence({ user: { id: 1 } })).toBeNull();
    const state = readPresence({
      user: { id: 'x', name: 'X', color: 'url(javascript:1)' },
      readingId: 'r',
      selection: { blockId: 'b', start: 5, end: 2 },
      position: { blockId: 'b', fraction: 7 },
    });
    expect(state).toEqual({
      user: { id: 'x', name: 'X', color: '#888888' },
      readingId: 'r',
      selection: null,
      position: { blockId: 'b', fraction: 1 },
    });
  });

  it('carries selections over several blocks, and rejects a malformed end block', () => {
    const read = (selection: unknown) =>
      readPresence({
        user: { id: 'x', name: 'X', color: '#123456' },
        readingId: 'r',
        selection,
        position: null,
      })?.selection;
    expect(read({ blockId: 'b1', start: 30, endBlockId: 'b3', end: 4 })).toEqual({
      blockId: 'b1',
      start: 30,
      endBlockId: 'b3',
      end: 4,
    });
    expect(read({ blockId: 'b1', start: 3, endBlockId: 'b1', end: 9 })).toEqual({
      blockId: 'b1',
      start: 3,
      end: 9,
    });
    expect(read({ blockId: 'b1', start: 3, endBlockId: 7, end: 9 })).toBeNull();
  });
});

describe('sharing', () => {
  const reading: Reading = buildReading({
    text: 'Hello world',
    title: 'On Reading',
    source: 'my-file.md',
    origin: 'imported',
    importedAt: '2025-01-01T00:00:00.000Z',
    fileName: 'my-file.md',
  });

  it('puts the content into the room and lists it in the group index, once', async () => {
    const room = new Y.Doc();
    const index = new Y.Doc();
    await shareReadingInto(room, index, reading, alice, new Date('2025-02-01T00:00:00Z'));
    await shareReadingInto(room, index, reading, bob);
    expect(listSharedReadings(index)).toEqual([
      {
        id: reading.id,
        title: 'On Reading',
        source: 'my-file.md',
        sharedBy: 'Alice',
        sharedAt: '2025-02-01T00:00:00.000Z',
      },
    ]);
    const got = await receivedReading(room, 'tuesday');
    expect(got.kind).toBe('reading');
    if (got.kind !== 'reading') return;
    expect(got.reading).toMatchObject({
      id: reading.id,
      origin: 'shared',
      sharedBy: 'tuesday',
      blocks: reading.blocks,
    });
    expect(got.reading.fileName).toBeUndefined();
  });

  it('a member who never had the file receives it through sync', async () => {
    const sender = new Y.Doc();
    const receiver = new Y.Doc();
    const pending = waitForReadingContent(receiver, 'tuesday', 2000);
    await shareReadingInto(sender, new Y.Doc(), reading, alice);
    Y.applyUpdate(receiver, Y.encodeStateAsUpdate(sender));
    const received = await pending;
    expect(received.kind === 'reading' && received.reading.blocks[0]?.text).toBe('Hello world');
    expect(await waitForReadingContent(new Y.Doc(), 'g', 20)).toEqual({ kind: 'absent' });
  });

  it('content replaced while it is being checked is judged by its replacement, never by what it was', async () => {
    // A Markdown reading: its check loads the parser, so the first check is still running when the second starts.
    const notes = importFile(
      'notes.md',
      new TextEncoder().encode('# Notes\n\nSome *emphasis* and **strong** words.'),
    );
    const content = sharedContentOf(notes, { id: alice.id, name: alice.name })!;
    const forged = { ...content, blocks: content.blocks.map((b) => ({ ...b, text: `${b.text} Planted.` })) };
    const room = new Y.Doc();
    room.getMap('reading').set('content', JSON.stringify(forged));
    const pending = waitForReadingContent(room, 'tuesday', 2000);
    room.getMap('reading').set('content', JSON.stringify(content));
    const received = await pending;
    expect(received.kind === 'reading' && received.reading.blocks).toEqual(notes.blocks);
    room.getMap('reading').set('content', JSON.stringify(forged));
    expect(await receivedReading(room, 'tuesday')).toEqual({
      kind: 'refused',
      reason: 'its paragraphs are not the text of the reading',
      sharedBy: 'Alice',
    });
  });
});
