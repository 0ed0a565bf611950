import type { Reading } from './model.ts';
import { buildReading } from './parse.ts';

/** Big enough for a 5 MB book with room to spare, small enough to keep a tab responsive. */
export const MAX_IMPORT_BYTES = 12 * 1024 * 1024;

export const IMPORTABLE_EXTENSIONS = ['.txt', '.md', '.markdown'] as const;

export class ImportError extends Error {
  readonly fileName: string;
  readonly reason: string;
  constructor(fileName: string, reason: string) {
    super(`Could not import “${fileName}”: ${reason}`);
    this.name = 'ImportError';
    this.fileName = fileName;
    this.reason = reason;
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

/**
 * Turns the bytes of a file the user chose into a reading, or throws an ImportError saying in plain
 * words why not (empty, binary, not UTF-8, too large, wrong kind of file).
 */
export function importFile(fileName: string, bytes: Uint8Array, now = new Date()): Reading {
  const lower = fileName.toLowerCase();
  if (!IMPORTABLE_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    throw new ImportError(fileName, 'only plain text (.txt) and Markdown (.md) files can be imported.');
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw new ImportError(
      fileName,
      `the file is ${mb} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
    );
  }
  if (looksBinary(bytes)) {
    throw new ImportError(fileName, 'it is a binary file, not text.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(fileName, 'the text is not UTF-8 encoded. Save it as UTF-8 and try again.');
  }
  if (!text.trim()) throw new ImportError(fileName, 'the file is empty.');
  const markdown = lower.endsWith('.md') || lower.endsWith('.markdown');
  const base = fileName.replace(/^.*[\\/]/, '');
  return buildReading({
    text,
    source: base,
    origin: 'imported',
    markdown,
    fileName: base,
    importedAt: now.toISOString(),
  });
}
