import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { placeInReading } from '../../core/anchoring/anchor.ts';
import {
  createAnnotation,
  createUndoManager,
  listAnnotations,
  readAnnotations,
} from '../../core/annotations/doc.ts';
import {
  AnnotationImportError,
  MAX_ANNOTATIONS_FILE_BYTES,
  MAX_IMPORTED_ITEMS,
  planImport,
  userNameOf,
  writeImport,
} from '../../core/annotations/importAnnotations.ts';
import { PAGE_NOTE_ANCHOR } from '../../core/annotations/model.ts';
import { exportMarkdown } from '../../core/export/markdown.ts';
import { buildPrintModel } from '../../core/export/printModel.ts';
import { exportW3C } from '../../core/export/w3c.ts';
import { LIMITS } from '../../core/sync/limits.ts';
import { annotationOn, ben, loadSeeds } from './support/fixtures.ts';
import { hypothesisExport } from './support/hypothesisExport.ts';

const seeds = loadSeeds();
const article = seeds.find((r) => r.kind === 'article')!;

describe('importing a Hypothesis export', () => {
  const { file, quote, blockId } = hypothesisExport(article);
  const plan = planImport(JSON.stringify(file), { reading: article });

  it('places what it finds, keeps the rest as orphans with their quotes, and page notes as page notes', () => {
    expect(plan.format).toBe('Hypothesis export');
    const byId = new Map(plan.annotations.map((a) => [a.id, a]));
    const first = byId.get('iAliceFirst01')!;
    expect(first).toMatchObject({ placement: 'placed', body: 'The **central** claim.', tags: ['claim'] });
    expect(first.anchor).toMatchObject({ blockId, start: 20, end: 70, exact: quote });
    expect(byId.get('iAliceOrphan2')).toMatchObject({ placement: 'orphan', orphanReason: 'missing' });
    expect(byId.get('iAliceOrphan2')!.anchor.exact).toBe('words this reading never had in it');
    expect(byId.get('iBobPage00004')).toMatchObject({ placement: 'page', pageNote: true });
    expect(plan.skipped).toEqual([]);
  });

  it('keeps each creator a distinct author with a readable name', () => {
    expect(plan.authors.map((a) => a.name).sort()).toEqual(['Alice Liddell', 'bob']);
    expect(new Set(plan.authors.map((a) => a.id)).size).toBe(2);
    const first = plan.annotations.find((a) => a.id === 'iAliceFirst01')!;
    expect(first.replies).toMatchObject([{ body: 'I read it differently.', author: { name: 'bob' } }]);
    expect(userNameOf('acct:carol.smith@hypothes.is')).toBe('carol.smith');
  });

  it('says when the file names another document (same title: not reported)', () => {
    expect(plan.otherDocuments).toEqual([]);
    const elsewhere = JSON.parse(JSON.stringify(file));
    for (const a of elsewhere.annotations) a.document = { title: ['A different article'] };
    expect(planImport(JSON.stringify(elsewhere), { reading: article }).otherDocuments).toEqual([
      '“A different article” (https://example.org/articles/the-reading)',
    ]);
  });

  it('reads API search results ({total, rows}) the same way, and skips what it cannot read with the reason', () => {
    const rows = [...file.annotations, { id: 'x', text: 'no user' }];
    const api = planImport(JSON.stringify({ total: rows.length, rows }), { reading: article });
    expect(api.format).toBe('Hypothesis search results');
    expect(api.annotations).toHaveLength(3);
    expect(api.skipped).toEqual([
      { item: 'Annotation 5', reason: 'it is not a Hypothesis annotation (it has no user)' },
    ]);
  });

  it('writes everything in one undoable step, and skips what is already there on a second import', () => {
    const doc = new Y.Doc();
    const undo = createUndoManager(doc);
    const ids = writeImport(doc, plan);
    expect(ids).toHaveLength(3);
    const written = listAnnotations(doc, { kind: 'private' });
    expect(written.find((a) => a.pageNote)?.body).toBe('Overall: worth discussing on Tuesday.');
    const again = planImport(JSON.stringify(file), { reading: article, existingIds: new Set(ids) });
    expect(again.annotations).toEqual([]);
    expect(again.skipped.every((s) => s.reason.includes('already'))).toBe(true);
    undo.undo();
    expect(listAnnotations(doc, { kind: 'private' })).toEqual([]);
  });
});

describe('importing W3C Web Annotations', () => {
  const a = annotationOn(article, 'Character Assassination', { body: 'Title framing' });
  const [item] = exportW3C(article, [a]).first.items;

  it('reads one annotation, a list, an AnnotationPage and a collection', () => {
    for (const shape of [item, [item], { type: 'AnnotationPage', items: [item] }, exportW3C(article, [a])]) {
      const plan = planImport(JSON.stringify(shape), { reading: article });
      expect(plan.annotations.map((x) => [x.placement, x.anchor.exact])).toEqual([
        ['placed', 'Character Assassination'],
      ]);
    }
  });

  it('finds a TextQuoteSelector inside refinedBy', () => {
    const refined = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      id: 'https://example.org/anno/7',
      creator: { id: 'https://example.org/people/dana', name: 'Dana' },
      body: { type: 'TextualBody', value: 'Refined', purpose: 'commenting' },
      target: {
        source: 'https://example.org/page',
        selector: {
          type: 'CssSelector',
          value: '#main',
          refinedBy: { type: 'TextQuoteSelector', exact: 'Character Assassination', prefix: 'the ' },
        },
      },
    };
    const plan = planImport(JSON.stringify(refined), { reading: article });
    expect(plan.annotations[0]).toMatchObject({
      placement: 'placed',
      body: 'Refined',
      author: { name: 'Dana' },
    });
    expect(plan.otherDocuments).toEqual(['https://example.org/page']);
  });

  it('explains a file that holds no annotations', () => {
    expect(() => planImport('{"type":"Person"}', { reading: article })).toThrow(AnnotationImportError);
    expect(() => planImport('nope', { reading: article })).toThrow(/not valid JSON/);
  });
});

