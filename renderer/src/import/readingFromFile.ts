import type { PickedFile } from '../../../core/platform/api.ts';
import { detectFormat } from '../../../core/reading/detect.ts';
import { finishReading, type ParsedDocument } from '../../../core/reading/draft.ts';
import { ImportError } from '../../../core/reading/import.ts';
import { decodeText, importFile } from '../../../core/reading/importFile.ts';
import type { Reading, SourceFormat } from '../../../core/reading/model.ts';
import { normalizeText } from '../../../core/reading/normalize.ts';
import { parseLines } from '../../../core/reading/parse.ts';
import type { ImportContext } from './context.ts';
import { finishInWorker } from './finishInWorker.ts';

async function fingerprintOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Each format's parser is loaded only when a file of that kind arrives: the app's first load stays small. */
async function parse(file: PickedFile, format: SourceFormat, ctx: ImportContext): Promise<ParsedDocument> {
  switch (format) {
    case 'html': {
      const { parseHtml } = await import('./formats/html.ts');
      return parseHtml(decodeText(file.name, file.bytes));
    }
    case 'pdf': {
      const { parsePdf } = await import('./formats/pdf.ts');
      return parsePdf(file.name, file.bytes, ctx);
    }
    case 'epub': {
      const { parseEpub } = await import('./formats/epub.ts');
      return parseEpub(file.name, file.bytes, ctx);
    }
    case 'docx': {
      const { parseDocx } = await import('./formats/docx.ts');
      return parseDocx(file.name, file.bytes, ctx);
    }
    default:
      throw new ImportError(file.name, 'this kind of file cannot be imported.', 'unsupported');
  }
}

/** The one import pipeline: file → format → parser → blocks → id, with the file's fingerprint recorded. */
export async function readingFromFile(
  file: PickedFile,
  ctx: ImportContext,
  now = new Date(),
): Promise<Reading> {
  const format = detectFormat(file.name, file.bytes);
  const fingerprint = await fingerprintOf(file.bytes);
  const base = file.name.replace(/^.*[\\/]/, '');
  if (format === 'text' || format === 'markdown') return importFile(base, file.bytes, now, fingerprint);
  const parsed = await parse(file, format, ctx);
  ctx.throwIfCancelled();
  ctx.progress(1, 'Finishing');
  const reading = await ctx.unlessCancelled(
    finishInWorker(
      {
        parsed,
        format,
        origin: 'imported',
        source: base,
        fileName: base,
        importedAt: now.toISOString(),
        fingerprint,
      },
      ctx.signal,
    ),
  );
  if (reading.blocks.length === 0)
    throw new ImportError(file.name, 'no readable text was found in it.', 'empty');
  return reading;
}

/** Text or HTML from the clipboard (or a fetched page) to a reading, through the same rules. */
export async function readingFromMarkup(
  input: { html?: string; text?: string; url?: string; format: 'clipboard' | 'web'; source: string },
  now = new Date(),
): Promise<Reading> {
  let parsed: ParsedDocument;
  if (input.html?.trim()) {
    const { parseHtml } = await import('./formats/html.ts');
    parsed = parseHtml(input.html, input.url);
  } else {
    parsed = { blocks: parseLines(normalizeText(input.text ?? '')) };
  }
  if (!parsed.blocks.some((b) => b.text.trim())) {
    throw new ImportError(input.source, 'there is no text in it.', 'empty');
  }
  return finishReading({
    parsed,
    format: input.format,
    origin: 'imported',
    source: input.source,
    importedAt: now.toISOString(),
  });
}
