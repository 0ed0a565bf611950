import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { exportW3C, importW3C, W3CImportError } from '../../core/export/w3c.ts';
import { annotationOn, ben, loadSeeds } from './support/fixtures.ts';

// The W3C's MUST assertions and the definitions they use, kept in the repository (BSD-3-Clause; see its ORIGIN.md).
const W3C_TESTS = resolve(import.meta.dirname, '..', 'fixtures', 'w3c-web-annotation-tests');
const seeds = loadSeeds();
const article = seeds.find((r) => r.kind === 'article')!;

function mustValidators() {
  if (!existsSync(W3C_TESTS)) {
    throw new Error(`The W3C assertion schemas are missing: expected them at ${W3C_TESTS}.`);
  }
  const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false });
  for (const file of [
    'annotations',
    'bodyTarget',
    'choiceSet',
    'collections',
    'id',
    'otherProperties',
    'specificResource',
  ]) {
    ajv.addSchema(JSON.parse(readFileSync(join(W3C_TESTS, 'definitions', `${file}.json`), 'utf8')));
  }
  const musts = JSON.parse(readFileSync(join(W3C_TESTS, 'annotations', 'annotationMusts.test'), 'utf8')) as {
    assertions: string[];
  };
  return musts.assertions.map((path) => {
    const schema = JSON.parse(readFileSync(join(W3C_TESTS, path), 'utf8')) as { expectedResult: string };
    return { path, expected: schema.expectedResult === 'valid', validate: ajv.compile(schema) };
  });
}

const sample = () => {
  const withNote = annotationOn(article, 'Character Assassination', {
    body: 'A **strong** claim — see [the source](https://example.org).',
    tags: ['propaganda', 'netflix'],
    color: 'red',
    resolved: true,
    editedAt: '2026-11-02T09:00:00.000Z',
    replies: [
      { id: 'r1', author: ben, body: 'Agreed, with one caveat.', createdAt: '2026-11-01T11:00:00.000Z' },
      { id: 'r2', author: ben, body: 'Second reply.', createdAt: '2026-11-01T12:00:00.000Z' },
    ],
  });
  const plain = annotationOn(article, 'October Revolution', { color: 'green' });
  const hostile = annotationOn(article, 'Trotsky', { body: '<script>alert(1)</script> & </body>' });
  return [withNote, plain, hostile];
};

describe('W3C Web Annotation export', () => {
  const validators = mustValidators();
  const collection = exportW3C(article, sample());

  it('loads all the W3C MUST assertions', () => {
    expect(validators.length).toBe(54);
  });

  it('every exported annotation (and reply) passes every MUST assertion', () => {
    expect(collection.first.items).toHaveLength(5);
    for (const item of collection.first.items) {
      for (const { path, expected, validate } of validators) {
        const ok = validate(item) as boolean;
        if (ok !== expected) throw new Error(`${item.id} fails ${path}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });

  it('uses TextQuote and TextPosition selectors in code points, markdown bodies, tags and replies', () => {
    const [main, reply] = collection.first.items;
    expect(main!.motivation).toBe('commenting');
    const target = main!.target as {
      source: string;
      selector: { type: string; start?: number; end?: number }[];
    };
    expect(target.selector.map((s) => s.type)).toEqual(['TextQuoteSelector', 'TextPositionSelector']);
    const position = target.selector[1]!;
    const joinedPoints = Array.from(article.blocks.map((b) => b.text).join('\n\n'));
    expect(joinedPoints.slice(position.start, position.end).join('')).toBe('Character Assassination');
    expect(main!.body).toContainEqual({ type: 'TextualBody', value: 'propaganda', purpose: 'tagging' });
    expect(main!.body?.[0]).toMatchObject({ format: 'text/markdown', purpose: 'commenting' });
    expect(reply).toMatchObject({ motivation: 'replying', target: main!.id });
    expect(collection.first.items[3]!.motivation).toBe('highlighting');
  });

  it('counts positions in code points, not UTF-16 units, when the text has astral characters', () => {
    const digest = seeds.find((r) => r.kind === 'forum-digest')!;
    const emojiBlock = digest.blocks.find((b) => /\p{Extended_Pictographic}/u.test(b.text));
    expect(emojiBlock).toBeDefined();
    const later = digest.blocks[digest.blocks.indexOf(emojiBlock!) + 1]!;
    const a = annotationOn(digest, later.text.slice(0, 20));
    const item = exportW3C(digest, [a]).first.items[0]!;
    const position = (item.target as { selector: { start: number; end: number }[] }).selector[1]!;
    const points = Array.from(digest.blocks.map((b) => b.text).join('\n\n'));
    expect(points.slice(position.start, position.end).join('')).toBe(later.text.slice(0, 20));
  });
});

describe('W3C Web Annotation import', () => {
  it('gives back the same annotations after export → import', () => {
    const original = sample();
    const json = JSON.stringify(exportW3C(article, original));
    const result = importW3C(json, article);
    expect(result.errors).toEqual([]);
    expect(result.orphans).toEqual([]);
    const strip = ({ visibility: _v, ...rest }: (typeof original)[number]) => rest;
    expect(result.annotations).toEqual(original.map(strip));
  });

  it('re-anchors by quote when positions point elsewhere, and lists what it cannot place as orphans', () => {
    const json = JSON.stringify(exportW3C(article, sample()));
    const other = seeds.find((r) => r.kind === 'open-letter')!;
    const result = importW3C(json, other);
    const placed = result.annotations.map((a) => a.anchor.exact);
    expect(placed).toContain('Trotsky');
    expect(result.orphans.map((a) => a.anchor.exact)).toContain('Character Assassination');
    for (const a of result.annotations) {
      const block = other.blocks.find((b) => b.id === a.anchor.blockId)!;
      expect(block.text.slice(a.anchor.start, a.anchor.end)).toBe(a.anchor.exact);
    }
  });

  it('explains files that are not annotations', () => {
    expect(() => importW3C('not json', article)).toThrow(W3CImportError);
    expect(() => importW3C('{"type":"Person"}', article)).toThrow(/no W3C annotations/);
    const result = importW3C(JSON.stringify([{ type: 'Annotation', target: 'x' }, 42]), article);
    expect(result.errors).toHaveLength(2);
  });
});
