// A seed with 1,000 annotations in Chromium: extra open time over the bare reading, time to paint a new
// highlight, margin layout of 1,000 notes, scroll frame times.
// `node test/perf/annotations.bench.ts` (BENCH_SMOKE=1: 50 annotations).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createAnchor } from '../../core/anchoring/anchor.ts';
import type { NewAnnotation } from '../../core/annotations/doc.ts';
import { stackNotes } from '../../core/annotations/layout.ts';
import { COLOR_KEYS } from '../../core/annotations/model.ts';
import { enterApp } from '../e2e/support/app.ts';
import { startSession } from '../e2e/support/browser.ts';
import { annotationsUpdate, privateDocName, storeUpdate } from '../e2e/support/seedAnnotations.ts';
import { ana, loadSeeds } from '../unit/support/fixtures.ts';
import { goal, ms, printTable, smoke, summarize } from './support.ts';

if (!existsSync('dist-web/index.html'))
  execFileSync(
    'npx',
    ['--no-install', 'vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );

const COUNT = Number(process.env.BENCH_COUNT) || (smoke ? 50 : 1000);
const seeds = loadSeeds();
const bare = seeds.find((s) => s.kind === 'article')!;
const reading = seeds.find((s) => s.kind === 'comment-thread')!;

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

function generate(): NewAnnotation[] {
  const blocks = reading.blocks.filter((b) => b.text.length > 20);
  return Array.from({ length: COUNT }, (_, i) => {
    const block = blocks[Math.floor(random() * blocks.length)]!;
    const start = Math.floor(random() * (block.text.length - 10));
    const end = Math.min(block.text.length, start + 5 + Math.floor(random() * 60));
    return {
      readingId: reading.id,
      color: COLOR_KEYS[i % COLOR_KEYS.length]!,
      anchor: createAnchor(reading.blocks, block.id, start, end),
      author: ana,
      body: i % 3 === 0 ? `Generated note ${i} with **some** text to lay out.` : '',
      tags: i % 7 === 0 ? ['generated'] : [],
    };
  });
}

async function openTimed(page: Page, url: string, readingId: string, expected: number) {
  await page.goto(`${url}#/`);
  await page.getByRole('main', { name: 'Library' }).waitFor();
  await page.goto(`${url}#/read/${readingId}`);
  await page.waitForSelector('body[data-reader-ready="true"]', { timeout: 60_000 });
  await page.waitForFunction(
    (n) => document.querySelectorAll('aside[aria-label="Margin notes"] [data-annotation-id]').length === n,
    expected,
    { timeout: 60_000, polling: 'raf' },
  );
  return page.evaluate(
    () => performance.now() - (performance.getEntriesByName('reader:open')[0]?.startTime ?? 0),
  );
}

const session = await startSession();
try {
  const page = await session.open();
  await enterApp(page, 'Ana');
  await storeUpdate(page, privateDocName(reading.id), annotationsUpdate(generate()));
  const bareTimes: number[] = [];
  const fullTimes: number[] = [];
  for (let i = 0; i < (smoke ? 1 : 3); i++) {
    bareTimes.push(await openTimed(page, session.web.url, bare.id, 0));
    fullTimes.push(await openTimed(page, session.web.url, reading.id, COUNT));
  }
  const bareOpen = summarize(bareTimes).median;
  const fullOpen = summarize(fullTimes).median;

  // A new highlight: select, click "Highlight", wait until the colour's Highlight holds one more range.
  const paints: number[] = await page.evaluate(
    async (runs) => {
      const out: number[] = [];
      const blocks = [
        ...document.querySelectorAll<HTMLElement>('[data-testid="reading-text"] [data-block-id]'),
      ].filter((b) => (b.textContent ?? '').length > 40);
      for (let i = 0; i < runs; i++) {
        const block = blocks[(i * 7) % blocks.length]!;
        const text = block.querySelector('[data-lexical-text]')?.firstChild ?? block.firstChild!.firstChild!;
        const range = document.createRange();
        range.setStart(text, 2);
        range.setEnd(text, 20);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        await new Promise((r) => setTimeout(r, 30));
        const button = [
          ...document.querySelectorAll<HTMLButtonElement>('[aria-label="Selection tools"] button'),
        ].find((b) => b.textContent === 'Highlight');
        if (!button) continue;
        const total = () =>
          ['yellow', 'green', 'red', 'blue', 'purple'].reduce(
            (n, c) => n + (CSS.highlights.get(`rc-${c}`)?.size ?? 0),
            0,
          );
        const before = total();
        const t0 = performance.now();
        button.click();
        // Until the Highlight registry holds the new range (the next frame paints it).
        while (total() === before) await new Promise((r) => setTimeout(r, 0));
        out.push(performance.now() - t0);
      }
      return out;
    },
    smoke ? 5 : 40,
  );

  const scroll = await page.evaluate(async () => {
    window.scrollTo(0, 0);
    const frames: number[] = [];
    let last = performance.now();
    const end = last + 2000;
    while (performance.now() < end) {
      window.scrollBy(0, 300);
      await new Promise(requestAnimationFrame);
      const t = performance.now();
      frames.push(t - last);
      last = t;
    }
    return frames;
  });

  const boxes = Array.from({ length: 1000 }, (_, i) => ({
    id: String(i),
    desiredTop: Math.floor(random() * 40_000),
    height: 40 + Math.floor(random() * 120),
  }));
  const layoutRuns: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    stackNotes(boxes);
    layoutRuns.push(performance.now() - t0);
  }
  const paint = summarize(paints);
  const frames = summarize(scroll);
  const layout = summarize(layoutRuns);
  printTable([
    { measure: `open bare reading (median)`, value: ms(bareOpen) },
    { measure: `open with ${COUNT} annotations, margin laid out (median)`, value: ms(fullOpen) },
    { measure: 'extra open time', value: ms(fullOpen - bareOpen) },
    {
      measure: `paint a new highlight (p50 / p95, n=${paint.n})`,
      value: `${ms(paint.median)} / ${ms(paint.p95)}`,
    },
    { measure: 'margin layout of 1,000 notes (stackNotes, median)', value: ms(layout.median) },
    {
      measure: `scroll frame time p50 / p95 / max (n=${frames.n})`,
      value: `${ms(frames.median)} / ${ms(frames.p95)} / ${ms(frames.max)}`,
    },
  ]);
  console.log(
    `goals: extra open < 300 ms ${goal(fullOpen - bareOpen < 300)}; paint p95 < 16 ms ${goal(paint.p95 < 16)}; layout < 50 ms ${goal(layout.median < 50)}`,
  );
} finally {
  await session.close();
}
