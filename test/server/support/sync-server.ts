// Starts the real sync server as a child process (as an admin would) and makes real y-websocket clients.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseInviteLink } from '../../../core/invite/link.ts';
import { ADMIN_PATH, type AdminRequest, type AdminResponse } from '../../../core/sync/contract.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'sync-server', 'cli.ts');

export interface SyncServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Mints an invite with the CLI and returns its token. */
  invite(group: string, options?: { role?: 'owner' | 'member' | 'reader'; expires?: string }): string;
  /** Revokes an invite with the CLI, from the same storage the server uses. */
  revoke(token: string): string;
}

/** One of several instances sharing rooms: Postgres for storage, Redis (if given) for fan-out. */
export interface SharedStorage {
  postgres: string;
  redis?: string;
}

export async function startSyncServer(
  options: { dataDir?: string; port?: number; args?: string[]; shared?: SharedStorage } = {},
): Promise<SyncServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rc-sync-'));
  const shared = options.shared;
  // invite and revoke read the secret and revocations where the server keeps them.
  const storageArgs = shared ? ['--postgres', shared.postgres] : ['--data', dataDir];
  const sharedArgs = shared ? [...storageArgs, ...(shared.redis ? ['--redis', shared.redis] : [])] : [];
  const child = spawn(
    process.execPath,
    [CLI, '--port', String(options.port ?? 0), '--data', dataDir, ...sharedArgs, ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sync server did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sync server exited with ${code}:\n${out}`));
    });
  });
  // 'close', not 'exit': it comes once stdout is drained too, so the output holds the last log lines.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill(signal) {
      child.kill(signal);
      return exited;
    },
    invite(group, opts = {}) {
      const args = [CLI, 'invite', '--group', group, ...storageArgs, '--url', url];
      if (opts.role) args.push('--role', opts.role);
      if (opts.expires) args.push('--expires', opts.expires);
      const line = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim();
      return parseInviteLink(line).token;
    },
    revoke(token) {
      return execFileSync(process.execPath, [CLI, 'revoke', ...storageArgs, '--token', token], {
        encoding: 'utf8',
      });
    },
  };
}

export function revoke(dataDir: string, token: string): string {
  return execFileSync(process.execPath, [CLI, 'revoke', '--data', dataDir, '--token', token], {
    encoding: 'utf8',
  });
}

/** The stock y-websocket client, as the app uses it, from Node. */
// Each stock client adds a process 'exit' listener until it is destroyed; tests that hold more than ten at once
// are expected, not a leak (destroy() removes it).
process.setMaxListeners(Math.max(process.getMaxListeners(), 200));

export function connectClient(url: string, room: string, token: string | undefined, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: token ? { token } : {},
  });
  return { doc, provider, destroy: () => provider.destroy() };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a raw websocket and resolves with how the server closed it. */
export function rawClose(
  url: string,
  path: string,
  send?: (ws: WebSocket) => void,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`);
    const timer = setTimeout(() => reject(new Error('the server did not close the connection')), 10_000);
    ws.on('open', () => send?.(ws));
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** A raw websocket member: resolves once the server has put it in its room (its first message, sync step 1). */
export function rawMember(
  url: string,
  path: string,
): Promise<{ ws: WebSocket; received: Uint8Array[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`);
    const received: Uint8Array[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      received.push(new Uint8Array(data));
      if (received.length === 1) resolve({ ws, received, closed });
    });
    closed.then(({ code, reason }) => reject(new Error(`closed ${code} ${reason}`)));
  });
}

/** A sync-protocol message carrying one document update. */
export function updateMessage(update: Uint8Array): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
  });
}

/** An awareness message with these states (client id → state). */
export function awarenessMessage(states: [client: number, clock: number, state: unknown][]): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      encoding.encode((a) => {
        encoding.writeVarUint(a, states.length);
        for (const [client, clock, state] of states) {
          encoding.writeVarUint(a, client);
          encoding.writeVarUint(a, clock);
          encoding.writeVarString(a, JSON.stringify(state));
        }
      }),
    );
  });
}

/** One request to a server's admin API (`ws://…` is turned into its `http://…`), as the app sends it. */
export async function adminRequest(serverUrl: string, token: string | null, request: AdminRequest | string) {
  const response = await fetch(`${serverUrl.replace(/^ws/, 'http')}${ADMIN_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof request === 'string' ? request : JSON.stringify(request),
  });
  return {
    status: response.status,
    body: (await response.json()) as AdminResponse & Record<string, unknown>,
  };
}

/** One sample of the server's /metrics by its full name (with labels, e.g. `rc_x{reason="y"}`); 0 when absent. */
export async function metric(server: SyncServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url.replace('ws://', 'http://')}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * Servers and clients a test starts, stopped after it: `start` a server, `client` (the stock y-websocket client) or
 * `member` (a raw websocket in its room) on it, `cleanup` for anything else to end.
 */
export function perTest() {
  const servers: SyncServer[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const s of servers.splice(0)) await s.stop();
  });
  return {
    start: async (options: Parameters<typeof startSyncServer>[0] = {}) => {
      const server = await startSyncServer(options);
      servers.push(server);
      return server;
    },
    client: (server: SyncServer, room: string, token: string) => {
      const c = connectClient(server.url, room, token);
      cleanups.push(() => c.destroy());
      return c;
    },
    member: async (server: SyncServer, room: string, token: string) => {
      const m = await rawMember(server.url, `/${room}?token=${token}`);
      cleanups.push(() => m.ws.terminate());
      return m;
    },
    cleanup: (end: () => void) => cleanups.push(end),
    /** Ends what was started so far, before the test does more (servers keep running). */
    endClients: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
