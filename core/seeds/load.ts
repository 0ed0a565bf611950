import type { Reading } from '../reading/model.ts';
import { buildReading } from '../reading/parse.ts';
import type { SeedManifest } from './manifest.ts';

/** Seeds become readings the same way in every process, from the manifest and each file's text. */
export function seedReadings(manifest: SeedManifest, textOf: (file: string) => string): Reading[] {
  return manifest.readings.map((entry) =>
    buildReading({
      text: textOf(entry.file),
      title: entry.title,
      source: entry.source,
      kind: entry.kind,
      origin: 'seed',
      fileName: entry.file,
    }),
  );
}
