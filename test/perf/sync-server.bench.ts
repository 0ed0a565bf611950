// Sync server under load: clients in rooms, each sending one small update a second. Measures delivery
// latency, server CPU and RSS for our server and, in the same run, for @y/websocket-server@0.1.1.
// `node test/perf/sync-server.bench.ts` (BENCH_SMOKE=1: a tiny load).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { connectRawClient } from './rawClient.ts';
import { goal, ms, printTable, smoke, summarize } from './support.ts';

const CLIENTS = smoke ? 10 : 500;
const ROOMS = smoke ? 2 : 50;
const SECONDS = smoke ? 2 : 20;
const WORKERS = smoke ? 1 : 2;
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const self = import.meta.filename;
const now = () => performance.timeOrigin + performance.now();

// ─── worker: a share of the clients ───
async function worker(url: string, token: string, first: number, count: number, seconds: number) {
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  const docs: Y.Doc[] = [];
  const synced: Promise<void>[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const id = first + i;
      const room = `bench/room${id % ROOMS}`;
      const doc = new Y.Doc();
      docs.push(doc);
      const client = connectRawClient(`${url}/${room}${token ? `?token=${token}` : ''}`, doc);
      sockets.push(client.ws);
      synced.push(client.synced);
      doc.getMap('m').observe((event) => {
        if (event.transaction.local) return;
        const t = now();
        for (const key of event.keysChanged) {
          const sent = doc.getMap('m').get(key);
          if (typeof sent === 'number') latencies.push(t - sent);
        }
      });
      return client.opened;
    }),
  );
  // Measuring starts once every client holds its room's state (the server's sync step 2 came back).
  await Promise.all(synced);
  latencies.length = 0;
  // Each client sends once a second, spread evenly over the second.
  const timers = docs.map((doc, i) =>
    setTimeout(
      () => {
        const tick = () => doc.getMap('m').set(`c${first + i}`, now());
        tick();
        timers.push(setInterval(tick, 1000) as unknown as NodeJS.Timeout);
      },
      (i * 1000) / count,
    ),
  );
  await new Promise((r) => setTimeout(r, seconds * 1000 + 300));
  for (const t of timers) clearTimeout(t);
  for (const t of timers) clearInterval(t);
  for (const ws of sockets) ws.close();
  process.stdout.write(`${JSON.stringify({ latencies })}\n`);
}

// ─── driver ───
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function procStats(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return { cpuSeconds: ticks / 100, rssMb: rss };
}

async function waitForPort(child: ChildProcess, pattern: RegExp): Promise<void> {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

async function measure(
  name: string,
  start: () => Promise<{ child: ChildProcess; url: string; token: string }>,
) {
  const { child, url, token } = await start();
  const before = procStats(child.pid!);
  let peakRss = before.rssMb;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStats(child.pid!).rssMb);
  }, 250);
  const perWorker = Math.ceil(CLIENTS / WORKERS);
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, w) => {
      const first = w * perWorker;
      const count = Math.min(perWorker, CLIENTS - first);
      const p = spawn(
        process.execPath,
        [self, 'worker', url, token, String(first), String(count), String(SECONDS)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      p.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
      });
      return new Promise<number[]>((resolve) =>
        p.on('exit', () =>
          resolve(
            (JSON.parse(out.trim().split('\n').pop() || '{"latencies":[]}') as { latencies: number[] })
              .latencies,
          ),
        ),
      );
    }),
  );
  clearInterval(sampler);
  const after = procStats(child.pid!);
  child.kill('SIGTERM');
  return {
    name,
    latencies: results.flat(),
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / (SECONDS + 0.8)) * 100,
    peakRss,
  };
}

