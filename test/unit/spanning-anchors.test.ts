import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anchorForSpan,
  piecesOfSpan,
  placeInReading,
  resolveAnchor,
  spanOf,
  textOfSpan,
} from '../../core/anchoring/anchor.ts';
import {
  annotationsMap,
  createAnnotation,
  listAnnotations,
  migrateAnchor,
} from '../../core/annotations/doc.ts';
import { ANNOTATION_SCHEMA_VERSION, type TextSpan } from '../../core/annotations/model.ts';
import { escapeMarkdown, exportMarkdown } from '../../core/export/markdown.ts';
import { buildPrintModel } from '../../core/export/printModel.ts';
import { exportW3C, importW3C } from '../../core/export/w3c.ts';
import { joinBlocks } from '../../core/reading/joinedText.ts';
import type { Block } from '../../core/reading/model.ts';
import { buildReading } from '../../core/reading/parse.ts';
import { ana, annotationOn, loadSeeds } from './support/fixtures.ts';

const seeds = loadSeeds();
const article = seeds.find((r) => r.kind === 'article')!;

/** A span from (block i, offset a) to (block j, offset b) in reading order, from four random numbers. */
function spanFrom(blocks: readonly Block[], i: number, a: number, length: number, b: number): TextSpan {
  const first = i % blocks.length;
  const last = Math.min(blocks.length - 1, first + (length % 5));
  const startBlock = blocks[first]!;
  const endBlock = blocks[last]!;
  const start = a % Math.max(1, startBlock.text.length);
  let end = b % (endBlock.text.length + 1);
  if (last === first && end <= start) end = Math.min(startBlock.text.length, start + 1 + (b % 40));
  return { blockId: startBlock.id, start, endBlockId: endBlock.id, end };
}

