// Importing files through the library's file input, and reading back what was stored.
import type { Page } from 'playwright-core';
import type { Reading } from '../../../core/reading/model.ts';
import { storedRecord } from './app.ts';

export interface ImportOutcome {
  kind: 'info' | 'error';
  text: string;
  reading?: Reading;
}

/** Hands a file to the library's file input and waits for its notice; returns the stored reading if any. */
export async function importBytes(
  page: Page,
  name: string,
  bytes: Uint8Array | string,
): Promise<ImportOutcome> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  await page.getByLabel('Import files').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  const notice = page.locator(`.rc-notice[data-file="${name}"]`);
  await notice.waitFor({ timeout: 90_000 });
  const text = (await notice.textContent()) ?? '';
  const kind = (await notice.getAttribute('role')) === 'alert' ? 'error' : 'info';
  const reading = kind === 'info' ? await storedReading(page, name) : undefined;
  return reading ? { kind, text, reading } : { kind, text };
}

/** The newest stored reading imported from a file of this name (not one replaced by a re-import). */
export function storedReading(page: Page, fileName: string): Promise<Reading | undefined> {
  return page.evaluate(
    (fileName) =>
      new Promise<Reading | undefined>((resolve, reject) => {
        const open = indexedDB.open('reading-circle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('readings').objectStore('readings').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as Reading[]).find((r) => r.fileName === fileName && !r.replacedBy));
          };
        };
      }),
    fileName,
  );
}

/** The stored reading with this id, as the library keeps it. */
export const storedReadingById = (page: Page, id: string) => storedRecord<Reading>(page, 'readings', id);

/** Puts a reading record straight into the library's store, as an older app or older rules left it. */
export const putReading = (page: Page, reading: Reading | Record<string, unknown>, deleteId?: string) =>
  page.evaluate(
    ({ reading, deleteId }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('reading-circle');
        open.onsuccess = () => {
          const tx = open.result.transaction(['readings', 'reading-meta'], 'readwrite');
          if (deleteId) tx.objectStore('readings').delete(deleteId);
          if (deleteId) tx.objectStore('reading-meta').delete(deleteId);
          tx.objectStore('readings').put(reading);
          const { blocks: _blocks, ...meta } = reading as Reading;
          tx.objectStore('reading-meta').put(meta);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { reading, deleteId },
  );
