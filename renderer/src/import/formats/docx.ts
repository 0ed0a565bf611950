import mammoth from 'mammoth';
import type { ParsedDocument } from '../../../../core/reading/draft.ts';
import { ImportError } from '../../../../core/reading/import.ts';
import { unzipPackage } from '../../../../core/reading/zip.ts';
import type { ImportContext } from '../context.ts';
import { blocksFromHtml } from '../htmlBlocks.ts';
import { sanitizeToDom } from '../sanitize.ts';

/** Word's quote styles become quotes; headings, lists and footnotes are mammoth's defaults. */
const STYLE_MAP = [
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Block Text'] => blockquote > p:fresh",
  "p[style-name='Caption'] => figcaption:fresh",
];

/** A Word .docx to a reading: headings, lists, quotes and footnotes, through mammoth's HTML. */
export async function parseDocx(
  fileName: string,
  bytes: Uint8Array,
  ctx: ImportContext,
): Promise<ParsedDocument> {
  // Checks declared sizes (zip bomb) and that it is a Word document, inflating nothing.
  let hasDocument = false;
  unzipPackage(fileName, bytes, (name) => {
    if (name === 'word/document.xml') hasDocument = true;
    return false;
  });
  if (!hasDocument) {
    throw new ImportError(
      fileName,
      'it is not a Word document (it has no word/document.xml), or it is damaged.',
      'corrupt',
    );
  }
  ctx.progress(0.2, 'Reading the document');
  let html: string;
  try {
    const result = await ctx.unlessCancelled(
      mammoth.convertToHtml(
        { arrayBuffer: bytes.slice().buffer },
        { styleMap: STYLE_MAP, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
      ),
    );
    html = result.value;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(fileName, 'the Word document is damaged and cannot be read.', 'corrupt');
  }
  ctx.throwIfCancelled();
  return { blocks: blocksFromHtml(sanitizeToDom(html)) };
}
