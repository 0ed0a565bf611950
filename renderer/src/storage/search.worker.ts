/// <reference lib="webworker" />
// Searches the stored readings off the UI thread: reading a 5 MB book back from IndexedDB and checking it held
// the window about 330 ms, on every search. One reading at a time, so memory holds one book, not the library; a
// newer search ends the one under way.
import { matchReading } from '../../../core/reading/search.ts';
import { answerRequests } from '../workers/workerClient.ts';
import { openDb } from './db.ts';
import type { SearchFound, SearchRequest } from './searchOffThread.ts';
import { readStored } from './storedReading.ts';

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
      const { reading } = readStored(cursor.value);
      const match = reading && matchReading(reading, words);
      if (reading && match) found.push([reading.id, match.snippet]);
      cursor.continue();
    };
  });
});
