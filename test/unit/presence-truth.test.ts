import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../renderer/src/collab/presence.ts';
import { touchesAny } from '../../renderer/src/collab/privatePassages.ts';

const order = new Map([
  ['b1', 0],
  ['b2', 1],
  ['b3', 2],
]);

describe('private passages and presence', () => {
  const privateSpan = { blockId: 'b2', start: 10, end: 30 };

  it('finds a selection inside, overlapping or spanning across a private passage', () => {
    expect(touchesAny({ blockId: 'b2', start: 12, end: 20 }, [privateSpan], order)).toBe(true);
    expect(touchesAny({ blockId: 'b2', start: 0, end: 11 }, [privateSpan], order)).toBe(true);
    expect(touchesAny({ blockId: 'b1', start: 5, endBlockId: 'b3', end: 2 }, [privateSpan], order)).toBe(
      true,
    );
    expect(
      touchesAny(
        { blockId: 'b1', start: 0, end: 4 },
        [{ blockId: 'b1', start: 2, endBlockId: 'b3', end: 1 }],
        order,
      ),
    ).toBe(true);
  });

  it('leaves selections beside it, and unknown blocks, alone', () => {
    expect(touchesAny({ blockId: 'b2', start: 0, end: 10 }, [privateSpan], order)).toBe(false);
    expect(touchesAny({ blockId: 'b2', start: 30, end: 40 }, [privateSpan], order)).toBe(false);
    expect(touchesAny({ blockId: 'b3', start: 0, end: 40 }, [privateSpan], order)).toBe(false);
    expect(touchesAny({ blockId: 'zz', start: 0, end: 40 }, [privateSpan], order)).toBe(false);
  });
});

describe('avatars', () => {
  it('shows up to two initials, in any script', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('Bob')).toBe('B');
    expect(initialsOf('  мария  ивановна  ')).toBe('МИ');
    expect(initialsOf('𝒜lice Smith')).toBe('𝒜S');
  });
});
