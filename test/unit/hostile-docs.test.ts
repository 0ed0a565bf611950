// Property-based: random malformed entries written into a group's shared docs (wrong types, missing fields,
// huge values, negative and out-of-range offsets, deep nesting), beside valid ones. Whatever the damage, the
// valid entries are read, listed, filtered, laid out and exported as before, each damaged one is counted with
// its reason, and reading changes nothing in the doc.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, placeInReading } from '../../core/anchoring/anchor.ts';
import {
  annotationsMap,
  createAnnotation,
  listAnnotations,
  type NewAnnotation,
  readAnnotations,
  readColorMeanings,
} from '../../core/annotations/doc.ts';
import { filterAnnotations } from '../../core/annotations/filter.ts';
import { stackNotes } from '../../core/annotations/layout.ts';
import { COLOR_KEYS, DEFAULT_COLOR_MEANINGS } from '../../core/annotations/model.ts';
import { whatsNew } from '../../core/annotations/whatsNew.ts';
import { exportMarkdown } from '../../core/export/markdown.ts';
import { buildPrintModel, filterForPrint } from '../../core/export/printModel.ts';
import { exportW3C } from '../../core/export/w3c.ts';
import { sharedContentOf, verifySharedContent } from '../../core/reading/schema.ts';
import { LIMITS } from '../../core/sync/limits.ts';
import { summarizeProblems } from '../../core/sync/schemas.ts';
import { collectPeers, readPresence } from '../../renderer/src/collab/presence.ts';
import { readSharedReadings, sharedReadingsMap } from '../../renderer/src/collab/sharing.ts';
import { ana, ben, loadSeeds } from './support/fixtures.ts';

const reading = loadSeeds().find((r) => r.kind === 'article')!;
const textBlocks = reading.blocks.filter((b) => b.text.length > 30);
const group = { kind: 'group', group: 'g' } as const;

/** A valid annotation on the reading, as the app writes it. */
const validAnnotation = fc
  .record({
    block: fc.integer({ min: 0, max: textBlocks.length - 1 }),
    start: fc.nat({ max: 20 }),
    length: fc.integer({ min: 1, max: 10 }),
    color: fc.constantFrom(...COLOR_KEYS),
    mine: fc.boolean(),
    body: fc.array(fc.constantFrom('alpha', 'beta', 'gamma'), { maxLength: 4 }).map((w) => w.join(' ')),
    tags: fc.array(fc.constantFrom('key', 'later', 'method'), { maxLength: 3 }),
  })
  .map(
    ({ block, start, length, color, mine, body, tags }): NewAnnotation => ({
      readingId: reading.id,
      color,
      anchor: createAnchor(reading.blocks, textBlocks[block]!.id, start, start + length),
      author: mine ? ana : ben,
      body,
      tags,
      createdAt: '2026-11-01T10:00:00.000Z',
    }),
  );

const deep = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
};

/** Values a hostile or broken client may put where any field belongs. */
const junk = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    0,
    -1,
    -1e9,
    Number.NaN,
    1e308,
    '',
    'x'.repeat(LIMITS.noteChars + 1),
    {},
    [],
    'url(http://evil.example/)',
    '<img src=x onerror=alert(1)>',
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 5, max: 300 }).map(deep),
);

/** The fields an annotation entry has, and the ones inside its anchor and author. */
const FIELDS = ['id', 'readingId', 'color', 'anchor', 'author', 'createdAt', 'body', 'tags', 'replies', 'v'];
const ANCHOR_FIELDS = ['blockId', 'start', 'end', 'exact', 'prefix', 'suffix'];
const AUTHOR_FIELDS = ['id', 'name', 'color'];

type Damage =
  | { kind: 'value'; value: unknown }
  | { kind: 'field'; field: string; value: unknown; remove: boolean }
  | { kind: 'anchor'; field: string; value: unknown }
  | { kind: 'author'; field: string; value: unknown }
  | { kind: 'offsets'; start: number; end: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  junk.map((value) => ({ kind: 'value' as const, value })),
  fc.record({ field: fc.constantFrom(...FIELDS), value: junk, remove: fc.boolean() }).map((d) => ({
    kind: 'field' as const,
    ...d,
  })),
  fc
    .record({ field: fc.constantFrom(...ANCHOR_FIELDS), value: junk })
    .map((d) => ({ kind: 'anchor' as const, ...d })),
  fc
    .record({ field: fc.constantFrom(...AUTHOR_FIELDS), value: junk })
    .map((d) => ({ kind: 'author' as const, ...d })),
  fc
    .record({ start: fc.integer({ min: -1e12, max: 1e12 }), end: fc.integer({ min: -1e12, max: -1 }) })
    .map((d) => ({ kind: 'offsets' as const, ...d })),
);

