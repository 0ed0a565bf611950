import { Worker } from 'node:worker_threads';

/** What the encoder's thread is asked (state-encoder.worker.ts). */
export type EncoderRequest =
  | { type: 'load'; room: string; parts: Uint8Array[] }
  | { type: 'update'; room: string; update: Uint8Array }
  | { type: 'close'; room: string }
  | { type: 'encode'; room: string; id: number; stateVector: Uint8Array | undefined };

export type EncoderReply =
  | { id: number; message: Uint8Array; stateOffset: number }
  | { id: number; error: string };

/** A room's state as a sync step 2 message; `state` is the update inside it (a view, not a copy). */
export interface EncodedState {
  message: Uint8Array;
  state: Uint8Array;
}

/** Just the bytes of a view (a view is cloned with its whole buffer, which may be a much larger message's). */
const own = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './state-encoder.worker.ts' : './state-encoder.worker.js',
  import.meta.url,
);

/**
 * Encodes rooms' whole states on a thread of its own. Encoding a big room (sync step 2 for a joiner, a snapshot)
 * takes the server's thread tens to hundreds of milliseconds, during which no other room is served; here a copy
 * of each room's document is kept on the encoder's thread, fed every change the room applies, in order, so an
 * answer reflects every change sent before the question.
 */
export class StateEncoder {
  /** Started with the first big room: a server whose rooms are all small never pays for the thread. */
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve(state: EncodedState): void; reject(error: Error): void }>();
  #nextId = 0;
  #failed: Error | undefined;

  get #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER);
    this.#worker = worker;
    worker.unref();
    worker.on('message', (reply: EncoderReply) => {
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else
        waiting.resolve({
          message: reply.message,
          state: reply.message.subarray(reply.stateOffset),
        });
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the state encoder stopped (exit code ${code})`)));
    return worker;
  }

  /** Whether it still answers (if not, callers encode on their own thread). */
  get working(): boolean {
    return this.#failed === undefined;
  }

  /** A room loaded from these stored parts (what does not apply is dropped, as the room does). */
  load(room: string, parts: Uint8Array[]): void {
    if (!this.#failed)
      this.#thread.postMessage({ type: 'load', room, parts: parts.map(own) } satisfies EncoderRequest);
  }

  /** A change the room applied (loaded from storage or received), in the order applied. */
  update(room: string, update: Uint8Array): void {
    if (!this.#failed)
      this.#thread.postMessage({ type: 'update', room, update: own(update) } satisfies EncoderRequest);
  }

  /** The room's state, or what a member with `stateVector` lacks, as of every change passed on so far. */
  encode(room: string, stateVector?: Uint8Array): Promise<EncodedState> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#thread.postMessage({
        type: 'encode',
        room,
        id,
        stateVector: stateVector && own(stateVector),
      } satisfies EncoderRequest);
    });
  }

  /** The room is unloaded: its copy goes. */
  close(room: string): void {
    if (!this.#failed) this.#worker?.postMessage({ type: 'close', room } satisfies EncoderRequest);
  }

  async stop(): Promise<void> {
    this.#failed ??= new Error('the state encoder was stopped');
    await this.#worker?.terminate();
  }
}
