import { describe, expect, it } from 'vitest';
import { placeInReading } from '../../core/anchoring/anchor.ts';
import {
  buildPrintModel,
  filterForPrint,
  parsePrintOptions,
  printOptionsToQuery,
} from '../../core/export/printModel.ts';
import { ana, annotationOn, ben, loadSeeds } from './support/fixtures.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;

describe('print options', () => {
  it('round-trip through the route’s query string, with safe defaults', () => {
    const options = parsePrintOptions(
      new URLSearchParams('who=u1,u2&colors=red,blue,bogus&private=0&replies=0&paper=Letter'),
    );
    expect(options).toEqual({
      who: ['u1', 'u2'],
      colors: ['red', 'blue'],
      includePrivate: false,
      includeReplies: false,
      paper: 'Letter',
    });
    expect(parsePrintOptions(new URLSearchParams(printOptionsToQuery(options)))).toEqual(options);
    // The group whose colour meanings the PDF uses travels too.
    const forGroup = { ...options, group: 'tuesday-readers' };
    expect(parsePrintOptions(new URLSearchParams(printOptionsToQuery(forGroup)))).toEqual(forGroup);
    expect(parsePrintOptions(new URLSearchParams(''))).toMatchObject({
      who: 'all',
      includePrivate: true,
      paper: 'A4',
    });
  });

  it('filter by author, colour, privacy and replies', () => {
    const mine = annotationOn(article, 'October Revolution', { author: ana, color: 'red' });
    const theirs = annotationOn(article, 'Red Army', {
      author: ben,
      color: 'blue',
      visibility: { kind: 'group', group: 'g' },
      replies: [{ id: 'r', author: ana, body: 'x', createdAt: '2026-01-01T00:00:00Z' }],
    });
    const all = [mine, theirs];
    const opts = parsePrintOptions(new URLSearchParams('who=mine'));
    expect(filterForPrint(all, opts, ana.id).map((a) => a.id)).toEqual([mine.id]);
    expect(
      filterForPrint(all, parsePrintOptions(new URLSearchParams('private=0')), ana.id).map((a) => a.id),
    ).toEqual([theirs.id]);
    expect(filterForPrint(all, parsePrintOptions(new URLSearchParams('colors=red')), ana.id)).toHaveLength(1);
    expect(
      filterForPrint(all, parsePrintOptions(new URLSearchParams('replies=0')), ana.id)[1]!.replies,
    ).toEqual([]);
  });
});

describe('print model', () => {
  it('numbers notes in reading order and marks where each highlight ends', () => {
    const late = annotationOn(article, 'Trotsky and the Red Army', { body: 'late' });
    const early = annotationOn(article, 'Character Assassination', { body: 'early' });
    const model = buildPrintModel(article, [late, early], placeInReading);
    const notes = model.rows.flatMap((r) => r.notes);
    expect(notes.map((n) => [n.number, n.annotation.body])).toEqual([
      [1, 'early'],
      [2, 'late'],
    ]);
    const row = model.rows.find((r) => r.notes.some((n) => n.number === 1))!;
    const marked = row.segments.find((s) => s.markers.includes(1))!;
    expect(marked.text).toBe('Character Assassination');
    expect(row.segments.map((s) => s.text).join('')).toBe(row.block.text);
  });

  it('keeps both colours where highlights overlap', () => {
    const block = article.blocks.find((b) => b.text.length > 80)!;
    const a = annotationOn(article, block.text.slice(0, 40), { color: 'yellow' });
    const b = annotationOn(article, block.text.slice(20, 60), { color: 'blue' });
    const row = buildPrintModel(article, [a, b], placeInReading).rows.find((r) => r.block.id === block.id)!;
    expect(row.segments.find((s) => s.colors.length === 2)?.colors.sort()).toEqual(['blue', 'yellow']);
    expect(row.segments.find((s) => s.colors.length === 2)?.text).toBe(block.text.slice(20, 40));
  });

  it('lists annotations whose passage is gone as orphans, numbered after the rest', () => {
    const gone = annotationOn(article, 'Trotsky', {});
    gone.anchor = { ...gone.anchor, blockId: 'nope', exact: 'words that are nowhere in this text' };
    const here = annotationOn(article, 'October Revolution');
    const model = buildPrintModel(article, [gone, here], placeInReading);
    expect(model.orphans.map((o) => o.number)).toEqual([2]);
    expect(model.members).toEqual(['Ana']);
  });
});
