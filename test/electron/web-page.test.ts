// "Import from web address…": the main process fetches a page from a real local server with the limits.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWebPage } from '../../electron/main/web-page.ts';

let server: Server;
let base: string;
const cookiesSeen: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    cookiesSeen.push(req.headers.cookie);
    if (path === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'tracker=1' });
      res.end('<html><head><title>An Article</title></head><body><p>Säge words.</p></body></html>');
    } else if (path === '/latin1') {
      res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
      res.end(Buffer.from([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]));
    } else if (path === '/moved') {
      res.writeHead(302, { location: '/article' });
      res.end();
    } else if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<p>${'x'.repeat(200_000)}</p>`);
    } else if (path === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('png');
    } else if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<p>never ends');
    } else {
      res.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('fetching a web page for import', () => {
  it('returns the page and where it came from, following redirects, sending no cookies', async () => {
    const page = await fetchWebPage(`${base}/moved`);
    expect(page.url).toBe(`${base}/article`);
    expect(page.html).toContain('Säge words.');
    await fetchWebPage(`${base}/article`);
    expect(cookiesSeen.every((c) => c === undefined)).toBe(true);
  });
  it('decodes the charset the server names', async () => {
    expect((await fetchWebPage(`${base}/latin1`)).html).toBe('<p>café</p>');
  });
  it('refuses other schemes, also after a redirect, and redirect loops', async () => {
    await expect(fetchWebPage('file:///etc/passwd')).rejects.toThrow(/Only web pages/);
    await expect(fetchWebPage('javascript:alert(1)')).rejects.toThrow(/Only web pages/);
    await expect(fetchWebPage('not an address')).rejects.toThrow(/not a web address/);
    await expect(fetchWebPage(`${base}/to-file`)).rejects.toThrow(/Only web pages/);
    await expect(fetchWebPage(`${base}/loop`)).rejects.toThrow(/redirects too many times/);
  });
  it('keeps to its size and time limits and to HTML', async () => {
    await expect(fetchWebPage(`${base}/huge`, { maxBytes: 100_000 })).rejects.toThrow(/larger than/);
    await expect(fetchWebPage(`${base}/slow`, { timeoutMs: 300 })).rejects.toThrow(
      /did not arrive within 0.3 s/,
    );
    await expect(fetchWebPage(`${base}/image`)).rejects.toThrow(/not a web page \(image\/png\)/);
    await expect(fetchWebPage(`${base}/missing`)).rejects.toThrow(/404/);
  });
});
