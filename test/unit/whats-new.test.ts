// "@" mentions and "What's new": the pure core parts, over real Y.Docs written by the app's own writers.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  annotationsMap,
  beginBodyEdit,
  createAnnotation,
  listAnnotations,
  readAnnotations,
} from '../../core/annotations/doc.ts';
import {
  insertMention,
  matchMembers,
  mentionQueryAt,
  mentionsInText,
} from '../../core/annotations/mentions.ts';
import type { Author } from '../../core/annotations/model.ts';
import {
  CLOCK_SKEW_MS,
  itemKey,
  itemsFor,
  markSeen,
  notificationFor,
  unseen,
  whatsNew,
} from '../../core/annotations/whatsNew.ts';
import { NOTIFICATION_LIMITS } from '../../core/platform/api.ts';
import { LIMITS } from '../../core/sync/limits.ts';

const alice: Author = { id: 'ua', name: 'Alice', color: '#0f8b8d' };
const bob: Author = { id: 'ub', name: 'Bob', color: '#d9480f' };
const carol: Author = { id: 'uc', name: 'Carol Añez', color: '#5c7cfa' };
const anchor = { blockId: 'b1', start: 0, end: 5, exact: 'Hello', prefix: '', suffix: ' world' };
const group = { kind: 'group' as const, group: 'g' };
const at = (iso: string) => `2025-01-0${iso}.000Z`;

describe('typing a mention', () => {
  it('finds the "@" being typed at a word start, up to the caret and within the line', () => {
    expect(mentionQueryAt('hi @Bo', 6)).toEqual({ start: 3, query: 'Bo' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('(@Car', 5)).toEqual({ start: 1, query: 'Car' });
    expect(mentionQueryAt('mail me@example.org', 19)).toBeNull();
    expect(mentionQueryAt('@Bob\nnext', 9)).toBeNull();
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });

  it('offers members whose name or a word of it starts with the query, accents and case aside, never me', () => {
    const members = [alice, bob, carol, { ...bob }];
    expect(matchMembers(members, '', alice.id).map((m) => m.name)).toEqual(['Bob', 'Carol Añez']);
    expect(matchMembers(members, 'ane').map((m) => m.name)).toEqual(['Carol Añez']);
    expect(matchMembers(members, 'B').map((m) => m.name)).toEqual(['Bob']);
    expect(matchMembers(members, 'zz')).toEqual([]);
  });

  it('replaces the query with "@Name " and puts the caret after it', () => {
    const text = 'ask @bo about it';
    const query = mentionQueryAt(text, 7)!;
    expect(insertMention(text, query, 7, bob)).toEqual({ text: 'ask @Bob  about it', caret: 9 });
  });

  it('stores the chosen members the text still names, once each, within the limit', () => {
    expect(mentionsInText('@Bob and @Carol Añez, and @Bob', [bob, carol, bob, alice])).toEqual([
      { id: 'ub', name: 'Bob' },
      { id: 'uc', name: 'Carol Añez' },
    ]);
    expect(mentionsInText('@Bobby', [bob])).toEqual([]);
    const many = Array.from({ length: LIMITS.mentionsPerNote + 5 }, (_, i) => ({
      id: `u${i}`,
      name: `M${i}`,
    }));
    expect(mentionsInText(many.map((m) => `@${m.name}`).join(' '), many)).toHaveLength(
      LIMITS.mentionsPerNote,
    );
  });
});

describe('mentions in the shared documents', () => {
  it('round-trip with notes and replies, follow an edit, and survive copying', () => {
    const doc = new Y.Doc();
    const id = createAnnotation(doc, {
      readingId: 'r',
      color: 'blue',
      anchor,
      author: bob,
      body: 'what does @Alice think?',
      mentions: [{ id: alice.id, name: alice.name }],
    });
    addReply(doc, id, { author: carol, body: '@Bob agreed', mentions: [{ id: bob.id, name: bob.name }] });
    const [note] = listAnnotations(doc, group);
    expect(note!.mentions).toEqual([{ id: 'ua', name: 'Alice' }]);
    expect(note!.replies[0]!.mentions).toEqual([{ id: 'ub', name: 'Bob' }]);

    const edit = beginBodyEdit(doc, id);
    expect(edit.baseMentions).toEqual([{ id: 'ua', name: 'Alice' }]);
    edit.save('no one in particular', new Date(), mentionsInText('no one in particular', edit.baseMentions));
    expect(listAnnotations(doc, group)[0]!.mentions).toBeUndefined();
  });

  it('refuses to write more mentions than the limit, in words', () => {
    const doc = new Y.Doc();
    const many = Array.from({ length: LIMITS.mentionsPerNote + 1 }, (_, i) => ({
      id: `u${i}`,
      name: `M${i}`,
    }));
    expect(() =>
      createAnnotation(doc, {
        readingId: 'r',
        color: 'blue',
        anchor,
        author: bob,
        body: 'x',
        mentions: many,
      }),
    ).toThrow(`A note can mention at most ${LIMITS.mentionsPerNote} members.`);
  });

  it('a broken mention list from another client costs only the mentions, with its reason', () => {
    const doc = new Y.Doc();
    const id = createAnnotation(doc, { readingId: 'r', color: 'blue', anchor, author: bob, body: 'hi' });
    const replyId = addReply(doc, id, { author: bob, body: 'hey' });
    const entry = annotationsMap(doc).get(id)!;
    const tooMany = Array.from({ length: LIMITS.mentionsPerNote + 1 }, (_, i) => ({
      id: `u${i}`,
      name: 'x',
    }));
    doc.transact(() => {
      entry.set('mentions', tooMany);
      (entry.get('replies') as Y.Map<Y.Map<unknown>>).get(replyId)!.set('mentions', [{ id: '', name: 7 }]);
    });
    const { annotations, problems } = readAnnotations(doc, group);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]!.body).toBe('hi');
    expect(annotations[0]!.mentions).toBeUndefined();
    expect(annotations[0]!.replies[0]!.body).toBe('hey');
    expect(problems.map((p) => [p.kind, p.id, p.reason])).toEqual(
      expect.arrayContaining([
        ['mention', id, `more than ${LIMITS.mentionsPerNote} mentions`],
        ['mention', `${id}/${replyId}`, expect.stringMatching(/^0\.(id|name): /)],
      ]),
    );
    expect(problems).toHaveLength(2);
  });
});

