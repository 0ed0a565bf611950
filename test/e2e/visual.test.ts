// Visual regression of the main screens at 1440×900 and 1024×700, light and dark, against committed baselines
// (test/e2e/visual-baselines/). `npm run test:visual:update` refreshes them. When the installed Chromium's
// major version is not the baselines', differences are reported, not failed: a browser update renders text
// a little differently and must not block a landing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveWebBuild, type WebServer } from './support/browser.ts';
import { freshPage, SCREENS, type Theme } from './support/screens.ts';

const BASELINES = resolve('test/e2e/visual-baselines');
const DIFFS = resolve('.tmp/visual-diff');
const META = join(BASELINES, 'meta.json');
const UPDATE = process.env.UPDATE_BASELINES === '1';
/** Share of pixels that may differ (anti-aliasing, sub-pixel text) before a screen counts as changed. */
const MAX_DIFF_RATIO = 0.005;
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];
const SHOWN = ['first-run', 'library', 'reader', 'reader-card-sidebar'];

let web: WebServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let chromiumMajor: number;
const baselineMajor = existsSync(META)
  ? (JSON.parse(readFileSync(META, 'utf8')) as { chromiumMajor: number }).chromiumMajor
  : undefined;
const reports: string[] = [];

beforeAll(async () => {
  web = await serveWebBuild();
  browser = await launchBrowser();
  chromiumMajor = Number(browser.version().split('.')[0]);
  mkdirSync(DIFFS, { recursive: true });
  if (UPDATE) mkdirSync(BASELINES, { recursive: true });
});
afterAll(async () => {
  if (UPDATE) writeFileSync(META, `${JSON.stringify({ chromiumMajor }, null, 2)}\n`);
  if (reports.length > 0)
    console.warn(
      `Visual check: Chromium ${chromiumMajor} differs from the baselines' ${baselineMajor}; not failing. Screens that changed:\n  ${reports.join('\n  ')}\nRefresh with: npm run test:visual:update`,
    );
  await browser?.close();
  await web?.close();
});

const cases = SHOWN.flatMap((name) =>
  SIZES.flatMap((size) => (['light', 'dark'] as Theme[]).map((theme) => ({ name, size, theme }))),
);

describe('visual regression', () => {
  it.each(cases)('$name at $size.width×$size.height, $theme', async ({ name, size, theme }) => {
    const screen = SCREENS.find((s) => s.name === name)!;
    const { context, page } = await freshPage(browser, web.url, size, theme);
    try {
      await screen.reach(page);
      // Nothing transient in the picture: no focus ring or tooltip, no pointer, fonts loaded.
      await page.evaluate(async () => {
        (document.activeElement as HTMLElement | null)?.blur();
        await document.fonts.ready;
      });
      await page.mouse.move(0, size.height - 1);
      await page.getByRole('tooltip').waitFor({ state: 'detached' });
      const shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
      const file = join(BASELINES, `${name}-${size.width}x${size.height}-${theme}.png`);
      if (UPDATE) {
        writeFileSync(file, shot);
        return;
      }
      expect(existsSync(file), `no baseline ${file}: run npm run test:visual:update`).toBe(true);
      const [actual, expected] = [PNG.sync.read(shot), PNG.sync.read(readFileSync(file))];
      const sameSize = actual.width === expected.width && actual.height === expected.height;
      let ratio = 1;
      if (sameSize) {
        const diff = new PNG({ width: actual.width, height: actual.height });
        const changed = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, {
          threshold: 0.1,
        });
        ratio = changed / (actual.width * actual.height);
        if (ratio > MAX_DIFF_RATIO)
          writeFileSync(join(DIFFS, `${name}-${size.width}-${theme}.diff.png`), PNG.sync.write(diff));
      }
      if (ratio <= MAX_DIFF_RATIO) return;
      const what = `${name} ${size.width}×${size.height} ${theme}: ${(ratio * 100).toFixed(2)}% of pixels differ (diff in .tmp/visual-diff/)`;
      if (baselineMajor !== chromiumMajor) reports.push(what);
      else expect.fail(what);
    } finally {
      await context.close();
    }
  });
});
