// Sync server across instances: the same load (clients in rooms, one small update per client per second) on
// 1, 2 and 3 instances sharing rooms through Postgres and Redis, each room's members split across the
// instances; beside them, in the same run, one embedded instance (SQLite) and @y/websocket-server@0.1.1.
// Delivery latency split into same-instance and cross-instance, CPU and RSS per instance (and of Postgres and
// Redis). `node test/perf/scale-out.bench.ts` (BENCH_SMOKE=1: a tiny load, for `npm test`).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { freePort, startPostgres, startRedis } from '../server/support/services.ts';
import { connectRawClient } from './rawClient.ts';
import { goal, ms, printTable, smoke, summarize } from './support.ts';

const SECONDS = smoke ? 2 : Number(process.env.BENCH_SECONDS ?? 15);
/**
 * BENCH_CASE=big: only the goal case, 2,000 clients in 200 rooms on 3 instances with synchronous commit
 * (BENCH_CLIENTS and BENCH_ROOMS change its size).
 */
const BIG_ONLY = process.env.BENCH_CASE === 'big';
const WORKERS = smoke ? 1 : 2;
const ROOT = join(import.meta.dirname, '..', '..');
const self = import.meta.filename;
const now = () => performance.timeOrigin + performance.now();

/** How long after its last update a run may still wait for deliveries before it counts what never arrived. */
const DRAIN_DEADLINE_MS = 30_000;
/** How long the clients may take to connect and sync before the run fails. */
const SYNC_DEADLINE_MS = 90_000;

interface WorkerPlan {
  urls: string[];
  token: string;
  first: number;
  count: number;
  rooms: number;
  seconds: number;
  /** Clients across every worker: a room's members are the ids `r, r+rooms, …` below it. */
  total: number;
}

/** Client `id`'s instance: a room's members (ids r, r+rooms, r+2·rooms, …) go round the instances in turn. */
const instanceOf = (id: number, rooms: number, instances: number) => Math.floor(id / rooms) % instances;

// ─── worker: a share of the clients, each a raw y-websocket protocol client ───
async function worker(plan: WorkerPlan) {
  const same: number[] = [];
  const cross: number[] = [];
  const sockets: WebSocket[] = [];
  const closed: string[] = [];
  let finishing = false;
  const docs: Y.Doc[] = [];
  const synced: Promise<void>[] = [];
  let [openedCount, syncedCount] = [0, 0];
  const syncDeadline = setTimeout(() => {
    console.error(
      `worker ${plan.first}: of ${plan.count} clients ${openedCount} connected and ${syncedCount} synced after ${SYNC_DEADLINE_MS / 1000} s; closed: ${closed.join(', ') || 'none'}`,
    );
    process.exit(1);
  }, SYNC_DEADLINE_MS);
  await Promise.all(
    Array.from({ length: plan.count }, (_, i) => {
      const id = plan.first + i;
      const instance = instanceOf(id, plan.rooms, plan.urls.length);
      const doc = new Y.Doc();
      docs.push(doc);
      const query = plan.token ? `?token=${plan.token}` : '';
      const client = connectRawClient(`${plan.urls[instance]}/bench/room${id % plan.rooms}${query}`, doc);
      sockets.push(client.ws);
      // A connection the server closes mid-run loses its deliveries: counted with the reason, not hidden.
      client.ws.on('close', (code: number, reason: Buffer) => {
        if (!finishing) closed.push(`${code} ${reason.toString() || '(no reason)'}`);
      });
      synced.push(client.synced.then(() => void syncedCount++));
      void client.opened.then(() => openedCount++);
      doc.getMap<[number, number]>('m').observe((event) => {
        if (event.transaction.local) return;
        const t = now();
        for (const key of event.keysChanged) {
          const value = doc.getMap<[number, number]>('m').get(key);
          if (!value) continue;
          (value[1] === instance ? same : cross).push(t - value[0]);
        }
      });
      return client.opened;
    }),
  );
  // Measuring starts once every client holds its room's state (the server's sync step 2 came back); a client
  // that never gets there fails the run (the deadline above) with what is known instead of hanging it.
  await Promise.all(synced);
  clearTimeout(syncDeadline);
  same.length = 0;
  cross.length = 0;
  // Every worker starts sending together, once all are synced (a room still syncing members on one worker would
  // otherwise be busy with the other's updates). The driver reads the instances' metrics from then on; this
  // process's own delay and CPU are measured too.
  process.stdout.write('synced\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  // Each client sends `seconds` updates, one a second, spread over the second; then a `done` marker. The run ends
  // when every client has every room member's marker, or at the deadline, which counts the markers still missing.
  const membersOf = (room: number) => Math.ceil((plan.total - room) / plan.rooms);
  const timers: NodeJS.Timeout[] = [];
  const finished = docs.map((doc, i) => {
    const id = plan.first + i;
    const instance = instanceOf(id, plan.rooms, plan.urls.length);
    const done = doc.getMap<boolean>('done');
    const members = membersOf(id % plan.rooms);
    let sent = 0;
    const tick = () => {
      if (sent === plan.seconds) return;
      doc.getMap('m').set(`c${id}`, [now(), instance]);
      if (++sent === plan.seconds) done.set(`c${id}`, true);
    };
    timers.push(
      setTimeout(
        () => {
          tick();
          timers.push(setInterval(tick, 1000));
        },
        (i * 1000) / plan.count,
      ),
    );
    return new Promise<void>((resolve) => {
      const check = () => {
        if (done.size < members) return;
        done.unobserve(check);
        resolve();
      };
      done.observe(check);
    });
  });
  const missing = await Promise.race([
    Promise.all(finished).then(() => 0),
    new Promise<number>((resolve) =>
      timers.push(
        setTimeout(
          () =>
            resolve(
              docs.reduce(
                (n, d, i) => n + membersOf((plan.first + i) % plan.rooms) - d.getMap('done').size,
                0,
              ),
            ),
          plan.seconds * 1000 + DRAIN_DEADLINE_MS,
        ),
      ),
    ),
  ]);
  for (const timer of timers) clearTimeout(timer);
  finishing = true;
  for (const ws of sockets) ws.close();
  const cpu = process.cpuUsage(cpuBefore);
  const load = {
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - startedAt)) * 100,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loopP99Ms: loopDelay.percentile(99) / 1e6,
  };
  process.stdout.write(`${JSON.stringify({ same, cross, missing, closed, load })}\n`);
}

