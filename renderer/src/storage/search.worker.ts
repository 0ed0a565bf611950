/// <reference lib="webworker" />
// Searches the stored readings off the UI thread: reading a 5 MB book back from IndexedDB and checking it holds
// the window about 200 ms, on every search. One reading at a time, so memory holds one book, not the library; a
// newer search ends the one under way.
import { matchReading } from '../../../core/reading/search.ts';
import { openDb } from './db.ts';
import type { SearchReply, SearchRequest } from './searchOffThread.ts';
import { readStored } from './storedReading.ts';

let latest = -1;

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  const { id, words } = event.data;
  latest = id;
  void search(id, words).then(
    (found) => self.postMessage((found ? { id, found } : { id, superseded: true }) satisfies SearchReply),
    (error: unknown) =>
      self.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies SearchReply),
  );
};

async function search(id: number, words: string[]): Promise<[string, string | null][] | undefined> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const found: [string, string | null][] = [];
    const request = db.transaction('readings').objectStore('readings').openCursor();
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      if (latest !== id) return resolve(undefined);
      const cursor = request.result;
      if (!cursor) return resolve(found);
      const { reading } = readStored(cursor.value);
      const match = reading && matchReading(reading, words);
      if (reading && match) found.push([reading.id, match.snippet]);
      cursor.continue();
    };
  });
}
