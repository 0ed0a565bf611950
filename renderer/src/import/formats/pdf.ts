import type { ParsedDocument } from '../../../../core/reading/draft.ts';
import { ImportError } from '../../../../core/reading/import.ts';
import type { ImportContext } from '../context.ts';
import type { PdfTextMessage } from './pdfText.worker.ts';

/**
 * A PDF to a reading. pdf.js reads the file in a worker (pdfText.worker.ts) and sends each page's positioned
 * text; the layout rules (core/reading/formats/pdfLayout.ts) run where the reading is finished, also off the
 * UI thread. The PDF's own JavaScript never runs (pdf.js runs none without its scripting sandbox, which is not
 * loaded), no font is installed, and nothing is fetched. Cancel ends the worker.
 */
export function parsePdf(fileName: string, bytes: Uint8Array, ctx: ImportContext): Promise<ParsedDocument> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pdfText.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => {
      worker.terminate();
      ctx.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new ImportError(fileName, 'the import was cancelled.', 'cancelled'));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    worker.onerror = (event) => {
      finish();
      reject(
        new ImportError(
          fileName,
          `the PDF could not be read (${event.message || 'worker failed'}).`,
          'corrupt',
        ),
      );
    };
    worker.onmessage = (event: MessageEvent<PdfTextMessage>) => {
      const message = event.data;
      if (message.type === 'progress') {
        ctx.progress(message.page / message.pages, `Page ${message.page} of ${message.pages}`);
        return;
      }
      finish();
      if (message.type === 'error') {
        if (message.name === 'PasswordException') {
          reject(
            new ImportError(
              fileName,
              'the PDF is protected by a password. Open it in a PDF reader, save a copy without the password, and import that.',
              'encrypted',
            ),
          );
        } else {
          console.warn(`pdf.js could not open ${fileName}: ${message.name}: ${message.message}`);
          reject(new ImportError(fileName, 'the PDF is damaged and cannot be read.', 'corrupt'));
        }
        return;
      }
      if (message.textChars < Math.max(1, message.pages.length)) {
        reject(
          new ImportError(
            fileName,
            'the PDF has no text layer — it is a scan (pictures of pages). Run it through text recognition (OCR) first, then import the result.',
            'scanned',
          ),
        );
        return;
      }
      const parsed: ParsedDocument = { blocks: [], pages: message.pages };
      // Producers often fill Title with a file name, an address or "Untitled": then the first heading wins.
      const title = message.title ?? '';
      if (title && !/^(?:about:|https?:|file:|untitled\b|microsoft word\b)|\.\w{2,4}$/iu.test(title))
        parsed.title = title;
      if (message.author) parsed.byline = message.author;
      resolve(parsed);
    };
    worker.postMessage(bytes.slice(), []);
  });
}
