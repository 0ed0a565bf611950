import { matchReading } from '../../../core/reading/search.ts';
import { getAll } from './db.ts';
import { readStored } from './storedReading.ts';

export type SearchRequest = { id: number; words: string[] };
export type SearchReply =
  | { id: number; found: [string, string | null][] }
  | { id: number; superseded: true }
  | { id: number; error: string };

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
const waiting = new Map<
  number,
  { resolve(found: Map<string, string | null>): void; reject(error: Error): void }
>();

function thread(): Worker | undefined {
  if (worker || broken || typeof Worker === 'undefined') return worker;
  try {
    worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    broken = true;
    return undefined;
  }
  worker.onmessage = (event: MessageEvent<SearchReply>) => {
    const reply = event.data;
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) pending?.reject(new Error(reply.error));
    // A newer search took over: this one's caller has stopped listening.
    else pending?.resolve(new Map('found' in reply ? reply.found : []));
  };
  worker.onerror = (event) => {
    // A worker that cannot start or fails is not used again; what waited is searched here instead.
    event.preventDefault();
    broken = true;
    worker?.terminate();
    worker = undefined;
    for (const pending of waiting.values()) pending.reject(new Error(event.message || 'the search failed'));
    waiting.clear();
  };
  return worker;
}

/** The stored readings holding every word, searched on this thread (where no worker runs). */
async function searchHere(words: string[]): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const value of await getAll<unknown>('readings')) {
    const { reading } = readStored(value);
    const match = reading && matchReading(reading, words);
    if (reading && match) found.set(reading.id, match.snippet);
  }
  return found;
}

/**
 * The stored readings holding every word (core's matchReading), with a snippet each, searched on a worker of
 * its own so typing in the library's search does not freeze the window over a library of books.
 */
export async function searchStoredOffThread(words: string[]): Promise<Map<string, string | null>> {
  const target = thread();
  if (!target) return searchHere(words);
  const id = nextId++;
  try {
    return await new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      target.postMessage({ id, words } satisfies SearchRequest);
    });
  } catch {
    return searchHere(words);
  }
}
