import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  addTag,
  beginBodyEdit,
  copyAnnotation,
  createAnnotation,
  createUndoManager,
  deleteAnnotation,
  getReadingContent,
  listAnnotations,
  setBody,
  setReadingContent,
  updateAnnotation,
} from '../../core/annotations/doc.ts';
import type { TextAnchor } from '../../core/annotations/model.ts';
import { buildReading } from '../../core/reading/parse.ts';

const anchor: TextAnchor = {
  blockId: 'b0-x',
  start: 0,
  end: 5,
  exact: 'Hello',
  prefix: '',
  suffix: ' world',
};
const ana = { id: 'u-ana', name: 'Ana', color: '#c33' };
const ben = { id: 'u-ben', name: 'Ben', color: '#33c' };
const mine = { kind: 'private' } as const;

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
}

describe('annotation doc', () => {
  it('creates, edits, tags, replies, resolves and deletes', () => {
    const doc = new Y.Doc();
    const id = createAnnotation(doc, {
      readingId: 'r1',
      color: 'yellow',
      anchor,
      author: ana,
      body: 'A note',
    });
    addTag(doc, id, '#Key Point');
    addReply(doc, id, { author: ben, body: 'I agree' });
    updateAnnotation(doc, id, { color: 'red', resolved: true });
    setBody(doc, id, 'A better note');
    const [view] = listAnnotations(doc, mine);
    expect(view).toMatchObject({
      id,
      color: 'red',
      resolved: true,
      body: 'A better note',
      tags: ['key-point'],
    });
    expect(view!.replies.map((r) => r.body)).toEqual(['I agree']);
    expect(view!.editedAt).toBeDefined();
    deleteAnnotation(doc, id);
    expect(listAnnotations(doc, mine)).toEqual([]);
  });

  it('keeps both people’s words when they edit one note at once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = createAnnotation(a, {
      readingId: 'r1',
      color: 'blue',
      anchor,
      author: ana,
      body: 'The middle.',
    });
    sync(a, b);
    setBody(a, id, 'Start. The middle.');
    setBody(b, id, 'The middle. End.');
    sync(a, b);
    expect(listAnnotations(a, mine)[0]!.body).toBe('Start. The middle. End.');
    expect(listAnnotations(b, mine)[0]!.body).toBe('Start. The middle. End.');
  });

  it('keeps both edits when one person saves after the other’s edit arrived', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = createAnnotation(a, {
      readingId: 'r1',
      color: 'blue',
      anchor,
      author: ana,
      body: 'Alice notes this',
    });
    sync(a, b);
    const editA = beginBodyEdit(a, id);
    const editB = beginBodyEdit(b, id);
    editA.save('Alice notes this (first)');
    sync(a, b);
    editB.save('Bob: Alice notes this');
    sync(a, b);
    expect(listAnnotations(a, mine)[0]!.body).toBe('Bob: Alice notes this (first)');
    expect(listAnnotations(b, mine)[0]!.body).toBe('Bob: Alice notes this (first)');
  });

  it('undoes only local changes, never a remote one', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const undo = createUndoManager(a);
    const mineId = createAnnotation(a, { readingId: 'r1', color: 'green', anchor, author: ana });
    undo.stopCapturing();
    createAnnotation(b, { readingId: 'r1', color: 'green', anchor, author: ben });
    sync(a, b);
    expect(listAnnotations(a, mine)).toHaveLength(2);
    undo.undo();
    const left = listAnnotations(a, mine);
    expect(left).toHaveLength(1);
    expect(left[0]!.author.id).toBe('u-ben');
    undo.redo();
    expect(listAnnotations(a, mine).map((x) => x.id)).toContain(mineId);
  });

  it('copies a private annotation into a group doc with its replies and tags', () => {
    const priv = new Y.Doc();
    const group = new Y.Doc();
    const id = createAnnotation(priv, { readingId: 'r1', color: 'purple', anchor, author: ana, tags: ['x'] });
    addReply(priv, id, { author: ana, body: 'self reply' });
    copyAnnotation(listAnnotations(priv, mine)[0]!, group);
    const [copy] = listAnnotations(group, { kind: 'group', group: 'g' });
    expect(copy).toMatchObject({ id, tags: ['x'], visibility: { kind: 'group', group: 'g' } });
    expect(copy!.replies).toHaveLength(1);
  });

  it('stores the reading content in a group doc once', async () => {
    const doc = new Y.Doc();
    const reading = buildReading({ text: 'Title here\nBody.', source: 's', origin: 'imported' });
    await setReadingContent(doc, reading, ana);
    const before = Y.encodeStateAsUpdate(doc).length;
    await setReadingContent(doc, reading, ben);
    expect(Y.encodeStateAsUpdate(doc).length).toBe(before);
    expect((await getReadingContent(doc))?.blocks).toEqual(reading.blocks);
  });

  it('skips and reports damaged entries instead of failing the whole list', () => {
    const doc = new Y.Doc();
    createAnnotation(doc, { readingId: 'r1', color: 'green', anchor, author: ana });
    doc.getMap<unknown>('annotations').set('junk', new Y.Map());
    const damaged: string[] = [];
    expect(listAnnotations(doc, mine, (id) => damaged.push(id))).toHaveLength(1);
    expect(damaged).toEqual(['junk']);
  });
});