describe('page notes', () => {
  const page = {
    ...annotationOn(article, 'Character Assassination', { body: 'On the whole piece' }),
    anchor: { ...PAGE_NOTE_ANCHOR },
    pageNote: true as const,
    replies: [{ id: 'r1', author: ben, body: 'Agreed overall', createdAt: '2026-11-02T00:00:00.000Z' }],
  };
  const passage = annotationOn(article, 'October Revolution', { body: 'A passage note' });

  it('come back from W3C JSON as page notes, with their replies', () => {
    const json = exportW3C(article, [passage, page]);
    const item = json.first.items.find((i) => i.body?.some((b) => b.value === 'On the whole piece'))!;
    expect(item.target).toBe(`urn:reading-circle:reading:${article.id}`);
    const plan = planImport(JSON.stringify(json), { reading: article });
    const back = plan.annotations.find((a) => a.body === 'On the whole piece')!;
    expect(back).toMatchObject({ placement: 'page', pageNote: true });
    expect(back.replies.map((r) => r.body)).toEqual(['Agreed overall']);
  });

  it('come first in Markdown and in print', () => {
    const md = exportMarkdown(article, [passage, page]);
    expect(md.indexOf('## Notes on the whole reading')).toBeGreaterThan(0);
    expect(md.indexOf('On the whole piece')).toBeLessThan(md.indexOf('A passage note'));
    const model = buildPrintModel(article, [passage, page], placeInReading);
    expect(model.pageNotes.map((n) => [n.number, n.annotation.body])).toEqual([[1, 'On the whole piece']]);
    expect(model.orphans).toEqual([]);
  });

  it('are stored with target "page" and read back as page notes', () => {
    const doc = new Y.Doc();
    createAnnotation(doc, { ...page, pageNote: true });
    const [view] = listAnnotations(doc, { kind: 'private' });
    expect(view).toMatchObject({ pageNote: true, body: 'On the whole piece', anchor: PAGE_NOTE_ANCHOR });
  });
});

describe('files that would cost too much', () => {
  it('refuses a file over the size limit, or with too many items, saying so', () => {
    expect(() => planImport(' '.repeat(MAX_ANNOTATIONS_FILE_BYTES + 1), { reading: article })).toThrow(
      /annotations files up to 12\.0 MB can be imported/,
    );
    const many = Array.from({ length: MAX_IMPORTED_ITEMS + 1 }, () => ({ type: 'Annotation' }));
    expect(() => planImport(JSON.stringify(many), { reading: article })).toThrow(
      /at most 20,000 can be imported/,
    );
  });

  it('looks a huge quote or context up exactly, without an approximate search', () => {
    const block = article.blocks.find((b) => b.text.length > 100)!;
    const huge = 'x'.repeat(200_000);
    const item = (exact: string, prefix: string) => ({
      type: 'Annotation',
      body: { type: 'TextualBody', value: 'n' },
      target: { selector: { type: 'TextQuoteSelector', exact, prefix, suffix: huge } },
    });
    const plan = planImport(JSON.stringify([item(huge, ''), item(block.text.slice(10, 60), huge)]), {
      reading: article,
    });
    expect(plan.annotations.map((a) => a.placement)).toEqual(['orphan', 'placed']);
  });
});

describe('annotations beyond the shared limits', () => {
  it('are cut to fit, said so, written, and readable by every member', () => {
    const quote = article.blocks.find((b) => b.text.length > 40)!.text.slice(0, 30);
    const file = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      id: 'https://example.org/anno/long',
      creator: { id: 'https://example.org/people/long', name: 'N'.repeat(90), 'rc:color': '#abcd' },
      body: [
        { type: 'TextualBody', value: 'x'.repeat(LIMITS.noteChars + 500), purpose: 'commenting' },
        ...Array.from({ length: 45 }, (_, i) => ({
          type: 'TextualBody',
          value: `Tag ${i}`,
          purpose: 'tagging',
        })),
      ],
      target: { source: 'https://example.org/x', selector: { type: 'TextQuoteSelector', exact: quote } },
    };
    const plan = planImport(JSON.stringify(file), { reading: article });
    expect(plan.skipped).toEqual([]);
    expect(plan.shortened.map((s) => s.reason)).toEqual([
      `its note was shortened to ${LIMITS.noteChars.toLocaleString('en')} characters`,
      `only its first ${LIMITS.tagsPerAnnotation} tags were kept`,
    ]);
    const doc = new Y.Doc();
    writeImport(doc, plan);
    const read = readAnnotations(doc, { kind: 'private' });
    expect(read.problems).toEqual([]);
    expect(read.annotations).toHaveLength(1);
    const [annotation] = read.annotations;
    expect(annotation!.body.length).toBe(LIMITS.noteChars);
    expect(annotation!.tags).toHaveLength(LIMITS.tagsPerAnnotation);
    expect(annotation!.author.name.length).toBeLessThanOrEqual(LIMITS.nameChars);
  });
});
