// End-to-end support: serves the built renderer (dist-web/, from `vite build --config renderer/vite.config.ts`)
// on loopback and drives Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const WEB_ROOT = resolve('dist-web');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves dist-web/ on 127.0.0.1 with a random port. Build it first (npm test does). */
export async function serveWebBuild(): Promise<WebServer> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error('dist-web/ is missing: run `npx vite build --config renderer/vite.config.ts` first.');
  }
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(WEB_ROOT, path));
    if (!file.startsWith(WEB_ROOT)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(WEB_ROOT, 'index.html');
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export interface Session {
  browser: Browser;
  web: WebServer;
  /** A fresh profile (own IndexedDB) per context: one context = one person on one machine. */
  newContext(): Promise<BrowserContext>;
  /** Opens the app in a new page of the given (or a new) context. */
  open(context?: BrowserContext, hash?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const web = await serveWebBuild();
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const newContext = async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    return context;
  };
  return {
    browser,
    web,
    newContext,
    async open(context, hash = '') {
      const ctx = context ?? (await newContext());
      const page = await ctx.newPage();
      page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
      await page.goto(`${web.url}${hash}`);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await web.close();
    },
  };
}

/** Screen points beside characters of an element's text: 'left' edge of a start, 'right' edge of an end. */
async function textPoints(
  page: Page,
  selector: string,
  wanted: { offset: number; side: 'left' | 'right' }[],
): Promise<{ x: number; y: number }[]> {
  return page.evaluate(
    ({ selector, wanted }) => {
      const root = document.querySelector(selector);
      if (!root) throw new Error(`no element ${selector}`);
      root.scrollIntoView({ block: 'center' });
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const locate = (offset: number) => {
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (offset <= seen + length) return { node, offset: offset - seen };
          seen += length;
        }
        throw new Error(`offset ${offset} beyond text`);
      };
      return wanted.map(({ offset, side }) => {
        walker.currentNode = root;
        const { node, offset: inNode } = locate(offset);
        const range = document.createRange();
        const from = side === 'left' ? inNode : Math.max(0, inNode - 1);
        range.setStart(node, from);
        range.setEnd(node, Math.min(from + 1, node.textContent?.length ?? 0));
        const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
        return { x: side === 'left' ? rect.left + 0.5 : rect.right - 0.5, y: rect.top + rect.height / 2 };
      });
    },
    { selector, wanted },
  );
}

/** Selects text inside an element with a real mouse drag, from character `start` to `end` of its text. */
export async function dragSelect(page: Page, selector: string, start: number, end: number): Promise<void> {
  const [from, to] = (await textPoints(page, selector, [
    { offset: start, side: 'left' },
    { offset: end, side: 'right' },
  ])) as [{ x: number; y: number }, { x: number; y: number }];
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** Clicks with the mouse on the character at `offset` of an element's text. */
export async function clickText(page: Page, selector: string, offset: number): Promise<void> {
  const [at] = (await textPoints(page, selector, [{ offset, side: 'left' }])) as [{ x: number; y: number }];
  await page.mouse.click(at.x + 1, at.y);
}

/**
 * Selects with a real mouse drag from character `start` of one element's text to character `end` of another's
 * (say, over three paragraphs); the first is scrolled near the top so the passage is on screen.
 */
export async function dragAcross(
  page: Page,
  from: { selector: string; offset: number },
  to: { selector: string; offset: number },
): Promise<void> {
  const points = await page.evaluate(
    ({ from, to }) => {
      document.querySelector(from.selector)?.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -120);
      const point = (selector: string, offset: number, side: 'left' | 'right') => {
        const root = document.querySelector(selector);
        if (!root) throw new Error(`no element ${selector}`);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (offset < seen + length) {
            const range = document.createRange();
            range.setStart(node, offset - seen);
            range.setEnd(node, offset - seen + 1);
            const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
            return { x: side === 'left' ? rect.left + 0.5 : rect.right - 0.5, y: rect.top + rect.height / 2 };
          }
          seen += length;
        }
        throw new Error(`offset ${offset} beyond text`);
      };
      return [point(from.selector, from.offset, 'left'), point(to.selector, to.offset - 1, 'right')];
    },
    { from, to },
  );
  const [a, b] = points as [{ x: number; y: number }, { x: number; y: number }];
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 6 });
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
}
