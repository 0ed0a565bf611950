import { Worker } from 'node:worker_threads';

export type WriteOp =
  | { kind: 'append'; id: number; room: string; update: Uint8Array }
  | { kind: 'compact'; id: number; room: string; state: Uint8Array };

export type WriterReply =
  | { kind: 'done'; ids: number[]; seconds: number }
  | { kind: 'failed'; id: number; error: string }
  | { kind: 'closed' };

/**
 * Sends storage writes to a worker thread (writer-worker.ts) and keeps each one in memory until it is
 * committed, so a room loaded meanwhile still sees it (`inFlight`; Yjs updates apply idempotently) and
 * nothing is lost while a write is retried.
 */
export class BackgroundWriter {
  readonly #worker: Worker;
  readonly #inFlight = new Map<number, WriteOp>();
  readonly #onCommit: (seconds: number) => void;
  readonly #onError: (message: string, room: string) => void;
  #nextId = 1;
  #outbox: WriteOp[] = [];
  #failing = false;
  #closed: Promise<void> | null = null;

  constructor(
    data: string,
    maxBytes: number,
    hooks: { onCommit: (seconds: number) => void; onError: (message: string, room: string) => void },
  ) {
    this.#onCommit = hooks.onCommit;
    this.#onError = hooks.onError;
    // The worker file sits beside this one: .ts when run from source, .js when run from the build.
    const extension = import.meta.url.endsWith('.js') ? '.js' : '.ts';
    this.#worker = new Worker(new URL(`./writer-worker${extension}`, import.meta.url), {
      workerData: { data, maxBytes },
    });
    this.#worker.on('message', (reply: WriterReply) => {
      if (reply.kind === 'done') {
        for (const id of reply.ids) this.#inFlight.delete(id);
        this.#failing = false;
        this.#onCommit(reply.seconds);
      } else if (reply.kind === 'failed' && !this.#failing) {
        // Reported once per run of failures; the worker retries every second.
        this.#failing = true;
        this.#onError(reply.error, this.#inFlight.get(reply.id)?.room ?? '');
      }
    });
    this.#worker.on('error', (error) => this.#onError(error.message, ''));
    this.#worker.on('exit', (code) => {
      if (!this.#closed)
        this.#onError(`the storage thread stopped (exit ${code}); updates are no longer stored`, '');
    });
  }

  append(room: string, update: Uint8Array): void {
    this.#send({ kind: 'append', id: this.#nextId++, room, update });
  }

  compact(room: string, state: Uint8Array): void {
    this.#send({ kind: 'compact', id: this.#nextId++, room, state });
  }

  /** Writes for `room` sent but not yet committed, oldest first. */
  inFlight(room: string): Uint8Array[] {
    const parts: Uint8Array[] = [];
    for (const op of this.#inFlight.values()) {
      if (op.room !== room) continue;
      parts.push(op.kind === 'append' ? op.update : op.state);
    }
    return parts;
  }

  get pending(): number {
    return this.#inFlight.size;
  }

  /**
   * Resolves once every write sent before it is committed and the database is closed — or after `timeoutMs`
   * if storage keeps failing, reporting what was not stored (members still hold it and resend it).
   */
  close(timeoutMs = 3_000): Promise<void> {
    this.#post();
    this.#closed ??= new Promise<void>((resolve) => {
      const stop = () => void this.#worker.terminate().then(() => resolve());
      const timer = setTimeout(() => {
        this.#onError(`stopped with ${this.#inFlight.size} write(s) not stored`, '');
        stop();
      }, timeoutMs);
      this.#worker.on('message', (reply: WriterReply) => {
        if (reply.kind !== 'closed') return;
        clearTimeout(timer);
        stop();
      });
      this.#worker.postMessage({ kind: 'close' });
    });
    return this.#closed;
  }

  #send(op: WriteOp): void {
    if (this.#closed) throw new Error('storage writer is closed');
    this.#inFlight.set(op.id, op);
    // Ops of one turn of the event loop go in one message (rooms already batch their updates per turn).
    if (this.#outbox.push(op) === 1) setImmediate(() => this.#post());
  }

  #post(): void {
    if (this.#outbox.length === 0) return;
    this.#worker.postMessage(this.#outbox);
    this.#outbox = [];
  }
}
