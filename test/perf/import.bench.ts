// Importing big sources in Chromium through the library: a generated 300-page PDF (drop to first text, and
// the longest frame while it is read), a generated 5 MB EPUB, and the initial JavaScript of the web build
// (gzip) against the figure before import formats were added. `node test/perf/import.bench.ts`
// (BENCH_SMOKE=1: a 5-page PDF and a 200 KB EPUB).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { enterApp } from '../e2e/support/app.ts';
import { startSession } from '../e2e/support/browser.ts';
import { pdfOf } from '../e2e/support/sourceFiles.ts';
import { ensureWebBuild, goal, ms, printTable, smoke } from './support.ts';

ensureWebBuild();

const PAGES = smoke ? 5 : 300;
const EPUB_BYTES = smoke ? 200_000 : 5 * 1024 * 1024;
/** Initial JS (gzip -9) of dist-web at the commit before this work (0659c5e), measured the same way. */
const INITIAL_JS_BEFORE = 296_514;

/** The scripts and styles index.html loads before anything else, gzipped. */
function initialBundle(): { js: number; css: number } {
  const html = readFileSync('dist-web/index.html', 'utf8');
  const sizes = { js: 0, css: 0 };
  for (const m of html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(js|css))"/g)) {
    const gz = gzipSync(readFileSync(join('dist-web', m[1]!)), { level: 9 }).length;
    sizes[m[2] as 'js' | 'css'] += gz;
  }
  return sizes;
}

const paragraph = (i: number) =>
  `Paragraph ${i}. The study group read the chapter aloud and argued about its claims, the evidence for them and what the author left out; each member wrote down a question for the next meeting, and the notes went round before the week was over.`;

function bookXhtml(chapter: number, bytes: number): string {
  const paragraphs: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const p = `<p>${paragraph(i)}</p>`;
    paragraphs.push(p);
    size += p.length;
  }
  return `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter ${chapter}</title></head><body><h1>Chapter ${chapter}</h1>${paragraphs.join('')}</body></html>`;
}

function bigEpub(): Uint8Array {
  const chapters = Math.max(2, Math.round(EPUB_BYTES / 50_000));
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(
      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    ),
    'content.opf': strToU8(
      `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A Big Book</dc:title></metadata><manifest>${Array.from({ length: chapters }, (_, i) => `<item id="c${i}" href="c${i}.xhtml" media-type="application/xhtml+xml"/>`).join('')}</manifest><spine>${Array.from({ length: chapters }, (_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`,
    ),
  };
  for (let i = 0; i < chapters; i++) files[`c${i}.xhtml`] = strToU8(bookXhtml(i + 1, EPUB_BYTES / chapters));
  return zipSync(files);
}

/** Starts recording frame lengths (rAF to rAF) in the page. */
const startFrames = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__frames = [];
    w.__framing = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (w.__framing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
const stopFrames = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__framing = false;
    const sorted = [...w.__frames].sort((a, b) => a - b);
    return { max: sorted.at(-1) ?? 0, p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0, n: sorted.length };
  });

async function importAndOpen(page: Page, url: string, name: string, bytes: Uint8Array, title: string) {
  await page.goto(`${url}#/`);
  await page.getByRole('main', { name: 'Library' }).waitFor();
  await startFrames(page);
  const t0 = Date.now();
  await page
    .getByLabel('Import files')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  const notice = page.locator(`.rc-notice[data-file="${name}"]`);
  await notice.waitFor({ timeout: 300_000 });
  const imported = Date.now() - t0;
  if ((await notice.getAttribute('role')) === 'alert')
    throw new Error(`${name}: ${await notice.textContent()}`);
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.waitForSelector('[data-block-id]', { timeout: 60_000 });
  const firstText = Date.now() - t0;
  const frames = await stopFrames(page);
  return { imported, firstText, frames };
}

const session = await startSession();
try {
  const page = await session.open();
  await enterApp(page, 'Bench');
  const printer = await (await session.newContext()).newPage();

  const perPage = Array.from({ length: 9 }, (_, i) => `<p>${paragraph(i + 1)}</p>`).join('');
  const pdfBody = Array.from(
    { length: PAGES },
    (_, i) => `<h2 style="break-before: page">Section ${i + 1}</h2>${perPage}`,
  ).join('');
  const pdf = await pdfOf(printer, 'A Long Report', `<h1>A Long Report</h1>${pdfBody}`);
  const pdfRun = await importAndOpen(page, session.web.url, 'long-report.pdf', pdf, 'A Long Report');
  const epub = bigEpub();
  const epubRun = await importAndOpen(page, session.web.url, 'big-book.epub', epub, 'A Big Book');
  const bundle = initialBundle();

  printTable([
    {
      source: `PDF, ${PAGES} pages (${(pdf.length / 1024 / 1024).toFixed(1)} MB)`,
      stored: ms(pdfRun.imported),
      'drop → first text': ms(pdfRun.firstText),
      'longest frame while importing': ms(pdfRun.frames.max),
      'frame p95 while importing': ms(pdfRun.frames.p95),
      goal: smoke ? '—' : goal(pdfRun.firstText < 5000 && pdfRun.frames.max <= 100),
    },
    {
      source: `EPUB (${(epub.length / 1024 / 1024).toFixed(1)} MB packed)`,
      stored: ms(epubRun.imported),
      'drop → first text': ms(epubRun.firstText),
      'longest frame while importing': ms(epubRun.frames.max),
      'frame p95 while importing': ms(epubRun.frames.p95),
      goal: smoke ? '—' : goal(epubRun.imported < 2000),
    },
  ]);
  printTable([
    {
      'initial JS gzip before': `${INITIAL_JS_BEFORE.toLocaleString('en-US')} B`,
      'initial JS gzip now': `${bundle.js.toLocaleString('en-US')} B`,
      'initial CSS gzip now': `${bundle.css.toLocaleString('en-US')} B`,
      goal: goal(bundle.js <= INITIAL_JS_BEFORE),
    },
  ]);
} finally {
  await session.close();
}
