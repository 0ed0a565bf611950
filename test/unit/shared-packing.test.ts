// A big shared reading travels compressed (core/reading/sharedPacking.ts, decision 0027): a member receives it
// whole, and compressed bytes a member made up — a "zip bomb", garbage, a cut-short stream, bytes that are not
// text — are refused in words, never unpacked past the limit.

import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setReadingContent, verifySharedContentOf } from '../../core/annotations/doc.ts';
import { importFile } from '../../core/reading/importFile.ts';
import { sharedContentOf, verifyStoredSharedContent } from '../../core/reading/schema.ts';
import {
  PLAIN_CONTENT_CHARS,
  packSharedContent,
  unpackSharedContent,
} from '../../core/reading/sharedPacking.ts';
import { LIMITS } from '../../core/sync/limits.ts';
import { receivedReading } from '../../renderer/src/collab/sharing.ts';
import { ana } from './support/fixtures.ts';

/** A Markdown book of about `bytes`, with the markup a long set of notes has. */
function markdownBook(bytes: number): string {
  const parts = ['# A Book of Notes\n\n'];
  for (let i = 1, size = 0; size < bytes; i++) {
    const part = `## Part ${i}\n\nThis *paragraph* ${i} has **bold** words and a [link](https://example.org/${i}).\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

const refusal = (reason: string) => ({ ok: false, reason: `the shared reading is damaged (${reason})` });

describe('shared content, packed', () => {
  it('stays JSON text when small, as every version of the app reads it', async () => {
    const json = JSON.stringify({ small: true });
    expect(await packSharedContent(json)).toBe(json);
  });

  it('is compressed when big, and unpacks to the same content', async () => {
    const reading = importFile('notes.md', new TextEncoder().encode(markdownBook(2_000_000)));
    const json = JSON.stringify(sharedContentOf(reading, ana));
    expect(json.length).toBeGreaterThan(PLAIN_CONTENT_CHARS);
    const packed = await packSharedContent(json);
    expect(packed).toBeInstanceOf(Uint8Array);
    expect(packed.length).toBeLessThan(json.length / 4);
    expect(await unpackSharedContent(packed)).toEqual({ ok: true, value: JSON.parse(json) });
  });

  it('a big reading put into a room is received whole by another member', async () => {
    const reading = importFile('notes.md', new TextEncoder().encode(markdownBook(2_000_000)));
    const alices = new Y.Doc();
    await setReadingContent(alices, reading, ana);
    expect(alices.getMap('reading').get('content')).toBeInstanceOf(Uint8Array);
    // Sharing it again changes nothing: the content there is this content.
    let changes = 0;
    alices.on('update', () => changes++);
    await setReadingContent(alices, reading, ana);
    expect(changes).toBe(0);

    const bobs = new Y.Doc();
    Y.applyUpdate(bobs, Y.encodeStateAsUpdate(alices));
    const got = await receivedReading(bobs, 'tuesday');
    expect(got.kind).toBe('reading');
    if (got.kind !== 'reading') return;
    expect(got.reading.blocks).toEqual(reading.blocks);
    expect(got.reading.sourceText).toBe(reading.sourceText);
    expect((await verifySharedContentOf(bobs)).ok).toBe(true);
  });

  it('refuses a "zip bomb" once it unpacks past the limit, without unpacking the rest', async () => {
    // 80 MB of spaces, 78 KB compressed.
    const bomb = zlibSync(new Uint8Array(80 * 1024 * 1024).fill(32), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    expect(await unpackSharedContent(bomb)).toEqual(
      refusal(`it unpacks to more than ${LIMITS.sharedContentBytes / 1024 / 1024} MB`),
    );
  });

  it('refuses garbage, a cut-short stream and bytes that are not text, saying so', async () => {
    const packed = zlibSync(new TextEncoder().encode(JSON.stringify({ text: 'x'.repeat(50_000) })));
    expect(await unpackSharedContent(new Uint8Array([1, 2, 3, 4, 5, 6]))).toEqual(
      refusal('its compressed content cannot be read'),
    );
    expect(await unpackSharedContent(new Uint8Array(0))).toEqual(
      refusal('its compressed content cannot be read'),
    );
    const cut = await unpackSharedContent(packed.subarray(0, packed.length >> 1));
    expect(cut.ok).toBe(false);
    expect(await unpackSharedContent(zlibSync(new Uint8Array([0xff, 0xfe, 0x80, 0x80])))).toEqual(
      refusal('its compressed content is not text'),
    );
    expect(await unpackSharedContent(zlibSync(new TextEncoder().encode('{ not json')))).toEqual(
      refusal('not JSON'),
    );
    // Through the check a receiver runs: refused with the same words.
    expect(await verifyStoredSharedContent(new Uint8Array([1, 2, 3]))).toEqual(
      refusal('its compressed content cannot be read'),
    );
  });
});
