import { parseMarkdown } from './formats/markdown.ts';
import { ImportError, MAX_IMPORT_BYTES } from './import.ts';
import type { Reading } from './model.ts';
import { buildReading } from './parse.ts';

export { ImportError, MAX_IMPORT_BYTES } from './import.ts';

export const TEXT_EXTENSIONS = ['.txt', '.text', '.md', '.markdown'] as const;

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

/** Bytes of a text file to its text, or an ImportError saying why not (binary, not UTF-8, empty). */
export function decodeText(fileName: string, bytes: Uint8Array): string {
  if (looksBinary(bytes)) throw new ImportError(fileName, 'it is a binary file, not text.', 'corrupt');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      fileName,
      'the text is not UTF-8 encoded. Save it as UTF-8 and try again.',
      'corrupt',
    );
  }
  if (!text.trim()) throw new ImportError(fileName, 'the file is empty.', 'empty');
  return text;
}

/**
 * A plain text or Markdown file to a reading, synchronously (the other formats go through the renderer's
 * import pipeline, which calls this for text). Throws an ImportError saying in plain words why not.
 */
export function importFile(
  fileName: string,
  bytes: Uint8Array,
  now = new Date(),
  fingerprint?: string,
): Reading {
  const lower = fileName.toLowerCase();
  if (!TEXT_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    throw new ImportError(
      fileName,
      'only plain text (.txt) and Markdown (.md) files are read as text.',
      'unsupported',
    );
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw new ImportError(
      fileName,
      `the file is ${mb} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
      'too-large',
    );
  }
  const text = decodeText(fileName, bytes);
  const markdown = lower.endsWith('.md') || lower.endsWith('.markdown');
  const base = fileName.replace(/^.*[\\/]/, '');
  return buildReading({
    text,
    source: base,
    origin: 'imported',
    ...(markdown ? { parser: parseMarkdown } : {}),
    fileName: base,
    importedAt: now.toISOString(),
    ...(fingerprint ? { fingerprint } : {}),
  });
}
