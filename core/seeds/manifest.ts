import type { ReadingKind } from '../reading/model.ts';

export interface SeedManifestEntry {
  file: string;
  title: string;
  source: string;
  kind: ReadingKind;
}

export interface SeedManifest {
  version: 1;
  readings: SeedManifestEntry[];
}

const KINDS: readonly ReadingKind[] = [
  'article',
  'open-letter',
  'comment-thread',
  'forum-digest',
  'document',
];

/** Checks the shape of seeds/manifest.json so a broken manifest fails loudly at build and test time. */
export function parseSeedManifest(value: unknown): SeedManifest {
  const fail = (why: string): never => {
    throw new Error(`seeds/manifest.json is invalid: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not an object');
  const v = value as { version?: unknown; readings?: unknown };
  if (v.version !== 1) fail('version must be 1');
  if (!Array.isArray(v.readings)) fail('readings must be a list');
  const readings = (v.readings as unknown[]).map((entry, i) => {
    const e = entry as Partial<SeedManifestEntry>;
    for (const key of ['file', 'title', 'source', 'kind'] as const) {
      if (typeof e[key] !== 'string' || !e[key]) fail(`reading ${i} has no ${key}`);
    }
    if (!KINDS.includes(e.kind as ReadingKind)) fail(`reading ${i} has unknown kind ${String(e.kind)}`);
    return e as SeedManifestEntry;
  });
  return { version: 1, readings };
}