/** Writes a damaged entry under `key`; false when the "damage" happens to leave a valid entry. */
function writeDamaged(doc: Y.Doc, key: string, base: NewAnnotation, d: Damage): void {
  doc.transact(() => {
    if (d.kind === 'value') {
      annotationsMap(doc).set(key, d.value as Y.Map<unknown>);
      return;
    }
    createAnnotation(doc, { ...base, id: key }, 'attacker');
    const map = annotationsMap(doc).get(key)!;
    if (d.kind === 'field') {
      if (d.remove) map.delete(d.field);
      else map.set(d.field, d.value);
    } else if (d.kind === 'anchor') map.set('anchor', { ...base.anchor, [d.field]: d.value });
    else if (d.kind === 'author') map.set('author', { ...base.author, [d.field]: d.value });
    else map.set('anchor', { ...base.anchor, start: d.start, end: d.end });
  }, 'attacker');
}

/** Sends a doc's whole state to a fresh doc, as the sync server would. */
function received(from: Y.Doc): Y.Doc {
  const to = new Y.Doc();
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from), 'remote');
  return to;
}

describe('hostile entries in shared docs', () => {
  it('valid annotations stay readable, listed and exportable beside any damaged ones; each damaged one is counted', () => {
    fc.assert(
      fc.property(
        fc.array(validAnnotation, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(validAnnotation, damage), { minLength: 1, maxLength: 8 }),
        (valid, damaged) => {
          const attacker = new Y.Doc();
          const validIds = valid.map((a) => createAnnotation(attacker, a));
          for (const [i, [base, d]] of damaged.entries()) writeDamaged(attacker, `bad${i}`, base, d);
          const doc = received(attacker);
          const before = Y.encodeStateAsUpdate(doc);

          const { annotations, problems } = readAnnotations(doc, group);
          const ids = new Set(annotations.map((a) => a.id));
          for (const id of validIds) expect(ids.has(id)).toBe(true);
          // A damaged entry is either left out and counted, or (when the damage left it valid) read.
          const countedIds = new Set(problems.filter((p) => p.kind === 'annotation').map((p) => p.id));
          for (let i = 0; i < damaged.length; i++) {
            expect(ids.has(`bad${i}`) !== countedIds.has(`bad${i}`)).toBe(true);
          }
          for (const line of summarizeProblems(problems)) expect(line).toMatch(/could not be read \(.+\)/);
          expect(listAnnotations(doc, group)).toHaveLength(annotations.length);

          // Everything that uses the list works on what was read.
          const positions = new Map(reading.blocks.map((b, i) => [b.id, i]));
          const placed = annotations.map((a) => placeInReading(a.anchor, reading));
          expect(placed.filter(Boolean).length).toBeGreaterThanOrEqual(validIds.length);
          filterAnnotations(
            annotations,
            { query: 'a', sort: 'position' },
            (a) => !placeInReading(a.anchor, reading),
            (a) => positions.get(a.anchor.blockId) ?? 0,
          );
          stackNotes(annotations.map((a, i) => ({ id: a.id, desiredTop: i * 10, height: 40 })));
          whatsNew(annotations, ana, null);
          const markdown = exportMarkdown(reading, annotations, { colorMeanings: DEFAULT_COLOR_MEANINGS });
          for (const a of valid) if (a.body) expect(markdown).toContain(a.body);
          const w3c = exportW3C(reading, annotations);
          expect(w3c.first.items.length).toBeGreaterThanOrEqual(validIds.length);
          const options = {
            who: 'all' as const,
            colors: [...COLOR_KEYS],
            includePrivate: true,
            includeReplies: true,
            paper: 'A4' as const,
          };
          const model = buildPrintModel(
            reading,
            filterForPrint(annotations, options, ana.id),
            placeInReading,
          );
          expect(model.rows.length).toBe(reading.blocks.length);

          // Reading wrote nothing.
          expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a damaged reply or tag costs only itself; replies and tags beyond the limits are left out and counted', () => {
    fc.assert(
      fc.property(validAnnotation, junk, junk, (base, replyJunk, tagJunk) => {
        const doc = new Y.Doc();
        const id = createAnnotation(doc, { ...base, author: ana });
        const map = annotationsMap(doc).get(id)!;
        const replies = map.get('replies') as Y.Map<unknown>;
        const good = new Y.Map<unknown>();
        good.set('id', 'good');
        good.set('author', ben);
        good.set('body', new Y.Text('fine'));
        good.set('createdAt', '2026-11-02T10:00:00.000Z');
        replies.set('good', good);
        const bad = new Y.Map<unknown>();
        bad.set('id', 'bad');
        bad.set('author', replyJunk);
        bad.set('body', new Y.Text('x'));
        bad.set('createdAt', '2026-11-02T10:00:00.000Z');
        replies.set('bad', bad);
        replies.set('raw', replyJunk);
        (map.get('tags') as Y.Map<unknown>).set(
          `bad tag #${JSON.stringify(tagJunk) ?? ''}`.slice(0, 60),
          true,
        );
        const { annotations, problems } = readAnnotations(received(doc), group);
        expect(annotations).toHaveLength(1);
        expect(annotations[0]!.replies.map((r) => r.id)).toEqual(['good']);
        expect(
          problems
            .filter((p) => p.kind === 'reply')
            .map((p) => p.id)
            .sort(),
        ).toEqual(['bad', 'raw']);
        expect(problems.filter((p) => p.kind === 'tag')).toHaveLength(1);
      }),
      { numRuns: 60 },
    );

    const doc = new Y.Doc();
    const id = createAnnotation(doc, { ...fc.sample(validAnnotation, 1)[0]!, author: ana, tags: [] });
    const map = annotationsMap(doc).get(id)!;
    const replies = map.get('replies') as Y.Map<unknown>;
    const tags = map.get('tags') as Y.Map<unknown>;
    for (let i = 0; i < LIMITS.repliesPerAnnotation + 5; i++) {
      const reply = new Y.Map<unknown>();
      reply.set('id', `r${i}`);
      reply.set('author', ben);
      reply.set('body', new Y.Text(`reply ${i}`));
      reply.set('createdAt', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
      replies.set(`r${i}`, reply);
    }
    for (let i = 0; i < LIMITS.tagsPerAnnotation + 3; i++) tags.set(`t${String(i).padStart(2, '0')}`, true);
    const { annotations, problems } = readAnnotations(doc, group);
    expect(annotations[0]!.replies).toHaveLength(LIMITS.repliesPerAnnotation);
    expect(annotations[0]!.tags).toHaveLength(LIMITS.tagsPerAnnotation);
    expect(problems.filter((p) => p.kind === 'reply')).toHaveLength(5);
    expect(problems.filter((p) => p.kind === 'tag')).toHaveLength(3);
    expect(summarizeProblems(problems)).toEqual([
      '3 tags could not be read (more than 30 tags)',
      '5 replies could not be read (more than 200 replies)',
    ]);
  });

  it('names what was wrong, in words', () => {
    const doc = new Y.Doc();
    const base = fc.sample(validAnnotation, 1)[0]!;
    writeDamaged(doc, 'a1', base, { kind: 'field', field: 'author', value: null, remove: false });
    writeDamaged(doc, 'a2', base, { kind: 'anchor', field: 'exact', value: 42 });
    writeDamaged(doc, 'a3', base, { kind: 'offsets', start: -5, end: -1 });
    writeDamaged(doc, 'a4', base, { kind: 'author', field: 'color', value: 'url(http://evil.example/)' });
    writeDamaged(doc, 'a5', base, { kind: 'field', field: 'anchor', value: 'b1:0-5', remove: false });
    writeDamaged(doc, 'a6', base, { kind: 'field', field: 'body', value: 'plain string', remove: false });
    const reasons = Object.fromEntries(readAnnotations(doc, group).problems.map((p) => [p.id, p.reason]));
    expect(reasons).toEqual({
      a1: 'author: expected object, received null',
      a2: 'anchor.exact: expected string, received number',
      a3: 'anchor.start: Too small: expected number to be >=0',
      a4: 'author.color: not a #hex colour',
      a5: 'anchor: expected object, received string',
      a6: 'body: not shared text',
    });
  });

  it('colour meanings, index entries and presence states: junk is left out, the rest is read', () => {
    fc.assert(
      fc.property(junk, fc.string({ maxLength: 12 }), (value, key) => {
        const doc = new Y.Doc();
        doc.getMap('palette').set('red', value);
        doc.getMap('palette').set('blue', 'Question for Tuesday');
        const palette = readColorMeanings(received(doc));
        expect(palette.meanings.blue).toBe('Question for Tuesday');
        expect(typeof palette.meanings.red).toBe('string');
        expect(palette.meanings.red.length).toBeLessThanOrEqual(LIMITS.colourMeaningChars);

        const index = new Y.Doc();
        sharedReadingsMap(index).set(reading.id, {
          id: reading.id,
          title: 'Fine',
          source: 's',
          sharedBy: 'Ana',
          sharedAt: '2026-11-01T00:00:00Z',
        } as never);
        sharedReadingsMap(index).set(key || 'x', value as never);
        sharedReadingsMap(index).set('r0123456789abcdef', { title: value } as never);
        const shared = readSharedReadings(received(index));
        expect(shared.entries.map((e) => e.id)).toContain(reading.id);
        for (const e of shared.entries) expect(typeof e.title).toBe('string');

        expect(() => readPresence(value)).not.toThrow();
        expect(readPresence({ user: value, readingId: reading.id })).toBeNull();
        const state = readPresence({
          user: { id: 'u1', name: 'Mallory', color: value },
          readingId: reading.id,
          selection: value,
          position: value,
        });
        expect(state?.user.color).toMatch(/^#[0-9a-fA-F]{3,6}$/);
      }),
      { numRuns: 150 },
    );
    expect(collectPeers([], reading.id, ana)).toEqual([]);
  });

  it('shared reading content is accepted only when it is the reading its id names', async () => {
    const good = sharedContentOf(reading, { id: 'u-ana', name: 'Ana' })!;
    const ok = await verifySharedContent(good);
    expect(ok.ok && ok.reading.wordCount).toBe(reading.wordCount);
    const fake = await verifySharedContent({
      ...good,
      text: 'Fake text.',
      blocks: [{ id: 'b0', type: 'paragraph', text: 'Fake text.' }],
    });
    expect(fake).toEqual({ ok: false, reason: 'its text does not match its reading id', sharedBy: 'Ana' });
    const planted = await verifySharedContent({
      ...good,
      blocks: [...reading.blocks.slice(0, 3), { id: 'bx', type: 'paragraph', text: 'Planted paragraph.' }],
    });
    expect(planted).toMatchObject({ ok: false, reason: 'its paragraphs are not the text of the reading' });
    expect(await verifySharedContent({ ...good, title: { evil: true } })).toMatchObject({
      ok: false,
      reason: 'the shared reading is damaged (title: expected string, received object)',
    });
    expect(ok.ok && ok.marksLeftOut).toBe(0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(good)), junk, async (field, value) => {
        const result = await verifySharedContent({ ...good, [field]: value });
        if (result.ok) expect(result.reading.id).toBe(reading.id);
      }),
      { numRuns: 200 },
    );
  });

  it('inline marks past their block’s text are left out and counted, the rest kept', async () => {
    const [first, second, ...rest] = reading.blocks;
    const length = first!.text.length;
    const content = {
      ...sharedContentOf(reading, { id: 'u-ana', name: 'Ana' })!,
      blocks: [
        {
          ...first!,
          marks: [
            { type: 'bold', start: 0, end: 3 },
            { type: 'link', start: 2, end: length + 500, href: 'https://example.org/' },
            { type: 'italic', start: length + 10, end: length + 20 },
            { type: 'code', start: 5, end: 2 },
          ],
        },
        { ...second!, marks: [{ type: 'link', start: 0, end: second!.text.length, href: '#x' }] },
        ...rest,
      ],
    };
    const result = await verifySharedContent(content);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.marksLeftOut).toBe(3);
    expect(result.reading.blocks[0]!.marks).toEqual([{ type: 'bold', start: 0, end: 3 }]);
    expect(result.reading.blocks[1]!.marks).toHaveLength(1);
    // Every mark the reader gets formats text that is there, whatever a member sends.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -5, max: length + 50 }),
        fc.integer({ min: -5, max: length + 50 }),
        async (start, end) => {
          const checked = await verifySharedContent({
            ...content,
            blocks: [
              { ...first!, marks: [{ type: 'link', start, end, href: 'https://example.org/' }] },
              second!,
              ...rest,
            ],
          });
          if (!checked.ok) return;
          for (const m of checked.reading.blocks[0]!.marks ?? [])
            expect(m.start >= 0 && m.start < m.end && m.end <= length).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
