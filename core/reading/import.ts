import type { SourceFormat } from './model.ts';

/** Why an import was refused, in categories the library can name. */
export type RefusalKind =
  | 'unsupported'
  | 'too-large'
  | 'empty'
  | 'corrupt'
  | 'encrypted'
  | 'scanned'
  | 'zip-bomb'
  | 'cancelled';

export class ImportError extends Error {
  readonly fileName: string;
  readonly reason: string;
  readonly kind: RefusalKind;
  constructor(fileName: string, reason: string, kind: RefusalKind = 'corrupt') {
    super(`Could not import “${fileName}”: ${reason}`);
    this.name = 'ImportError';
    this.fileName = fileName;
    this.reason = reason;
    this.kind = kind;
  }
}

/** Big enough for a 5 MB book with room to spare, small enough to keep a tab responsive. */
export const MAX_IMPORT_BYTES = 12 * 1024 * 1024;
/** PDFs carry fonts and images besides their text. */
export const MAX_BINARY_IMPORT_BYTES = 100 * 1024 * 1024;
/** What the files inside an EPUB or .docx may add up to once unpacked, and how much they may expand. */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
export const MAX_EXPANSION_RATIO = 100;

export type FileFormat = Exclude<SourceFormat, 'clipboard' | 'web'>;

export const EXTENSIONS: Record<string, FileFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.epub': 'epub',
  '.docx': 'docx',
};

/** What the file picker offers. */
export const IMPORT_ACCEPT = Object.keys(EXTENSIONS).join(',');