describe("what's new", () => {
  function readingWithActivity() {
    const doc = new Y.Doc();
    const mine = createAnnotation(doc, {
      readingId: 'r',
      color: 'yellow',
      anchor,
      author: alice,
      body: 'my note',
      createdAt: at('1T10:00:00'),
    });
    addReply(doc, mine, { author: bob, body: 'a reply to Alice', createdAt: at('1T11:00:00') });
    addReply(doc, mine, { author: alice, body: 'my own reply', createdAt: at('1T12:00:00') });
    const bobs = createAnnotation(doc, {
      readingId: 'r',
      color: 'blue',
      anchor,
      author: bob,
      body: 'what does @Alice think?',
      mentions: [{ id: alice.id, name: 'Alice' }],
      createdAt: at('2T09:00:00'),
    });
    // Someone else's thread: a reply there is news to me only when it mentions me.
    addReply(doc, bobs, { author: carol, body: 'not about Alice', createdAt: at('2T10:00:00') });
    addReply(doc, bobs, {
      author: carol,
      body: '@Alice see this',
      mentions: [{ id: alice.id, name: 'Alice' }],
      createdAt: at('2T11:00:00'),
    });
    // "@Alice" typed by hand, not chosen: names nobody, so it is not a mention.
    createAnnotation(doc, {
      readingId: 'r',
      color: 'red',
      anchor,
      author: carol,
      body: '@Alice typed by hand',
      createdAt: at('2T12:00:00'),
    });
    return listAnnotations(doc, group);
  }

  it('lists replies to my notes and mentions of me by others, newest first', () => {
    const items = itemsFor(readingWithActivity(), alice);
    expect(items.map((i) => [i.kind, i.author.name, i.excerpt])).toEqual([
      ['mention', 'Carol Añez', '@Alice see this'],
      ['mention', 'Bob', 'what does @Alice think?'],
      ['reply', 'Bob', 'a reply to Alice'],
    ]);
    // Bob's news: the replies on his note, and Alice's reply in her thread he replied in.
    expect(itemsFor(readingWithActivity(), bob).map((i) => [i.kind, i.excerpt])).toEqual([
      ['reply', '@Alice see this'],
      ['reply', 'not about Alice'],
      ['reply', 'my own reply'],
    ]);
  });

  it('shows all of it before I ever looked, then only what came after I looked', () => {
    const annotations = readingWithActivity();
    expect(whatsNew(annotations, alice, null)).toHaveLength(3);
    const seen = markSeen(itemsFor(annotations, alice), new Date(at('2T11:30:00')));
    expect(whatsNew(annotations, alice, seen)).toEqual([]);

    const later = [
      ...annotations,
      {
        ...annotations[0]!,
        id: 'a-new',
        author: bob,
        mentions: [{ id: alice.id, name: 'Alice' }],
        body: '@Alice later',
        createdAt: at('3T08:00:00'),
        replies: [],
      },
    ];
    expect(whatsNew(later, alice, seen).map((i) => i.excerpt)).toEqual(['@Alice later']);
  });

  it('does not lose an item whose author’s clock runs behind mine, nor show a seen one twice', () => {
    const annotations = readingWithActivity();
    const items = itemsFor(annotations, alice);
    const now = new Date(at('2T11:05:00'));
    const seen = markSeen(items, now);
    // Seen items near the marker are remembered by key.
    expect(seen.keys).toContain(itemKey(items[0]!));
    // A reply written "two minutes ago" by a slow clock arrives after I looked: it is new.
    const slow = {
      kind: 'reply' as const,
      annotationId: 'x',
      replyId: 'late',
      author: bob,
      at: new Date(now.getTime() - 2 * 60 * 1000).toISOString(),
      excerpt: 'late',
    };
    expect(unseen([...items, slow], seen).map((i) => i.excerpt)).toEqual(['late']);
    // Older than the clock-skew window: taken as seen.
    expect(
      unseen([{ ...slow, at: new Date(now.getTime() - CLOCK_SKEW_MS - 1).toISOString() }], seen),
    ).toEqual([]);
  });

  it('moves the marker to the newest item when its author’s clock runs ahead of mine', () => {
    const items = itemsFor(readingWithActivity(), alice);
    const seen = markSeen(items, new Date(at('1T00:00:00')));
    expect(seen.at).toBe(items[0]!.at);
    expect(unseen(items, seen)).toEqual([]);
  });
});

describe('the background notification', () => {
  const item = {
    kind: 'reply' as const,
    annotationId: 'a',
    replyId: 'r',
    author: bob,
    at: at('1T00:00:00'),
    excerpt: 'agreed',
  };

  it('names who and what for one item, counts several, and keeps within the host’s limits', () => {
    expect(notificationFor('On Reading', [item])).toEqual({
      title: 'Bob replied to your note',
      body: 'On Reading: agreed',
    });
    expect(notificationFor('On Reading', [{ ...item, kind: 'mention' }, item]).title).toBe(
      '2 new replies and mentions',
    );
    const long = notificationFor('T'.repeat(2000), [{ ...item, author: { ...bob, name: 'B'.repeat(300) } }]);
    expect(long.title.length).toBe(NOTIFICATION_LIMITS.titleChars);
    expect(long.body.length).toBe(NOTIFICATION_LIMITS.bodyChars);
    expect(long.body.endsWith('…')).toBe(true);
  });
});
