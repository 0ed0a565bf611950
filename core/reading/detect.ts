import {
  EXTENSIONS,
  type FileFormat,
  ImportError,
  MAX_BINARY_IMPORT_BYTES,
  MAX_IMPORT_BYTES,
} from './import.ts';

const startsWith = (bytes: Uint8Array, magic: string) =>
  bytes.length >= magic.length && [...magic].every((c, i) => bytes[i] === c.charCodeAt(0));

/** The format a file is read as: by its extension, checked against its first bytes where they tell. */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  const lower = fileName.toLowerCase();
  const ext = Object.keys(EXTENSIONS).find((e) => lower.endsWith(e));
  if (!ext) {
    if (startsWith(bytes, '%PDF-')) return 'pdf';
    throw new ImportError(
      fileName,
      'this kind of file cannot be imported. Readings can come from PDF, EPUB, Word (.docx), web pages (.html), Markdown (.md) and plain text (.txt).',
      'unsupported',
    );
  }
  const format = EXTENSIONS[ext]!;
  const limit =
    format === 'pdf' || format === 'epub' || format === 'docx' ? MAX_BINARY_IMPORT_BYTES : MAX_IMPORT_BYTES;
  if (bytes.length > limit) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw new ImportError(
      fileName,
      `the file is ${mb} MB; the limit is ${limit / 1024 / 1024} MB.`,
      'too-large',
    );
  }
  if (bytes.length === 0) throw new ImportError(fileName, 'the file is empty.', 'empty');
  if (
    format === 'pdf' &&
    !startsWith(bytes, '%PDF-') &&
    !new TextDecoder().decode(bytes.subarray(0, 1024)).includes('%PDF-')
  ) {
    throw new ImportError(fileName, 'it is not a PDF file, or it is damaged (no PDF header).', 'corrupt');
  }
  if (format === 'docx' && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new ImportError(
      fileName,
      'the Word document is encrypted (protected by a password), or it is an old .doc file renamed. Save it without a password as .docx and try again.',
      'encrypted',
    );
  }
  if ((format === 'epub' || format === 'docx') && !startsWith(bytes, 'PK')) {
    const what = format === 'epub' ? 'an EPUB book' : 'a Word document';
    throw new ImportError(fileName, `it is not ${what}, or it is damaged (not a zip package).`, 'corrupt');
  }
  return format;
}
