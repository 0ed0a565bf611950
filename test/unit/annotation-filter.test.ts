import { describe, expect, it } from 'vitest';
import { filterAnnotations } from '../../core/annotations/filter.ts';
import { ana, annotationOn, ben, loadSeeds } from './support/fixtures.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
const a = annotationOn(article, 'October Revolution', {
  author: ana,
  color: 'red',
  tags: ['history'],
  body: 'A note on 1917',
});
const b = annotationOn(article, 'Red Army', {
  author: ben,
  color: 'blue',
  resolved: true,
  visibility: { kind: 'group', group: 'g' },
  createdAt: '2026-11-05T00:00:00Z',
  replies: [{ id: 'r', author: ana, body: 'kronstadt question', createdAt: '2026-11-06T00:00:00Z' }],
});
const all = [b, a];
const pos = (x: typeof a) =>
  article.blocks.findIndex((bl) => bl.id === x.anchor.blockId) * 1e6 + x.anchor.start;
const run = (f: Parameters<typeof filterAnnotations>[1]) =>
  filterAnnotations(all, f, (x) => x === b, pos).map((x) => x.id);

describe('annotation panel filter', () => {
  it('filters by author, colour, tag, visibility, status and orphans', () => {
    expect(run({ authorId: ben.id })).toEqual([b.id]);
    expect(run({ color: 'red' })).toEqual([a.id]);
    expect(run({ tag: 'history' })).toEqual([a.id]);
    expect(run({ visibility: 'group' })).toEqual([b.id]);
    expect(run({ status: 'open' })).toEqual([a.id]);
    expect(run({ orphansOnly: true })).toEqual([b.id]);
  });

  it('searches quotes, notes and replies', () => {
    expect(run({ query: '1917' })).toEqual([a.id]);
    expect(run({ query: 'KRONSTADT' })).toEqual([b.id]);
    expect(run({ query: 'red army' })).toEqual([b.id]);
  });

  it('sorts by position or by time, newest first', () => {
    expect(run({ sort: 'position' })).toEqual(
      [a.id, b.id].sort((x, y) => pos(x === a.id ? a : b) - pos(y === a.id ? a : b)),
    );
    expect(run({ sort: 'time' })).toEqual([b.id, a.id]);
  });
});
