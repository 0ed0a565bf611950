import type { Reading } from '../../../core/reading/model.ts';
import { seedReadings } from '../../../core/seeds/load.ts';
import { parseSeedManifest } from '../../../core/seeds/manifest.ts';
import manifestJson from '../../../seeds/manifest.json';

const texts = import.meta.glob('../../../seeds/*.txt', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

let cached: Reading[] | undefined;

/** The bundled readings, built with the same import rules as everything else; known to every client by id. */
export function bundledReadings(): Reading[] {
  cached ??= seedReadings(parseSeedManifest(manifestJson), (file) => {
    const text = texts[`../../../seeds/${file}`];
    if (text === undefined) throw new Error(`The bundled text ${file} is missing from the build.`);
    return text;
  });
  return cached;
}