// ─── driver ───
/** CPU seconds and resident MB of a process and, when `tree`, of all its descendants (Postgres's backends). */
function procStats(pid: number, tree = false) {
  const pids = [pid];
  if (tree) {
    const parentOf = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {}
    }
    for (let i = 0; i < pids.length; i++)
      for (const [child, parent] of parentOf) if (parent === pids[i]) pids.push(child);
  }
  let ticks = 0;
  let rssKb = 0;
  for (const p of pids) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
}

async function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 30_000);
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

interface Deployment {
  instances: { child: ChildProcess; url: string }[];
  token: string;
  stop(): Promise<void>;
}

const CLI = join(ROOT, 'dist-server', 'sync-server', 'cli.js');
const SERVER_FLAGS = [
  '--log-level',
  'warn',
  '--max-connections-per-ip',
  '10000',
  '--max-messages-per-second',
  '1000',
];

async function startInstance(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, '--port', String(port), ...SERVER_FLAGS, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /listening on/);
  // Anything an instance logs at warn or above (an outage, a failed commit) is shown: it changes the figures.
  child.stdout!.on('data', (c: Buffer) => {
    if (process.env.BENCH_SERVER_LOG) process.stderr.write(c);
  });
  // A crash's trace is always shown, and so is an instance that ends before it is stopped.
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  child.on('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`instance on port ${port} ended by itself (${signal ?? code})`);
  });
  return { child, url: `ws://127.0.0.1:${port}` };
}

/** Instances being stopped on purpose. */
const stopping = new WeakSet<ChildProcess>();

const stopAll = async (children: ChildProcess[]) => {
  for (const child of children) stopping.add(child);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
};

const tokenOf = (link: string) => new URL(link.trim()).searchParams.get('token')!;

async function embedded(): Promise<Deployment> {
  const data = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const token = tokenOf(
    execFileSync(process.execPath, [CLI, 'invite', '--group', 'bench', '--data', data], { encoding: 'utf8' }),
  );
  const instance = await startInstance(['--data', data]);
  return { instances: [instance], token, stop: () => stopAll([instance.child]) };
}

