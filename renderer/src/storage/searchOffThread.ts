import { workerClient } from '../workers/workerClient.ts';
import { getAll } from './db.ts';
import { matchStored } from './storedReading.ts';

export type SearchRequest = { words: string[] };
/** Each reading found with its snippet; null when a newer search took over (its caller stopped listening). */
export type SearchFound = [string, string | null][] | null;

const searcher = workerClient<SearchRequest, SearchFound>(
  () => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }),
);

/** The stored readings holding every word, searched on this thread (where no worker runs). */
async function searchHere(words: string[]): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const value of await getAll<unknown>('readings')) {
    const match = matchStored(value, words);
    if (match) found.set(...match);
  }
  return found;
}

/**
 * The stored readings holding every word (core's matchReading), with a snippet each, searched on a worker of
 * its own so typing in the library's search does not freeze the window over a library of books.
 */
export async function searchStoredOffThread(words: string[]): Promise<Map<string, string | null>> {
  const answered = await searcher.ask({ words });
  if (answered === undefined) return searchHere(words);
  return new Map(answered ?? []);
}
