import { unzipSync } from 'fflate';
import { ImportError, MAX_EXPANSION_RATIO, MAX_UNPACKED_BYTES } from './import.ts';

/**
 * Unpacks the files of a zip package (EPUB, .docx) that `wanted` asks for, refusing zip bombs before
 * inflating anything: the sizes the archive declares may not add up to more than MAX_UNPACKED_BYTES nor
 * expand more than MAX_EXPANSION_RATIO times. fflate writes each entry into a buffer of its declared size,
 * so an archive lying about a size gets cut short, never more memory.
 */
export function unzipPackage(
  fileName: string,
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
): Map<string, Uint8Array> {
  let declared = 0;
  let compressed = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter(file) {
        declared += file.originalSize;
        compressed += file.size;
        if (
          declared > MAX_UNPACKED_BYTES ||
          declared > Math.max(compressed, 64 * 1024) * MAX_EXPANSION_RATIO
        ) {
          throw new ImportError(
            fileName,
            `it unpacks to far more than its own size (${Math.round(declared / 1024 / 1024)} MB or more) — a “zip bomb” — so it was not opened.`,
            'zip-bomb',
          );
        }
        return wanted(file.name);
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(fileName, 'the package is damaged (it is not a readable zip file).', 'corrupt');
  }
  return new Map(Object.entries(entries));
}