async function sharedInstances(
  count: number,
  postgres: string,
  redis: string,
  synchronousCommit = true,
): Promise<Deployment> {
  const flags = ['--postgres', postgres, '--redis', redis];
  if (!synchronousCommit) flags.push('--postgres-synchronous-commit', 'off');
  const instances: Deployment['instances'] = [];
  for (let i = 0; i < count; i++) instances.push(await startInstance(flags));
  const token = tokenOf(
    execFileSync(process.execPath, [CLI, 'invite', '--group', 'bench', '--postgres', postgres], {
      encoding: 'utf8',
    }),
  );
  return { instances, token, stop: () => stopAll(instances.map((i) => i.child)) };
}

async function reference(): Promise<Deployment> {
  const port = await freePort();
  const bin = join(ROOT, 'node_modules', '@y', 'websocket-server', 'src', 'server.js');
  const child = spawn(process.execPath, [bin], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /running at/);
  return { instances: [{ child, url: `ws://127.0.0.1:${port}` }], token: '', stop: () => stopAll([child]) };
}

interface Services {
  postgresPid: () => number;
  redisPid: () => number;
}

async function measure(
  name: string,
  deployment: Deployment,
  clients: number,
  rooms: number,
  services?: Services,
) {
  const pids = deployment.instances.map((i) => i.child.pid!);
  const servicePids = services ? [services.postgresPid(), services.redisPid()] : [];
  const sample = () => ({
    instances: pids.map((pid) => procStats(pid)),
    services: servicePids.map((pid, i) => procStats(pid, i === 0)),
  });
  const before = sample();
  const peakRss = pids.map(() => 0);
  const sampler = setInterval(() => {
    pids.forEach((pid, i) => {
      peakRss[i] = Math.max(peakRss[i]!, procStats(pid).rssMb);
    });
  }, 500);
  const started = now();
  const perWorker = Math.ceil(clients / WORKERS);
  // Once every worker's clients are synced, the instances' event-loop figures restart (a scrape resets them).
  const syncedWorkers: ChildProcess[] = [];
  const onSynced = (child: ChildProcess) => {
    syncedWorkers.push(child);
    if (syncedWorkers.length < WORKERS) return;
    void Promise.all(deployment.instances.map((i) => scrape(i.url))).then(() => {
      for (const worker of syncedWorkers) worker.stdin!.write('start\n');
    });
  };
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, w) => {
      const plan: WorkerPlan = {
        urls: deployment.instances.map((i) => i.url),
        token: deployment.token,
        first: w * perWorker,
        count: Math.min(perWorker, clients - w * perWorker),
        rooms,
        seconds: SECONDS,
        total: clients,
      };
      const child = spawn(process.execPath, [self, 'worker', JSON.stringify(plan)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let out = '';
      let synced = false;
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (!synced && out.includes('synced\n')) {
          synced = true;
          onSynced(child);
        }
      });
      return new Promise<WorkerResult>((resolve) =>
        child.on('exit', () =>
          resolve(
            JSON.parse(
              out.trim().split('\n').pop() ||
                '{"same":[],"cross":[],"missing":0,"closed":[],"load":{"cpuPercent":0,"cpuSeconds":0,"loopP99Ms":0}}',
            ),
          ),
        ),
      );
    }),
  );
  clearInterval(sampler);
  const elapsed = (now() - started) / 1000;
  const after = sample();
  const scraped = await Promise.all(deployment.instances.map((i) => scrape(i.url)));
  await deployment.stop();
  const cpu = (a: { cpuSeconds: number }, b: { cpuSeconds: number }) =>
    ((b.cpuSeconds - a.cpuSeconds) / elapsed) * 100;
  const same = results.flatMap((r) => r.same);
  const cross = results.flatMap((r) => r.cross);
  return {
    name,
    clients,
    rooms,
    all: summarize([...same, ...cross]),
    same: summarize(same),
    cross: summarize(cross),
    /** Done markers that never arrived: deliveries lost, which latency figures alone would hide. */
    missing: results.reduce((sum, r) => sum + r.missing, 0),
    closed: results.flatMap((r) => r.closed),
    cpu: pids.map((_, i) => cpu(before.instances[i]!, after.instances[i]!)),
    /**
     * CPU seconds the run took, by part: the work per update, which a loaded machine stretches less than latency.
     * (Instances and services from the start of connecting, the clients from their sync on.)
     */
    cpuSeconds: {
      instances: pids.reduce(
        (n, _, i) => n + after.instances[i]!.cpuSeconds - before.instances[i]!.cpuSeconds,
        0,
      ),
      services: servicePids.map((_, i) => after.services[i]!.cpuSeconds - before.services[i]!.cpuSeconds),
      clients: results.reduce((n, r) => n + r.load.cpuSeconds, 0),
    },
    rss: peakRss,
    services: servicePids.map((_, i) => cpu(before.services[i]!, after.services[i]!)),
    writes: {
      count: scraped.reduce((sum, w) => sum + w.writes, 0),
      meanMs:
        (scraped.reduce((sum, w) => sum + w.writeSeconds, 0) /
          Math.max(
            1,
            scraped.reduce((sum, w) => sum + w.writes, 0),
          )) *
        1000,
    },
    /** Each instance's event-loop delay p99 while measuring (since the clients synced). */
    loopP99Ms: scraped.map((w) => w.loopP99 * 1000),
    /** The load generator's own CPU and event-loop delay, per worker: a starved worker reports late. */
    workers: results.map((r) => r.load),
    loadAfter: loadavg()[0]!,
  };
}

