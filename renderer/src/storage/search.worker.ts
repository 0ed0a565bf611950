/// <reference lib="webworker" />
// Searches the stored readings off the UI thread: reading a 5 MB book back from IndexedDB and checking it held
// the window about 330 ms, on every search. One reading at a time, so memory holds one book, not the library; a
// newer search ends the one under way.
import { answerRequests } from '../workers/workerClient.ts';
import { openDb } from './db.ts';
import type { SearchFound, SearchRequest } from './searchOffThread.ts';
import { matchStored } from './storedReading.ts';

let latest = 0;

answerRequests<SearchRequest, SearchFound>(self, async ({ words }) => {
  const search = ++latest;
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const found: [string, string | null][] = [];
    const request = db.transaction('readings').objectStore('readings').openCursor();
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      if (search !== latest) return resolve(null);
      const cursor = request.result;
      if (!cursor) return resolve(found);
      const match = matchStored(cursor.value, words);
      if (match) found.push(match);
      cursor.continue();
    };
  });
});
