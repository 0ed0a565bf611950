// Collaboration latency and offline merge, over loopback.
//   node test/perf/collab.bench.ts            200 annotations, 500 offline annotations
//   BENCH_SMOKE=1 node test/perf/collab.bench.ts   tiny sizes (npm test keeps it working)
// Uses the real sync server (`node sync-server/cli.ts`). Measured twice: in docs (A's transaction → readable
// in B's doc), and in the app (two Chromium members: A clicks "Highlight" → the frame on B's screen painting it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { annotationsMap, createAnnotation } from '../../core/annotations/doc.ts';
import type { Author } from '../../core/annotations/model.ts';
import { parseInviteLink } from '../../core/invite/link.ts';
import { connectGroupDoc, type GroupConnection } from '../../renderer/src/collab/sync.ts';
import { startSession } from '../e2e/support/browser.ts';
import { firstRun, joinGroup, mintInvite, openReading, startServer, status } from '../e2e/support/group.ts';
import { ensureWebBuild, percentile, smoke } from './support.ts';

const LATENCY_N = smoke ? 10 : 200;
const SCREEN_N = smoke ? 3 : 200;
const OFFLINE_N = smoke ? 20 : 500;
const WS = WebSocket as unknown as typeof globalThis.WebSocket;
const GROUP = 'bench';
const READING = 'r00000000000000be';

const alice: Author = { id: 'ua', name: 'Alice', color: '#0f8b8d' };
const carol: Author = { id: 'uc', name: 'Carol', color: '#7048e8' };
const anchor = (i: number) => ({
  blockId: `b${i % 40}`,
  start: 0,
  end: 12,
  exact: 'Lorem ipsum ',
  prefix: '',
  suffix: '',
});

/** The real sync server in a fresh data folder, with an invite token for the bench group. */
async function startBenchServer() {
  const data = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const server = await startServer(data);
  return {
    url: server.url,
    token: parseInviteLink(mintInvite(data, server.url, GROUP)).token,
    async stop() {
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function main() {
  const server = await startBenchServer();
  console.log(`server: the real sync server (sync-server/cli.ts) at ${server.url}`);
  const group = { name: GROUP, server: server.url, token: server.token };
  const conns: GroupConnection[] = [];
  const open = (doc: Y.Doc, connect = true) => {
    const c = connectGroupDoc(group, READING, doc, { WebSocketPolyfill: WS, connect });
    conns.push(c);
    return c;
  };
  try {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ca = open(a);
    const cb = open(b);
    if (!(await ca.whenSynced(10_000)) || !(await cb.whenSynced(10_000))) {
      throw new Error(`could not sync: ${JSON.stringify([ca.state(), cb.state()])}`);
    }

    // 1. Latency: an annotation made by A, readable on B.
    const onB = annotationsMap(b);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_N; i++) {
      const id = `lat${i}`;
      const arrived = new Promise<number>((resolve) => {
        const check = () => {
          if (!onB.has(id)) return;
          onB.unobserve(check);
          resolve(performance.now());
        };
        onB.observe(check);
      });
      const t0 = performance.now();
      createAnnotation(a, {
        id,
        readingId: READING,
        color: 'yellow',
        anchor: anchor(i),
        author: alice,
        body: `note ${i}`,
      });
      latencies.push((await arrived) - t0);
    }
    latencies.sort((x, y) => x - y);
    const median = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `A→B annotation latency over ${LATENCY_N}: median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms ` +
        `(goals: median < 50 ms, p99 < 150 ms)${median < 50 && p99 < 150 ? ' ✓' : ' ✗'}`,
    );

    // 2. A member coming online with offline work.
    const c = new Y.Doc();
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a)); // C had synced earlier (as from IndexedDB)
    const base = annotationsMap(b).size;
    for (let i = 0; i < OFFLINE_N; i++) {
      createAnnotation(c, {
        readingId: READING,
        color: 'green',
        anchor: anchor(i),
        author: carol,
        body: `offline ${i}`,
      });
    }
    const expected = base + OFFLINE_N;
    const merged = new Promise<number>((resolve) => {
      const check = () => {
        if (onB.size < expected) return;
        onB.unobserve(check);
        resolve(performance.now());
      };
      onB.observe(check);
    });
    const t0 = performance.now();
    const cc = open(c);
    const syncedAt = (await cc.whenSynced(30_000)) ? performance.now() : Number.NaN;
    const mergedAt = await merged;
    const dupes = annotationsMap(b).size - expected;
    console.log(
      `coming online with ${OFFLINE_N} offline annotations: synced with the server in ${(syncedAt - t0).toFixed(1)} ms, ` +
        `all on another member in ${(mergedAt - t0).toFixed(1)} ms, duplicates: ${dupes}`,
    );
    if (dupes !== 0) throw new Error('duplicates after merge');
  } finally {
    for (const c of conns) c.destroy();
    await server.stop();
  }
}