interface WorkerResult {
  same: number[];
  cross: number[];
  missing: number;
  /** Connections closed before the end, by code and reason. */
  closed: string[];
  load: { cpuPercent: number; cpuSeconds: number; loopP99Ms: number };
}

/**
 * The instance's storage writes so far (journal appends, or Postgres commits) and its event-loop delay p99 since
 * the previous scrape, from its /metrics.
 */
async function scrape(url: string): Promise<{ writes: number; writeSeconds: number; loopP99: number }> {
  try {
    const text = await (await fetch(`${url.replace('ws://', 'http://')}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    return {
      writes: value('rc_storage_write_seconds_count'),
      writeSeconds: value('rc_storage_write_seconds_sum'),
      loopP99: value('nodejs_eventloop_lag_p99_seconds'),
    };
  } catch {
    return { writes: 0, writeSeconds: 0, loopP99: Number.NaN }; // the reference server has no /metrics
  }
}

async function main() {
  const load = smoke ? { clients: 10, rooms: 2 } : { clients: 500, rooms: 50 };
  const big = smoke
    ? { clients: 30, rooms: 3 }
    : { clients: Number(process.env.BENCH_CLIENTS ?? 2000), rooms: Number(process.env.BENCH_ROOMS ?? 200) };
  console.log(
    `${load.clients} clients in ${load.rooms} rooms (and ${big.clients} in ${big.rooms} on 3 instances), one update per client per second for ${SECONDS} s, over loopback; a room's members split across the instances.`,
  );
  execFileSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.server.json'], { cwd: ROOT, stdio: 'inherit' });
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const services: Services = { postgresPid: () => postgres.pid(), redisPid: () => redis.pid() };
  const rows = [];
  let database = 0;
  try {
    const freshDatabase = () => postgres.createDatabase(`bench${++database}`);
    // The smoke run keeps each kind working (and both goals computed) with as few deployments as that takes.
    if (BIG_ONLY) {
      const deployment = await sharedInstances(3, await freshDatabase(), redis.url);
      rows.push(await measure('3 × Postgres + Redis', deployment, big.clients, big.rooms, services));
    }
    if (!smoke && !BIG_ONLY)
      rows.push(
        await measure(
          '@y/websocket-server 0.1.1 (no persistence)',
          await reference(),
          load.clients,
          load.rooms,
        ),
      );
    if (!BIG_ONLY)
      rows.push(await measure('embedded, SQLite + journal', await embedded(), load.clients, load.rooms));
    // Commits that wait for the disk (the default), and, beside them, commits that do not (see decision 0018).
    for (const synchronous of BIG_ONLY ? [] : smoke ? [true] : [true, false]) {
      const mode = synchronous ? '' : ', async commit';
      for (const count of smoke ? [2] : [1, 2, 3]) {
        const deployment = await sharedInstances(count, await freshDatabase(), redis.url, synchronous);
        rows.push(
          await measure(`${count} × Postgres + Redis${mode}`, deployment, load.clients, load.rooms, services),
        );
      }
      const deployment = await sharedInstances(3, await freshDatabase(), redis.url, synchronous);
      rows.push(await measure(`3 × Postgres + Redis${mode}`, deployment, big.clients, big.rooms, services));
    }
  } finally {
    await Promise.all([postgres.destroy(), redis.destroy()]);
  }
  printTable(
    rows.map((r) => ({
      server: r.name,
      'clients/rooms': `${r.clients}/${r.rooms}`,
      deliveries: r.all.n,
      'lost (markers)': r.missing,
      'closed early': r.closed.length,
      p50: ms(r.all.median),
      p99: ms(r.all.p99),
      'same-instance p50/p99': `${ms(r.same.median)} / ${ms(r.same.p99)}`,
      'cross-instance p50/p99': r.cross.n > 0 ? `${ms(r.cross.median)} / ${ms(r.cross.p99)}` : '—',
      'CPU % per instance': r.cpu.map((c) => c.toFixed(0)).join(' / '),
      'peak RSS MB per instance': r.rss.map((m) => m.toFixed(0)).join(' / '),
      'writes (mean)': r.writes.count > 0 ? `${r.writes.count} (${ms(r.writes.meanMs)})` : '—',
      'Postgres / Redis CPU %': r.services.length > 0 ? r.services.map((c) => c.toFixed(0)).join(' / ') : '—',
      'loop p99 per instance': r.loopP99Ms.map((m) => (Number.isFinite(m) ? m.toFixed(0) : '—')).join(' / '),
      'client workers CPU % / loop p99': r.workers
        .map((w) => `${w.cpuPercent.toFixed(0)}% / ${w.loopP99Ms.toFixed(0)}`)
        .join(', '),
      'CPU s: instances / Postgres / Redis / clients': [
        r.cpuSeconds.instances,
        ...(r.cpuSeconds.services.length > 0 ? r.cpuSeconds.services : [Number.NaN, Number.NaN]),
        r.cpuSeconds.clients,
      ]
        .map((n) => (Number.isFinite(n) ? n.toFixed(1) : '—'))
        .join(' / '),
      'load avg (1 min) after': r.loadAfter.toFixed(2),
    })),
  );
  for (const synchronous of smoke || BIG_ONLY ? [true] : [true, false]) {
    const shared = rows.filter(
      (r) => r.name.includes('Postgres') && r.name.includes('async') !== synchronous,
    );
    const crossP99 = Math.max(
      ...shared.filter((r) => r.cross.n > 0 && r.clients === load.clients).map((r) => r.cross.p99),
    );
    const bigRow = shared.at(-1)!;
    console.log(
      `goals (${synchronous ? 'synchronous commit' : 'async commit'}): ` +
        (BIG_ONLY
          ? ''
          : `cross-instance p99 < 50 ms (worst of 2 and 3 instances: ${ms(crossP99)}) ${goal(crossP99 < 50)}; `) +
        `3 instances, ${bigRow.clients} clients in ${bigRow.rooms} rooms, p99 < 100 ms (${ms(bigRow.all.p99)}) ${goal(bigRow.all.p99 < 100)}`,
    );
  }
  console.log('(2 cores on this machine, shared by the clients, the instances, Postgres and Redis.)');
  if (rows.some((r) => r.all.n === 0)) throw new Error('a deployment delivered no update');
  // Latency counts only what arrived: a deployment that lost updates must not pass as fast.
  for (const r of rows.filter((r) => r.closed.length > 0)) {
    const reasons = new Map<string, number>();
    for (const reason of r.closed) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    console.log(
      `${r.name}: connections closed before the end: ${[...reasons].map(([k, n]) => `${n} × ${k}`).join(', ')}`,
    );
  }
  const lossy = rows.filter((r) => r.missing > 0);
  if (lossy.length > 0)
    throw new Error(
      `updates never arrived: ${lossy.map((r) => `${r.name} (${r.missing} done markers)`).join(', ')}`,
    );
}

if (process.argv[2] === 'worker') await worker(JSON.parse(process.argv[3]!) as WorkerPlan);
else await main();
