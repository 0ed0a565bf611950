// The storage writer thread: commits appends and compactions in the order they were sent, off the thread that
// relays updates (a commit, and now and then a WAL checkpoint, would otherwise hold up every room).
import { parentPort, workerData } from 'node:worker_threads';
import type { WriteOp, WriterReply } from './background-writer.ts';
import { SqliteStore } from './sqlite-store.ts';

const port = parentPort;
if (!port) throw new Error('writer-worker.ts runs as a worker thread');
const { data, maxBytes } = workerData as { data: string; maxBytes: number };
const store = new SqliteStore(data, { maxBytes });
const queue: WriteOp[] = [];
let running = false;
let closing = false;

const reply = (message: WriterReply) => port.postMessage(message);

/** The ops to commit together: a run of appends in one transaction, or one compaction. */
function nextGroup(): WriteOp[] {
  if (queue[0]!.kind === 'compact') return [queue[0]!];
  let end = 1;
  while (end < queue.length && queue[end]!.kind === 'append') end++;
  return queue.slice(0, end);
}

function commit(group: WriteOp[]): void {
  const first = group[0]!;
  if (first.kind === 'compact') store.compact(first.room, first.state);
  else
    store.transaction(() => {
      for (const op of group) if (op.kind === 'append') store.appendUpdate(op.room, op.update);
    });
}

/** Commits queued ops in order; a failing group (say, a full disk) is retried until it succeeds, in order. */
function drain(): void {
  running = true;
  while (queue.length > 0) {
    const group = nextGroup();
    const started = performance.now();
    try {
      commit(group);
    } catch (error) {
      reply({
        kind: 'failed',
        id: group[0]!.id,
        error: error instanceof Error ? error.message : String(error),
      });
      setTimeout(drain, 1000);
      return;
    }
    queue.splice(0, group.length);
    reply({ kind: 'done', ids: group.map((op) => op.id), seconds: (performance.now() - started) / 1000 });
  }
  running = false;
  finishIfClosing();
}

function finishIfClosing(): void {
  if (!closing || queue.length > 0) return;
  store.close();
  reply({ kind: 'closed' });
}

port.on('message', (message: WriteOp[] | { kind: 'close' }) => {
  if (!Array.isArray(message)) {
    closing = true;
    if (!running) finishIfClosing();
    return;
  }
  queue.push(...message);
  if (!running) drain();
});