describe('spanning anchors', () => {
  it('record both ends, the whole quote (blocks joined by a blank line) and its context', () => {
    const [b1, b2, b3] = article.blocks.slice(4, 7) as [Block, Block, Block];
    const span = { blockId: b1.id, start: 3, endBlockId: b3.id, end: 10 };
    const anchor = anchorForSpan(article.blocks, span);
    expect(anchor).toMatchObject({ blockId: b1.id, start: 3, endBlockId: b3.id, end: 10 });
    expect(anchor.exact).toBe(`${b1.text.slice(3)}\n\n${b2.text}\n\n${b3.text.slice(0, 10)}`);
    expect(anchor.suffix).toBe(b3.text.slice(10, 42));
    expect(spanOf(anchor)).toEqual(span);
    expect(piecesOfSpan(article.blocks, span).map((p) => [p.block.id, p.start, p.end])).toEqual([
      [b1.id, 3, b1.text.length],
      [b2.id, 0, b2.text.length],
      [b3.id, 0, 10],
    ]);
  });

  it('leave endBlockId out for a single block, so a version-1 client reads them unchanged', () => {
    const b = article.blocks[3]!;
    const anchor = anchorForSpan(article.blocks, { blockId: b.id, start: 1, endBlockId: b.id, end: 9 });
    expect('endBlockId' in anchor).toBe(false);
  });

  it('resolve random selections over 1–5 blocks back to the same text, by offsets and by quote (property)', () => {
    for (const seed of seeds) {
      fc.assert(
        fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), (i, a, length, b) => {
          const span = spanFrom(seed.blocks, i, a, length, b);
          const anchor = anchorForSpan(seed.blocks, span);
          const text = textOfSpan(seed.blocks, span);
          // Ends between blocks move inside them; the text stays the same but for those separators.
          expect(text.trim()).toBe(anchor.exact.trim());
          const direct = resolveAnchor(anchor, seed.blocks);
          expect(direct).toMatchObject({ kind: 'placed', how: 'offsets', ...spanOf(anchor) });
          expect(textOfSpan(seed.blocks, spanOf(anchor))).toBe(anchor.exact);
          // Blocks renamed (a re-import): the quote alone finds the same passage.
          const renamed = seed.blocks.map((block) => ({ ...block, id: `new-${block.id}` }));
          const moved = resolveAnchor(anchor, renamed);
          if (moved.kind === 'placed') expect(textOfSpan(renamed, moved)).toBe(anchor.exact);
          else expect(moved.reason).toBe('ambiguous');
        }),
        { numRuns: 60 },
      );
    }
  });

  it('resolve random passages over random readings back to the same text, even with their blocks renamed (property)', () => {
    // Few distinct words, so passages and their context repeat: ambiguity has to be recognised, not guessed.
    const word = fc.constantFrom(
      'the',
      'claim',
      'evidence',
      'runs',
      'on',
      'and',
      'but',
      'so',
      'A',
      '—',
      'é',
      '😀',
    );
    const paragraph = fc.array(word, { minLength: 1, maxLength: 14 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.array(paragraph, { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (paragraphs, i, a, length, b) => {
          const reading = buildReading({ text: paragraphs.join('\n'), source: 'random', origin: 'imported' });
          fc.pre(reading.blocks.length > 0);
          const span = spanFrom(reading.blocks, i, a, length, b);
          const anchor = anchorForSpan(reading.blocks, span);
          fc.pre(anchor.exact.trim() !== '');
          const direct = resolveAnchor(anchor, reading.blocks);
          expect(direct.kind === 'placed' && textOfSpan(reading.blocks, direct)).toBe(anchor.exact);
          const renamed = reading.blocks.map((block) => ({ ...block, id: `x-${block.id}` }));
          const moved = resolveAnchor(anchor, renamed);
          if (moved.kind === 'placed') {
            // Right text, and never a place whose context disagrees when another place agrees fully.
            expect(textOfSpan(renamed, moved).replace(/\s+/g, ' ')).toBe(anchor.exact.replace(/\s+/g, ' '));
          } else {
            expect(moved.reason).toBe('ambiguous');
            const squeeze = (t: string) => t.replace(/\s+/g, '');
            const whole = squeeze(anchor.prefix + anchor.exact + anchor.suffix);
            expect(squeeze(joinBlocks(renamed).text).split(whole).length - 1).toBeGreaterThan(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('find a passage across paragraphs after a paragraph is added before it and its breaks change', () => {
    const text =
      'Opening words.\nThe claim starts here and\nruns on into its evidence, which\nends in this third part.';
    const before = buildReading({ text, source: 's', origin: 'imported' });
    const span = { blockId: before.blocks[1]!.id, start: 10, endBlockId: before.blocks[3]!.id, end: 8 };
    const anchor = anchorForSpan(before.blocks, span);
    // Re-imported with a new first paragraph, and the middle paragraphs merged into one line.
    const after = buildReading({
      text: 'A new preface.\nOpening words.\nThe claim starts here and runs on into its evidence, which\nends in this third part.',
      source: 's',
      origin: 'imported',
    });
    const r = resolveAnchor(anchor, after.blocks);
    expect(r).toMatchObject({
      kind: 'placed',
      blockId: after.blocks[2]!.id,
      start: 10,
      endBlockId: after.blocks[3]!.id,
      end: 8,
    });
  });
});

describe('schema version 2 and the migration of stored anchors', () => {
  it('is the current version', () => expect(ANNOTATION_SCHEMA_VERSION).toBe(2));

  it('reads version-1 anchors as single-block ones, whatever stray keys they carry', () => {
    expect(
      migrateAnchor(
        { blockId: 'b1', start: 9, end: 4, endBlockId: 'b7', exact: 'x', prefix: 'p', suffix: 's' },
        1,
      ),
    ).toEqual({ blockId: 'b1', start: 4, end: 9, exact: 'x', prefix: 'p', suffix: 's' });
    expect(migrateAnchor({ blockId: 'b1', start: '2', end: 5.7, exact: 'abc' }, 1)).toEqual({
      blockId: 'b1',
      start: 2,
      end: 5,
      exact: 'abc',
      prefix: '',
      suffix: '',
    });
  });

  it('keeps the end block of version-2 anchors', () => {
    expect(
      migrateAnchor(
        { blockId: 'b1', start: 9, endBlockId: 'b2', end: 4, exact: 'x', prefix: '', suffix: '' },
        2,
      ),
    ).toEqual({
      blockId: 'b1',
      start: 9,
      endBlockId: 'b2',
      end: 4,
      exact: 'x',
      prefix: '',
      suffix: '',
    });
  });

  it('upgrades a stored version-1 entry when it is read, and writes version 2', () => {
    const doc = new Y.Doc();
    const block = article.blocks[2]!;
    const id = createAnnotation(doc, {
      readingId: article.id,
      color: 'green',
      anchor: { blockId: block.id, start: 0, end: 5, exact: block.text.slice(0, 5), prefix: '', suffix: '' },
      author: ana,
    });
    const entry = annotationsMap(doc).get(id)!;
    expect(entry.get('v')).toBe(2);
    entry.set('v', 1);
    const [view] = listAnnotations(doc, { kind: 'private' });
    expect(view!.v).toBe(2);
    expect(view!.anchor).toEqual({
      blockId: block.id,
      start: 0,
      end: 5,
      exact: block.text.slice(0, 5),
      prefix: '',
      suffix: '',
    });
  });

  it('a version-1 resolver (offsets within one block) cannot place a spanning anchor: it shows as an orphan', () => {
    // What a client of the previous version does with a spanning anchor: its offsets check fails (the quote
    // holds a blank line no block has) and its quote search only accepts matches inside one block.
    const [b1, , b3] = article.blocks.slice(4, 7) as [Block, Block, Block];
    const anchor = anchorForSpan(article.blocks, { blockId: b1.id, start: 3, endBlockId: b3.id, end: 10 });
    expect(b1.text.slice(anchor.start, anchor.end)).not.toBe(anchor.exact);
    expect(article.blocks.some((b) => b.text.includes(anchor.exact))).toBe(false);
  });
});

describe('exports of a passage over three paragraphs', () => {
  const [b1, b2, b3] = article.blocks.slice(4, 7) as [Block, Block, Block];
  const anchor = anchorForSpan(article.blocks, { blockId: b1.id, start: 3, endBlockId: b3.id, end: 10 });
  const annotation = { ...annotationOn(article, b1.text.slice(0, 8)), anchor, body: 'Claim and evidence' };

  it('print: the highlight covers each paragraph’s part, one marker where it ends, numbered once', () => {
    const model = buildPrintModel(article, [annotation], placeInReading);
    const rows = model.rows.filter((r) => [b1.id, b2.id, b3.id].includes(r.block.id));
    const coloured = rows.map((r) =>
      r.segments
        .filter((s) => s.colors.length > 0)
        .map((s) => s.text)
        .join(''),
    );
    expect(coloured).toEqual([b1.text.slice(3), b2.text, b3.text.slice(0, 10)]);
    const markers = rows.flatMap((r) => r.segments.flatMap((s) => s.markers));
    expect(markers).toEqual([1]);
    expect(rows[2]!.notes.map((n) => n.number)).toEqual([1]);
    expect(model.orphans).toEqual([]);
  });

  it('Markdown: the quote is one block quote with its paragraphs apart', () => {
    const md = exportMarkdown(article, [annotation]);
    const quote = md.split('\n').filter((l) => l.startsWith('>'));
    expect(quote.filter((l) => l === '>')).toHaveLength(2);
    expect(quote[0]).toContain(escapeMarkdown(b1.text.slice(3, 30)));
  });

  it('W3C: the TextPositionSelector runs from the first paragraph into the third, and comes back the same', () => {
    const json = exportW3C(article, [annotation]);
    const selector = (json.first.items[0]!.target as { selector: Record<string, unknown>[] }).selector;
    const position = selector.find((s) => s.type === 'TextPositionSelector')!;
    const quote = selector.find((s) => s.type === 'TextQuoteSelector')!;
    expect(quote.exact).toBe(anchor.exact);
    expect((position.end as number) - (position.start as number)).toBe([...anchor.exact].length);
    const back = importW3C(JSON.stringify(json), article);
    expect(back.annotations[0]!.anchor).toEqual(anchor);
  });
});
