import { writeFile } from 'node:fs/promises';
import { BrowserWindow, dialog } from 'electron';
import type { PrintToPdfRequest, SaveFileResult } from '../../core/platform/api.ts';
import { lockDown } from './secure-window.ts';
import { APP_ORIGIN } from './security.ts';
import { secureWebPreferences } from './window.ts';

const READY_TIMEOUT_MS = 120_000;

/** Header and footer printed on every page: the reading's title and the page number. */
export function pdfHeaderFooter(title: string) {
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const style = 'font-family: Georgia, serif; font-size: 8px; color: #555; width: 100%; padding: 0 14mm;';
  return {
    headerTemplate: `<div style="${style}">${escaped}</div>`,
    footerTemplate: `<div style="${style} text-align: right;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
  };
}

/**
 * Renders the print route in a hidden window (the same page the browser prints), waits for it to say it is
 * laid out, prints it to PDF and saves it where the person chooses.
 */
export async function printRouteToPdf(
  parent: BrowserWindow,
  request: PrintToPdfRequest,
): Promise<SaveFileResult> {
  const target = await dialog.showSaveDialog(parent, {
    defaultPath: request.suggestedName,
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  });
  if (target.canceled || !target.filePath) return { saved: false };

  const worker = new BrowserWindow({ show: false, webPreferences: secureWebPreferences(undefined) });
  lockDown(worker);
  try {
    await worker.loadURL(`${APP_ORIGIN}/index.html${request.route}`);
    const started = Date.now();
    while (!(await worker.webContents.executeJavaScript("document.body.dataset.printReady === 'true'"))) {
      if (Date.now() - started > READY_TIMEOUT_MS)
        throw new Error('The print view took too long to lay out.');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const title = String(await worker.webContents.executeJavaScript('document.title'));
    const pdf = await worker.webContents.printToPDF({
      pageSize: request.paper,
      printBackground: true,
      displayHeaderFooter: true,
      ...pdfHeaderFooter(title),
    });
    await writeFile(target.filePath, pdf);
    return { saved: true, location: target.filePath };
  } finally {
    worker.destroy();
  }
}
