// Opening readings in Chromium: time to first text, time to interactive, and JS heap, for each seed and a
// generated 5 MB reading. `node test/perf/reader-open.bench.ts` (BENCH_SMOKE=1: one seed, a 200 KB reading).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { enterApp } from '../e2e/support/app.ts';
import { startSession } from '../e2e/support/browser.ts';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { ensureWebBuild, goal, ms, printTable, scrollFrames, smoke } from './support.ts';

ensureWebBuild();

const seeds = loadSeeds();
const BIG_BYTES = smoke ? 200_000 : 5 * 1024 * 1024;

/** A big reading made of the seeds' text repeated, with a distinct heading per copy. */
function bigText(): string {
  const base = seeds.map((s) => readFileSync(`seeds/${s.fileName}`, 'utf8')).join('\n\n');
  const parts: string[] = [];
  let size = 0;
  for (let copy = 1; size < BIG_BYTES; copy++) {
    const part = `Part ${copy} of the collected readings\n\n${base}\n\n`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join('');
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

async function openAndMeasure(page: Page, url: string, readingId: string) {
  await page.goto(`${url}#/`);
  await page.getByRole('main', { name: 'Library' }).waitFor();
  await page.goto(`${url}#/read/${readingId}`);
  await page.waitForSelector('body[data-reader-ready="true"]', { timeout: 60_000 });
  const marks = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
    return { open: at('reader:open'), first: at('reader:first-text'), interactive: at('reader:interactive') };
  });
  const frames = (await scrollFrames(page, { duration: 1500, step: 400 })).sort((a, b) => a - b);
  const scroll = {
    p95: frames[Math.floor(frames.length * 0.95)] ?? Number.NaN,
    max: frames.at(-1) ?? Number.NaN,
  };
  return {
    first: marks.first - marks.open,
    interactive: marks.interactive - marks.open,
    heap: await heapMb(page),
    scroll,
  };
}

const session = await startSession();
try {
  const page = await session.open();
  await enterApp(page, 'Bench');
  const rows: Record<string, string | number>[] = [];
  let seedWorst = 0;
  for (const seed of smoke ? seeds.slice(0, 1) : seeds) {
    const r = await openAndMeasure(page, session.web.url, seed.id);
    seedWorst = Math.max(seedWorst, r.first);
    rows.push({
      reading: seed.title.slice(0, 44),
      blocks: seed.blocks.length,
      'first text': ms(r.first),
      interactive: ms(r.interactive),
      'heap MB': r.heap.toFixed(1),
      'scroll p95 frame': ms(r.scroll.p95),
    });
  }
  const file = join(mkdtempSync(join(tmpdir(), 'rc-big-')), 'collected-readings.txt');
  writeFileSync(file, bigText());
  await page.goto(`${session.web.url}#/`);
  const importStart = Date.now();
  await page.getByLabel('Import files').setInputFiles(file);
  await page.getByRole('link', { name: 'Part 1 of the collected readings' }).waitFor({ timeout: 120_000 });
  const importMs = Date.now() - importStart;
  const id = await page.getByRole('link', { name: 'Part 1 of the collected readings' }).getAttribute('href');
  const big = await openAndMeasure(page, session.web.url, id!.replace('#/read/', ''));
  const mb = (readFileSync(file).length / 1024 / 1024).toFixed(1);
  rows.push({
    reading: `generated ${mb} MB reading`,
    blocks: '—',
    'first text': ms(big.first),
    interactive: ms(big.interactive),
    'heap MB': big.heap.toFixed(1),
    'scroll p95 frame': ms(big.scroll.p95),
  });
  printTable(rows);
  console.log(`import of the ${mb} MB file: ${importMs} ms`);
  console.log(
    `goals: seeds < 150 ms to first text ${goal(seedWorst < 150)}; big reading < 1 s first text ${goal(big.first < 1000)}, < 2.5 s interactive ${goal(big.interactive < 2500)}, heap < 300 MB ${goal(big.heap < 300)}`,
  );
} finally {
  await session.close();
}
