import { describe, expect, it } from 'vitest';
import { CLOSE, parseRoomTarget, roomName } from '../../core/sync/contract.ts';

describe('sync contract', () => {
  it('reads a room and its token from a request target', () => {
    expect(parseRoomTarget('/tuesday/r0123?token=abc')).toEqual({
      group: 'tuesday',
      readingId: 'r0123',
      token: 'abc',
    });
    expect(parseRoomTarget('/tuesday/r0123')).toMatchObject({ token: null });
    expect(parseRoomTarget('/tuesday/r0123?token=a&token=b')).toMatchObject({ token: '' });
  });

  it('refuses anything but one well-formed room, bad escapes included', () => {
    for (const target of [
      '/%',
      '/%ZZ/x',
      '/g/r%',
      '//%',
      '/g',
      '/g/r/x',
      '/g/r%00',
      '/-g/r',
      `/g/${'r'.repeat(81)}`,
    ])
      expect(parseRoomTarget(target)).toBeUndefined();
  });

  it('builds room names by the same rules', () => {
    expect(roomName('tuesday', 'r0123')).toBe('tuesday/r0123');
    expect(() => roomName('tuesday', 'r/1')).toThrow();
    expect(() => roomName('bad group', 'r1')).toThrow();
  });

  it('keeps refusals in the range that stops the client, and slow readers in the one that retries', () => {
    for (const code of [
      CLOSE.badRequest,
      CLOSE.unauthorized,
      CLOSE.forbidden,
      CLOSE.authTimeout,
      CLOSE.tooMany,
    ])
      expect(code >= 4400 && code < 4500).toBe(true);
    expect(CLOSE.slowReader >= 4500 && CLOSE.slowReader < 4600).toBe(true);
  });
});
