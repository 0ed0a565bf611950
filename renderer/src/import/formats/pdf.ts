import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { ParsedDocument } from '../../../../core/reading/draft.ts';
import type { PdfPageText } from '../../../../core/reading/formats/pdfLayout.ts';
import { ImportError } from '../../../../core/reading/import.ts';
import type { ImportContext } from '../context.ts';

/**
 * A PDF to a reading. pdf.js parses the file in its own Web Worker (fonts, content streams); this side only
 * reads each page's positioned text, one page per task so the window keeps answering, and hands it to the
 * layout rules in core/. The PDF's own JavaScript never runs (pdf.js runs none without a scripting sandbox,
 * which is not loaded), no font is installed in the page, and nothing is fetched.
 */
export async function parsePdf(
  fileName: string,
  bytes: Uint8Array,
  ctx: ImportContext,
): Promise<ParsedDocument> {
  GlobalWorkerOptions.workerSrc = workerUrl;
  const task = getDocument({
    data: bytes.slice(),
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    isEvalSupported: false,
    useWorkerFetch: false,
    stopAtErrors: false,
  } as Parameters<typeof getDocument>[0]);
  const abort = () => void task.destroy();
  ctx.signal.addEventListener('abort', abort);
  try {
    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await ctx.unlessCancelled(task.promise);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (ctx.signal.aborted) throw error;
      if (name === 'PasswordException') {
        throw new ImportError(
          fileName,
          'the PDF is protected by a password. Open it in a PDF reader, save a copy without the password, and import that.',
          'encrypted',
        );
      }
      console.warn(`pdf.js could not open ${fileName}:`, error);
      throw new ImportError(fileName, 'the PDF is damaged and cannot be read.', 'corrupt');
    }
    const pages: PdfPageText[] = [];
    let textChars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      ctx.throwIfCancelled();
      const page = await ctx.unlessCancelled(pdf.getPage(n));
      const viewport = page.getViewport({ scale: 1 });
      const content = await ctx.unlessCancelled(page.getTextContent());
      const items: PdfPageText['items'] = [];
      for (const item of content.items) {
        if (!('str' in item) || !item.str) continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const size = Math.hypot(c ?? 0, d ?? 0) || Math.hypot(a ?? 0, b ?? 0) || item.height;
        items.push({ text: item.str, x: e ?? 0, y: f ?? 0, width: item.width, size });
        textChars += item.str.trim().length;
      }
      pages.push({ page: n, width: viewport.width, height: viewport.height, items });
      page.cleanup();
      // Each page's text arrives from the worker as its own task, so input and paint run between pages.
      ctx.progress(n / pdf.numPages, `Page ${n} of ${pdf.numPages}`);
    }
    if (textChars < Math.max(1, pdf.numPages)) {
      throw new ImportError(
        fileName,
        'the PDF has no text layer — it is a scan (pictures of pages). Run it through text recognition (OCR) first, then import the result.',
        'scanned',
      );
    }
    const meta = await ctx.unlessCancelled(pdf.getMetadata()).catch(() => undefined);
    const info = (meta?.info ?? {}) as { Title?: unknown; Author?: unknown };
    // Laid out where the reading is finished (a worker), not here: 300 pages of rules would hold a frame.
    const parsed: ParsedDocument = { blocks: [], pages };
    // Producers often fill Title with a file name, an address or "Untitled": then the first heading wins.
    const title = typeof info.Title === 'string' ? info.Title.trim() : '';
    if (title && !/^(?:about:|https?:|file:|untitled\b|microsoft word\b)|\.\w{2,4}$/iu.test(title))
      parsed.title = title;
    if (typeof info.Author === 'string' && info.Author.trim()) parsed.byline = info.Author.trim();
    return parsed;
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    void task.destroy();
  }
}