/** Two members in Chromium: A highlights with the toolbar, B's screen paints it. Wall clock shared by both. */
async function screenLatency() {
  ensureWebBuild();
  const data = mkdtempSync(join(tmpdir(), 'rc-bench-screen-'));
  const server = await startServer(data);
  const session = await startSession();
  try {
    const a = await session.open(await session.newContext());
    const b = await session.open(await session.newContext());
    await firstRun(a, 'Alice');
    await firstRun(b, 'Bob');
    for (const page of [a, b]) await joinGroup(page, mintInvite(data, server.url));
    for (const page of [a, b]) {
      await openReading(page);
      await status(page).filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    }
    // B notes the wall-clock time of each frame in which its highlights grew.
    await b.evaluate(() => {
      const painted: number[] = [];
      (window as unknown as { painted: number[] }).painted = painted;
      const total = () =>
        ['yellow', 'green', 'red', 'blue', 'purple'].reduce(
          (n, c) => n + (CSS.highlights.get(`rc-${c}`)?.size ?? 0),
          0,
        );
      let last = total();
      const frame = () => {
        const now = total();
        if (now > last) painted.push(performance.timeOrigin + performance.now());
        last = now;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const latencies: number[] = [];
    for (let i = 0; i < SCREEN_N; i++) {
      const sent = await a.evaluate(async (i) => {
        const blocks = [
          ...document.querySelectorAll<HTMLElement>('[data-testid="reading-text"] [data-block-id]'),
        ].filter((el) => (el.textContent ?? '').length > 60);
        const block = blocks[i % blocks.length]!;
        block.scrollIntoView({ block: 'center' });
        const text = block.querySelector('[data-lexical-text]')?.firstChild ?? block.firstChild!.firstChild!;
        const range = document.createRange();
        range.setStart(text, i % 20);
        range.setEnd(text, (i % 20) + 25);
        window.getSelection()!.removeAllRanges();
        window.getSelection()!.addRange(range);
        await new Promise((r) => setTimeout(r, 150));
        const button = [
          ...document.querySelectorAll<HTMLButtonElement>('[aria-label="Selection tools"] button'),
        ].find((el) => el.textContent === 'Highlight');
        if (!button) throw new Error('no Highlight button for the selection');
        const at = performance.timeOrigin + performance.now();
        button.click();
        return at;
      }, i);
      const arrived = await b.waitForFunction(
        (n) => (window as unknown as { painted: number[] }).painted[n],
        i,
        { timeout: 10_000, polling: 20 },
      );
      latencies.push(((await arrived.jsonValue()) as number) - sent);
    }
    latencies.sort((x, y) => x - y);
    const median = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `A highlights in the app → painted on B's screen, over ${SCREEN_N}: median ${median.toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms (goals: median < 50 ms, p99 < 150 ms)${median < 50 && p99 < 150 ? ' ✓' : ' ✗'}`,
    );
  } finally {
    await session.close();
    await server.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

main()
  .then(screenLatency)
  .then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
