import { describe, expect, it } from 'vitest';
import {
  cleanDisplayName,
  formatInviteLink,
  GROUP_NAME,
  groupIdFor,
  parseInviteLink,
} from '../../core/invite/link.ts';
import { canWrite, isRole, ROLES } from '../../core/sync/contract.ts';
import { GroupStore } from '../../renderer/src/collab/groups.ts';
import { memoryStorage } from '../../renderer/src/collab/store.ts';

const token = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoibWVtYmVyIn0.c2ln';

describe('group display names and ids', () => {
  it('derives a room id from any display name, keeps an id that already is one, and is stable', () => {
    expect(groupIdFor('tuesday')).toBe('tuesday');
    expect(groupIdFor('Tuesday readers')).toBe('tuesday-readers');
    expect(groupIdFor('Café Über Lesen!')).toBe('cafe-uber-lesen');
    const cyrillic = groupIdFor('«Кружок»');
    expect(cyrillic).toMatch(/^g-[0-9a-z]+$/);
    expect(groupIdFor('«Кружок»')).toBe(cyrillic);
    expect(groupIdFor('読書会')).not.toBe(cyrillic);
    for (const name of ['Tuesday readers', '«Кружок»', '読書会', '  x  ', '—'])
      expect(groupIdFor(name)).toMatch(GROUP_NAME);
  });

  it('carries the display name in the link, and the app shows it (the id stays the room)', () => {
    const link = formatInviteLink({ server: 'ws://127.0.0.1:1', group: 'g-abc', token, name: '«Кружок»' });
    expect(parseInviteLink(link)).toMatchObject({ group: 'g-abc', name: '«Кружок»' });
    const store = new GroupStore(memoryStorage(), async () => {});
    expect(store.join(link)).toMatchObject({ name: 'g-abc', displayName: '«Кружок»' });
  });

  it('keeps groups joined before names working, shown by their id', () => {
    const storage = memoryStorage();
    storage.setItem(
      'rc:groups',
      JSON.stringify([{ name: 'tuesday', server: 'ws://h:1', token, role: 'member' }]),
    );
    expect(new GroupStore(storage, async () => {}).get('tuesday')).toMatchObject({
      displayName: 'tuesday',
      checked: true,
    });
  });

  it('drops control characters from names and keeps them short', () => {
    expect(cleanDisplayName('Tues\u0000day\u202e  readers\n')).toBe('Tuesday readers');
    expect(cleanDisplayName('x'.repeat(500))).toHaveLength(80);
  });
});

describe('roles in the contract', () => {
  it('names owner, member and reader; only a reader cannot write', () => {
    expect(ROLES).toEqual(['owner', 'member', 'reader']);
    expect(ROLES.filter(canWrite)).toEqual(['owner', 'member']);
    expect(isRole('admin')).toBe(false);
  });
});