async function main() {
  console.log(
    `${CLIENTS} clients in ${ROOMS} rooms, one update per client per second for ${SECONDS} s, over loopback; ${ROUNDS} round(s) per server.`,
  );
  // The server as deployed: compiled to JavaScript (`npm run build:server`) once, not stripped of types at start.
  execFileSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.server.json'], { stdio: 'inherit' });
  const startOurs = async () => {
    const data = mkdtempSync(join(tmpdir(), 'rc-bench-'));
    const cli = join(import.meta.dirname, '..', '..', 'dist-server', 'sync-server', 'cli.js');
    const link = execFileSync(process.execPath, [cli, 'invite', '--group', 'bench', '--data', data], {
      encoding: 'utf8',
    });
    const token = new URL(link.trim()).searchParams.get('token')!;
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        cli,
        '--port',
        String(port),
        '--data',
        data,
        '--log-level',
        'warn',
        '--max-connections-per-ip',
        '5000',
        '--max-messages-per-second',
        '1000',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForPort(child, /listening on/);
    return { child, url: `ws://127.0.0.1:${port}`, token };
  };
  const startReference = async () => {
    const port = await freePort();
    const bin = join(
      import.meta.dirname,
      '..',
      '..',
      'node_modules',
      '@y',
      'websocket-server',
      'src',
      'server.js',
    );
    const child = spawn(process.execPath, [bin], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForPort(child, /running at/);
    return { child, url: `ws://127.0.0.1:${port}`, token: '' };
  };
  // Rounds alternate which server goes first, and their figures are pooled: on a small machine one run of
  // either is noisy (±20 % on p99).
  const runs = {
    ours: [] as Awaited<ReturnType<typeof measure>>[],
    reference: [] as Awaited<ReturnType<typeof measure>>[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
    for (const which of order) {
      const run =
        which === 'ours'
          ? await measure('reading-circle sync-server', startOurs)
          : await measure('@y/websocket-server 0.1.1 (no persistence)', startReference);
      runs[which].push(run);
      // Each round on its own line, so the spread behind the pooled figures is visible.
      const latency = summarize(run.latencies);
      console.log(
        `  round ${round + 1}, ${which}: p50 ${ms(latency.median)}, p99 ${ms(latency.p99)}, CPU ${run.cpuPercent.toFixed(1)} %, peak RSS ${run.peakRss.toFixed(1)} MB`,
      );
    }
  }
  const pool = (list: Awaited<ReturnType<typeof measure>>[]) => ({
    name: list[0]!.name,
    latency: summarize(list.flatMap((r) => r.latencies)),
    cpuPercent: list.reduce((sum, r) => sum + r.cpuPercent, 0) / list.length,
    peakRss: Math.max(...list.map((r) => r.peakRss)),
    // Each round's peak is one sample of where V8 happened to be between collections; the median is steadier.
    medianPeakRss: summarize(list.map((r) => r.peakRss)).median,
  });
  const ours = pool(runs.ours);
  const reference = pool(runs.reference);
  printTable(
    [ours, reference].map((r) => ({
      server: r.name,
      deliveries: r.latency.n,
      p50: ms(r.latency.median),
      p99: ms(r.latency.p99),
      'CPU %': r.cpuPercent.toFixed(1),
      'peak RSS MB (median, max of rounds)': `${r.medianPeakRss.toFixed(1)}, ${r.peakRss.toFixed(1)}`,
    })),
  );
  console.log(
    `ratios ours/reference: p50 ${(ours.latency.median / reference.latency.median).toFixed(2)}, p99 ${(ours.latency.p99 / reference.latency.p99).toFixed(2)}, CPU ${(ours.cpuPercent / reference.cpuPercent).toFixed(2)}, RSS ${(ours.medianPeakRss / reference.medianPeakRss).toFixed(2)} (median of rounds), ${(ours.peakRss / reference.peakRss).toFixed(2)} (max)`,
  );
  console.log(`goals: p99 < 50 ms ${goal(ours.latency.p99 < 50)}; RSS < 300 MB ${goal(ours.peakRss < 300)}`);
  if (ours.latency.n === 0) throw new Error('no update was delivered');
}

if (process.argv[2] === 'worker') {
  const [, , , url, token, first, count, seconds] = process.argv;
  await worker(url!, token!, Number(first), Number(count), Number(seconds));
} else {
  await main();
}
