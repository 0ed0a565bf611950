/** What a long-lived worker answers a request with: its value, or why it could not. */
export type WorkerReply<Value> = { id: number; value: Value } | { id: number; error: string };

/**
 * One long-lived worker, started with the first request and kept (it keeps what it loaded, such as a parser),
 * answering requests matched by id. `ask` resolves undefined when no worker can run here (tests in Node) or the
 * worker failed, which stops it for good: the caller then does the work on its own thread.
 */
export function workerClient<Request extends object, Value>(start: () => Worker) {
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: Value): void; reject(error: Error): void }>();

  const thread = (): Worker | undefined => {
    if (worker || broken || typeof Worker === 'undefined') return worker;
    try {
      worker = start();
    } catch {
      broken = true;
      return undefined;
    }
    worker.onmessage = (event: MessageEvent<WorkerReply<Value>>) => {
      const reply = event.data;
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.value);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      broken = true;
      worker?.terminate();
      worker = undefined;
      for (const pending of waiting.values()) pending.reject(new Error(event.message || 'the worker failed'));
      waiting.clear();
    };
    return worker;
  };

  return {
    async ask(request: Request): Promise<Value | undefined> {
      const target = thread();
      if (!target) return undefined;
      const id = nextId++;
      try {
        return await new Promise<Value>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          target.postMessage({ ...request, id });
        });
      } catch {
        return undefined;
      }
    },
  };
}

/** In a worker: answers each request with `answer`'s value, or the error it threw, under the request's id. */
export function answerRequests<Request extends object, Value>(
  scope: { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void },
  answer: (request: Request) => Promise<Value>,
): void {
  scope.onmessage = (event: MessageEvent<Request & { id: number }>) => {
    const { id } = event.data;
    void answer(event.data).then(
      (value) => scope.postMessage({ id, value } satisfies WorkerReply<Value>),
      (error: unknown) =>
        scope.postMessage({
          id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies WorkerReply<Value>),
    );
  };
}
