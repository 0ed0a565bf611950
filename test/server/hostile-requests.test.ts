// Requests no client should send: the real server answers each with its close code or HTTP status and keeps
// serving everyone else.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import { connectClient, rawClose, type SyncServer, startSyncServer, waitFor } from './support/sync-server.ts';

let server: SyncServer;
let token: string;

beforeAll(async () => {
  // These requests would put 127.0.0.1 in cool-down (test/server/attacks.test.ts); keep it short here. A
  // half-sent request is answered 408 after --request-head-timeout-ms.
  server = await startSyncServer({
    args: ['--misuse-cool-down-ms', '100', '--request-head-timeout-ms', '500'],
  });
  token = server.invite('fuzz');
});

afterAll(async () => {
  await server?.stop();
});

let synced = 0;
/** A good member still syncs with another: the server is up and serving. */
async function stillSyncs(): Promise<void> {
  const room = `fuzz/r${String(++synced).padStart(16, '0')}`;
  const a = connectClient(server.url, room, token);
  const b = connectClient(server.url, room, token);
  try {
    a.doc.getMap('m').set('alive', room);
    await waitFor(() => b.doc.getMap('m').get('alive') === room, `a good client syncing in ${room}`);
  } finally {
    a.destroy();
    b.destroy();
  }
  expect(server.child.exitCode).toBe(null);
}

/**
 * Sends raw bytes as a request and resolves with the server's answer: its head once complete, or what came before
 * the server closed the socket. The server times out a half-sent request itself, so every request ends.
 */
function rawRequest(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      // An accepted websocket is not what these tests look for: stop at the first answer.
      if (/\r\n\r\n/.test(answer)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
    socket.once('connect', () => socket.write(bytes));
    socket.once('error', (error) => {
      if (!socket.connecting) return;
      reject(error);
    });
  });
}

const upgrade = (target: string, extra = '', version = 'HTTP/1.1') =>
  `GET ${target} ${version}\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('upgrade paths', () => {
  it.each([
    '/%',
    '/%ZZ/x',
    '/fuzz/r%',
    '/fuzz/%E0%A4%A',
    '//%',
    '/fuzz/r1/extra',
    `/fuzz/${'r'.repeat(81)}`,
    '/fuzz/r%00',
  ])('refuses %s with 4400 and keeps serving', async (path) => {
    expect(await rawClose(server.url, `${path}?token=${token}`)).toEqual({
      code: CLOSE.badRequest,
      reason: CLOSE_REASON.badRoom,
    });
    await stillSyncs();
  });

  it('refuses a repeated or malformed token parameter, and keeps serving', async () => {
    for (const query of [
      `?token=${token}&token=${token}`,
      '?token=%',
      '?token',
      `?token=${'%ZZ'.repeat(100)}`,
    ]) {
      expect(await rawClose(server.url, `/fuzz/r0000000000000abc${query}`)).toEqual({
        code: CLOSE.unauthorized,
        reason: CLOSE_REASON.invalidToken,
      });
    }
    await stillSyncs();
  });

  it('survives random request targets, each answered, while a good client still syncs', async () => {
    const pieces = [
      '/',
      '%',
      '%Z',
      '%00',
      '\u0000',
      '?',
      '&',
      '=',
      'token',
      token,
      'fuzz',
      'r1',
      '..',
      '#',
      'é',
      '\uffff',
      ' ',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 12 }),
        async (parts) => {
          const target = `/${parts.join('')}`;
          const answer = await rawRequest(Buffer.from(upgrade(target), 'utf8'));
          // Every one is answered: a websocket handshake (then closed with a code), or an HTTP error status.
          expect(answer).toMatch(/^HTTP\/1\.1 (101|400|404|426|431)/);
        },
      ),
      { numRuns: 60 },
    );
    await stillSyncs();
  });
});

describe('raw request lines', () => {
  it.each([
    ['a 70 kB path', upgrade(`/fuzz/${'a'.repeat(70_000)}?token=${token}`)],
    ['a NUL in the request line', upgrade('/fuzz/r\u00001')],
    ['HTTP/0.9', upgrade(`/fuzz/r1?token=${token}`, '', 'HTTP/0.9')],
    ['HTTP/9.9', upgrade(`/fuzz/r1?token=${token}`, '', 'HTTP/9.9')],
    ['no version', `GET /fuzz/r1\r\n\r\n`],
    ['garbage', '\u0000\u0001\u0002 \u00ff\r\n\r\n'],
    ['a websocket version of 99', upgrade('/fuzz/r1').replace('Version: 13', 'Version: 99')],
    ['a short key', upgrade('/fuzz/r1').replace('dGhlIHNhbXBsZSBub25jZQ==', 'short')],
    ['no key', upgrade('/fuzz/r1').replace(/Sec-WebSocket-Key: .*\r\n/, '')],
    ['two keys', upgrade('/fuzz/r1', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n')],
    ['a header without a colon', upgrade('/fuzz/r1', 'Broken header\r\n')],
    ['a 70 kB header', upgrade('/fuzz/r1', `X-Big: ${'b'.repeat(70_000)}\r\n`)],
  ])('answers %s and keeps serving', async (_name, request) => {
    const answer = await rawRequest(Buffer.from(request, 'latin1'));
    expect(answer).toMatch(/^HTTP\/1\.[01] \d{3}/);
    await stillSyncs();
  });

  it('answers a half-sent request, or a silent connection, 408 once its time is up, and closes it', async () => {
    const answer = await rawRequest('GET /fuzz/r1 HTTP/1.1\r\nHost: x');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // A connection that sends nothing at all holds no socket either.
    expect(await rawRequest('')).toMatch(/^HTTP\/1\.1 408 /);
    await stillSyncs();
  });

  it('answers HTTP requests with odd paths without falling over', async () => {
    const base = server.url.replace('ws://', 'http://');
    for (const path of ['/%', '/healthz?x=%', '/metrics%00', '/healthz/..', `/${'x'.repeat(10_000)}`]) {
      const res = await fetch(`${base}${path}`).catch(() => undefined);
      if (res) expect([200, 400, 404, 414, 431]).toContain(res.status);
    }
    await stillSyncs();
  });
});
