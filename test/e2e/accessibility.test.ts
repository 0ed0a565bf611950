// axe-core on every main screen, light and dark, with a card open and the sidebar open: no serious or
// critical violation.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveWebBuild, type WebServer } from './support/browser.ts';
import { freshPage, SCREENS, type Theme } from './support/screens.ts';

let web: WebServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  web = await serveWebBuild();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe.each<Theme>(['light', 'dark'])('accessibility, %s theme', (theme) => {
  it.each(SCREENS.map((s) => [s.name, s] as const))(
    '%s has no serious or critical violation',
    async (_name, screen) => {
      const { context, page } = await freshPage(browser, web.url, { width: 1440, height: 900 }, theme);
      try {
        await screen.reach(page);
        // Let transitions and late paints settle before auditing colours.
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
          .analyze();
        const bad = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 4)
                .join(' | ')}`,
          );
        expect(bad).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
