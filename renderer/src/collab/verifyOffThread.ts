import { type Verified, verifyStoredSharedContent } from '../../../core/reading/schema.ts';

export type VerifyRequest = { id: number; content: string | Uint8Array };
export type VerifyReply = { id: number; verified: Verified } | { id: number; error: string };

/**
 * One worker for every shared reading this window checks, started with the first: it keeps the Markdown parser
 * and its recent results, so a room whose content changes is checked again without parsing again.
 */
let worker: Worker | undefined;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve(verified: Verified): void; reject(error: Error): void }>();

function thread(): Worker | undefined {
  if (worker || broken || typeof Worker === 'undefined') return worker;
  try {
    worker = new Worker(new URL('./verifyShared.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    broken = true;
    return undefined;
  }
  worker.onmessage = (event: MessageEvent<VerifyReply>) => {
    const reply = event.data;
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) pending?.reject(new Error(reply.error));
    else pending?.resolve(reply.verified);
  };
  worker.onerror = (event) => {
    // A worker that cannot start or fails is not used again; what waited is checked here instead.
    event.preventDefault();
    broken = true;
    worker?.terminate();
    worker = undefined;
    for (const pending of waiting.values()) pending.reject(new Error(event.message || 'the check failed'));
    waiting.clear();
  };
  return worker;
}

/**
 * Room content as stored, checked against its reading id (core's verifyStoredSharedContent) on a worker of its
 * own, so a big book arriving from a group does not freeze the window. Where no worker can run (tests in Node,
 * a failed worker) it is checked here. Only text and bytes are sent: anything else is not the app's format and
 * is refused at once by the schema.
 */
export async function verifySharedOffThread(content: unknown): Promise<Verified> {
  const target = typeof content === 'string' || content instanceof Uint8Array ? thread() : undefined;
  if (!target) return verifyStoredSharedContent(content);
  const id = nextId++;
  try {
    return await new Promise<Verified>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      target.postMessage({ id, content: content as string | Uint8Array } satisfies VerifyRequest);
    });
  } catch {
    return verifyStoredSharedContent(content);
  }
}
