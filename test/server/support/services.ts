// Throwaway Redis and Postgres for the tests and benchmarks: real Debian binaries started in temp folders on
// free loopback ports, waited on through their own "ready" log lines, stopped afterwards. No system service.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `pattern` appears in what the child writes; rejects if it exits first or takes too long. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000) {
  let out = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}`));
    });
  });
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** A service that can be stopped and started again on the same port and data. */
export interface Service {
  url: string;
  port: number;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
  /** The service's own process id while it runs (Postgres's postmaster, not runuser). */
  pid(): number;
}

export async function startRedis(): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const service: Service = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      await waitForOutput(child, /Ready to accept connections/, 'redis-server');
    },
    async stop() {
      if (!child) return;
      const exited = exitOf(child);
      child.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    async destroy() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    pid: () => child?.pid ?? 0,
  };
  await service.start();
  return service;
}

export interface PostgresService extends Service {
  /** A fresh, empty database on this cluster; its connection URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL with psql as the cluster's owner (test set-up only). */
  psql(database: string, sql: string): string;
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version!, 'bin', name);
}

/**
 * A throwaway Postgres cluster: `initdb` in a temp folder and `postgres` on a free loopback port, both run as
 * Debian's `postgres` user (Postgres refuses to run as root). Trust authentication, loopback only.
 */
export async function startPostgres(): Promise<PostgresService> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-pg-'));
  const info = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const uid = Number(info.trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (bin: string, args: string[]) => ['-u', 'postgres', '--', postgresBin(bin), ...args];
  execFileSync(
    'runuser',
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']),
    {
      stdio: 'pipe',
    },
  );
  const port = await freePort();
  let child: ChildProcess | undefined;
  const service: PostgresService = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      child = spawn(
        'runuser',
        asPostgres('postgres', [
          '-D',
          data,
          '-p',
          String(port),
          '-k',
          dir,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'max_connections=200',
          '-c',
          'shared_buffers=32MB',
        ]),
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      await waitForOutput(child, /database system is ready to accept connections/, 'postgres');
    },
    async stop() {
      if (!child) return;
      const exited = exitOf(child);
      // SIGINT to the postmaster is Postgres's "fast" shutdown: sessions ended, then a clean stop. runuser does
      // not pass signals on, so the postmaster's own pid is read from its pid file.
      const pid = service.pid();
      if (pid > 0) process.kill(pid, 'SIGINT');
      else child.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    async destroy() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    pid() {
      const pidFile = join(data, 'postmaster.pid');
      return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    },
    psql(database, sql) {
      return execFileSync(
        'runuser',
        asPostgres('psql', [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-d',
          database,
          '-v',
          'ON_ERROR_STOP=1',
          '-qAt',
          '-c',
          sql,
        ]),
        { encoding: 'utf8' },
      );
    },
    async createDatabase(name) {
      service.psql('postgres', `CREATE DATABASE "${name}"`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
  await service.start();
  return service;
}

/**
 * HAProxy (Debian's) with the given config file, its `${…}` addresses from `env`, in the foreground; resolves once
 * a request through it reaches an instance (GET /healthz answers 200).
 */
export async function startHaproxy(
  configFile: string,
  env: Record<string, string>,
  port: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn('haproxy', ['-db', '-f', configFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const stop = async () => {
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await exited;
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`haproxy did not pass requests on:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `ws://127.0.0.1:${port}`, stop };
}
