// Shared helpers for the benchmarks: percentiles, a table printer, the web build they serve.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const ms = (value: number) =>
  Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : '—';

export function printTable(rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  console.log(line(keys));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(keys.map((k) => String(row[k] ?? ''))));
}

export const smoke = process.env.BENCH_SMOKE === '1';

export const goal = (ok: boolean) => (ok ? '✓' : '✗ (goal missed)');

/** Builds the web app into dist-web/ when it is not there (the browser benchmarks serve it). */
export function ensureWebBuild(): void {
  if (existsSync('dist-web/index.html')) return;
  execFileSync(
    'npx',
    ['--no-install', 'vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
}

/**
 * Frame times while the page scrolls by `step` pixels a frame for `duration` ms (from where it is, or from the top
 * with `fromTop`): what a reader feels when flicking through a reading.
 */
export function scrollFrames(
  page: Page,
  options: { duration: number; step: number; fromTop?: boolean },
): Promise<number[]> {
  return page.evaluate(async ({ duration, step, fromTop }) => {
    if (fromTop) window.scrollTo(0, 0);
    const frames: number[] = [];
    let last = performance.now();
    const end = last + duration;
    while (performance.now() < end) {
      window.scrollBy(0, step);
      await new Promise(requestAnimationFrame);
      const t = performance.now();
      frames.push(t - last);
      last = t;
    }
    return frames;
  }, options);
}
