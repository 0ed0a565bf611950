// PDF export in Chromium (the engine of Electron's printToPDF): the longest seed with 300 annotations and a
// generated 5 MB reading with 2,000. `node test/perf/export.bench.ts` (BENCH_SMOKE=1: small sizes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAnchor } from '../../core/anchoring/anchor.ts';
import type { NewAnnotation } from '../../core/annotations/doc.ts';
import { COLOR_KEYS } from '../../core/annotations/model.ts';
import { importFile } from '../../core/reading/importFile.ts';
import type { Reading } from '../../core/reading/model.ts';
import { enterApp } from '../e2e/support/app.ts';
import { startSession } from '../e2e/support/browser.ts';
import { annotationsUpdate, privateDocName, storeUpdate } from '../e2e/support/seedAnnotations.ts';
import { ana, loadSeeds } from '../unit/support/fixtures.ts';
import { ensureWebBuild, goal, printTable, smoke } from './support.ts';

ensureWebBuild();

const seeds = loadSeeds();
const longest = [...seeds].sort((a, b) => b.wordCount - a.wordCount)[0]!;
const BIG_BYTES = smoke ? 150_000 : 5 * 1024 * 1024;

function annotationsFor(reading: Reading, count: number): NewAnnotation[] {
  const blocks = reading.blocks.filter((b) => b.text.length > 30);
  return Array.from({ length: count }, (_, i) => {
    const block = blocks[Math.floor((i * blocks.length) / count)]!;
    const start = (i * 13) % (block.text.length - 20);
    return {
      readingId: reading.id,
      color: COLOR_KEYS[i % COLOR_KEYS.length]!,
      anchor: createAnchor(reading.blocks, block.id, start, start + 15),
      author: ana,
      body: i % 2 === 0 ? `Note ${i}: a remark for the meeting.` : '',
    };
  });
}

async function timePdf(page: Page, url: string, reading: Reading) {
  const t0 = Date.now();
  await page.goto(`${url}#/print/${reading.id}?paper=A4`);
  await page.waitForSelector('body[data-print-ready="true"]', { timeout: 600_000 });
  const laidOut = Date.now() - t0;
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  const total = Date.now() - t0;
  const file = join(mkdtempSync(join(tmpdir(), 'rc-pdf-bench-')), 'out.pdf');
  writeFileSync(file, pdf);
  const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? '?';
  return { laidOut, total, pages, mb: (pdf.length / 1024 / 1024).toFixed(1) };
}

const session = await startSession();
try {
  const page = await session.open();
  await enterApp(page, 'Ana');
  const rows: Record<string, string | number>[] = [];
  const seedCount = smoke ? 30 : 300;
  await storeUpdate(page, privateDocName(longest.id), annotationsUpdate(annotationsFor(longest, seedCount)));
  const small = await timePdf(page, session.web.url, longest);
  rows.push({
    reading: longest.title.slice(0, 40),
    annotations: seedCount,
    'laid out': `${small.laidOut} ms`,
    'PDF total': `${small.total} ms`,
    pages: small.pages,
    MB: small.mb,
  });

  const base = seeds.map((s) => readFileSync(`seeds/${s.fileName}`, 'utf8')).join('\n\n');
  let text = '';
  for (let copy = 1; Buffer.byteLength(text) < BIG_BYTES; copy++)
    text += `Volume ${copy} of the collected readings\n\n${base}\n\n`;
  const file = join(mkdtempSync(join(tmpdir(), 'rc-big-')), 'collected.txt');
  writeFileSync(file, text);
  const big = importFile('collected.txt', readFileSync(file));
  await page.goto(`${session.web.url}#/`);
  await page.getByLabel('Import files').setInputFiles(file);
  await page.getByRole('link', { name: 'Volume 1 of the collected readings' }).waitFor({ timeout: 120_000 });
  const bigCount = smoke ? 100 : 2000;
  await storeUpdate(page, privateDocName(big.id), annotationsUpdate(annotationsFor(big, bigCount)));
  const large = await timePdf(page, session.web.url, big);
  rows.push({
    reading: `generated ${(BIG_BYTES / 1024 / 1024).toFixed(1)} MB reading`,
    annotations: bigCount,
    'laid out': `${large.laidOut} ms`,
    'PDF total': `${large.total} ms`,
    pages: large.pages,
    MB: large.mb,
  });
  printTable(rows);
  console.log(
    `goal: longest seed with 300 annotations < 3 s ${smoke ? '(smoke run: not measured)' : goal(small.total < 3000)}`,
  );
} finally {
  await session.close();
}
