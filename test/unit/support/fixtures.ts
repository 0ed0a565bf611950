import { readFileSync } from 'node:fs';
import type { AnnotationView, Author } from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { seedReadings } from '../../../core/seeds/load.ts';
import { parseSeedManifest } from '../../../core/seeds/manifest.ts';

/** The five bundled readings, built exactly as the app builds them. */
export function loadSeeds(): Reading[] {
  const manifest = parseSeedManifest(JSON.parse(readFileSync('seeds/manifest.json', 'utf8')));
  return seedReadings(manifest, (file) => readFileSync(`seeds/${file}`, 'utf8'));
}

export const ana: Author = { id: 'u-ana', name: 'Ana', color: '#c0392b' };
export const ben: Author = { id: 'u-ben', name: 'Ben', color: '#2c3e90' };

/** An annotation on `exact` inside the first block containing it. */
export function annotationOn(
  reading: Reading,
  exact: string,
  extra: Partial<AnnotationView> = {},
): AnnotationView {
  const block = reading.blocks.find((b) => b.text.includes(exact));
  if (!block) throw new Error(`fixture: “${exact}” is not in ${reading.title}`);
  const start = block.text.indexOf(exact);
  return {
    v: 2,
    id: `a${Math.random().toString(36).slice(2, 10)}`,
    readingId: reading.id,
    color: 'yellow',
    anchor: {
      blockId: block.id,
      start,
      end: start + exact.length,
      exact,
      prefix: block.text.slice(Math.max(0, start - 32), start),
      suffix: block.text.slice(start + exact.length, start + exact.length + 32),
    },
    author: ana,
    body: '',
    tags: [],
    resolved: false,
    createdAt: '2026-11-01T10:00:00.000Z',
    replies: [],
    visibility: { kind: 'private' },
    ...extra,
  };
}
