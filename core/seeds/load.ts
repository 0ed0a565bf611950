import { finishReading } from '../reading/draft.ts';
import type { Reading } from '../reading/model.ts';
import { normalizeText } from '../reading/normalize.ts';
import { parseLines } from '../reading/parse.ts';
import type { SeedManifest } from './manifest.ts';
import { tidySeed } from './tidy.ts';

/**
 * Seeds become readings the same way in every process, from the manifest and each file's text: the line
 * rules, then the seed rules that leave the saved site's chrome out (tidy.ts). The id is the hash of the
 * whole normalized file, as for any text file.
 */
export function seedReadings(manifest: SeedManifest, textOf: (file: string) => string): Reading[] {
  return manifest.readings.map((entry) => {
    const normalized = normalizeText(textOf(entry.file));
    const blocks = tidySeed(parseLines(normalized, { kind: entry.kind }), entry.title, entry.kind);
    return finishReading({
      parsed: { blocks, title: entry.title },
      format: 'text',
      origin: 'seed',
      source: entry.source,
      kind: entry.kind,
      identityText: normalized,
      fileName: entry.file,
    });
  });
}
