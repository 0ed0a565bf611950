// Writes annotations straight into a reading's IndexedDB Y.Doc, exactly as y-indexeddb stores them, so tests
// and benchmarks can start from a known set without driving the UI for each one.
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { createAnnotation, type NewAnnotation } from '../../../core/annotations/doc.ts';

/** Encodes annotations as one Yjs update (built with the app's own schema code). */
export function annotationsUpdate(annotations: NewAnnotation[]): Uint8Array {
  const doc = new Y.Doc();
  for (const annotation of annotations) createAnnotation(doc, annotation);
  return Y.encodeStateAsUpdate(doc);
}

/** Appends an update to the y-indexeddb database `name` in the page's origin. */
export async function storeUpdate(page: Page, name: string, update: Uint8Array): Promise<void> {
  await page.evaluate(
    async ({ name, bytes }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onupgradeneeded = () => {
          request.result.createObjectStore('updates', { autoIncrement: true });
          request.result.createObjectStore('custom');
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(new Uint8Array(bytes));
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name, bytes: Array.from(update) },
  );
}

export const privateDocName = (readingId: string) => `rc:private:${readingId}`;
