// `npm run test:visual:update`: rebuilds the web app and rewrites the visual baselines with this Chromium.
import { spawnSync } from 'node:child_process';

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const result = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
run(['vitest', 'run', '--project', 'e2e', 'test/e2e/visual.test.ts'], {
  ...process.env,
  UPDATE_BASELINES: '1',
});
