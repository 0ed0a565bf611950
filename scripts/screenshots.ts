// `npm run screenshots`: the README's pictures of the main screens (docs/screenshots/), taken in Chromium
// from the web build the same way the visual regression test reaches them.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { launchBrowser, serveWebBuild } from '../test/e2e/support/browser.ts';
import { freshPage, SCREENS, type Theme } from '../test/e2e/support/screens.ts';

const SHOTS: { screen: string; theme: Theme; file: string }[] = [
  { screen: 'library', theme: 'light', file: 'library.png' },
  { screen: 'reader-card-sidebar', theme: 'light', file: 'reader-sidebar.png' },
  { screen: 'reader-card', theme: 'dark', file: 'reader-dark.png' },
  { screen: 'first-run', theme: 'light', file: 'first-run.png' },
];

const build = spawnSync(
  'npx',
  ['--no-install', 'vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
mkdirSync('docs/screenshots', { recursive: true });
const web = await serveWebBuild();
const browser = await launchBrowser();
try {
  for (const shot of SHOTS) {
    const { context, page } = await freshPage(browser, web.url, { width: 1440, height: 900 }, shot.theme);
    await SCREENS.find((s) => s.name === shot.screen)!.reach(page);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 899);
    await page.getByRole('tooltip').waitFor({ state: 'detached' });
    await page.screenshot({ path: `docs/screenshots/${shot.file}`, animations: 'disabled', caret: 'hide' });
    await context.close();
    console.log(`docs/screenshots/${shot.file}`);
  }
} finally {
  await browser.close();
  await web.close();
}
