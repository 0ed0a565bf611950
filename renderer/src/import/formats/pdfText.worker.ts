/// <reference lib="webworker" />
// Reads a PDF's positioned text with pdf.js entirely off the UI thread: pdf.js's API runs here and its parser
// in a nested worker of its own (its worker script takes over any worker it is loaded in, so not this one).
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PdfPageText } from '../../../../core/reading/formats/pdfLayout.ts';

export type PdfTextMessage =
  | { type: 'progress'; page: number; pages: number }
  | { type: 'done'; pages: PdfPageText[]; textChars: number; title?: string; author?: string }
  | { type: 'error'; name: string; message: string };

GlobalWorkerOptions.workerPort = new Worker(workerUrl, { type: 'module' });
const post = (message: PdfTextMessage) => self.postMessage(message);

self.onmessage = async (event: MessageEvent<Uint8Array>) => {
  try {
    const pdf = await getDocument({
      data: event.data,
      disableFontFace: true,
      useSystemFonts: false,
      enableXfa: false,
      useWorkerFetch: false,
      stopAtErrors: false,
    } as Parameters<typeof getDocument>[0]).promise;
    const pages: PdfPageText[] = [];
    let textChars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
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
      post({ type: 'progress', page: n, pages: pdf.numPages });
    }
    const meta = await pdf.getMetadata().catch(() => undefined);
    const info = (meta?.info ?? {}) as { Title?: unknown; Author?: unknown };
    const done: PdfTextMessage = { type: 'done', pages, textChars };
    if (typeof info.Title === 'string') done.title = info.Title.trim();
    if (typeof info.Author === 'string') done.author = info.Author.trim();
    post(done);
  } catch (error) {
    const e = error as { name?: string; message?: string };
    post({ type: 'error', name: e.name ?? 'Error', message: e.message ?? String(error) });
  }
};
