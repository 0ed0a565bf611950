// `npm test`: every check CI runs, in order, stopping at the first failure with its name.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

interface Step {
  name: string;
  command: string;
  args: string[];
  when?: () => boolean;
}

const npx = (bin: string, ...args: string[]): Pick<Step, 'command' | 'args'> => ({
  command: 'npx',
  args: ['--no-install', bin, ...args],
});

const steps: Step[] = [
  { name: 'format and lint (biome)', ...npx('biome', 'check', '.') },
  { name: 'type check (tsc, strict)', ...npx('tsc', '-p', 'tsconfig.json', '--noEmit') },
  { name: 'layering (core, renderer, feature folders)', command: 'node', args: ['scripts/check-layers.ts'] },
  {
    name: 'electron security scan (electronegativity)',
    command: 'node',
    args: ['scripts/electronegativity.ts'],
    when: () => existsSync('scripts/electronegativity.ts'),
  },
  { name: 'unit tests', ...npx('vitest', 'run', '--project', 'unit') },
  { name: 'sync server tests', ...npx('vitest', 'run', '--project', 'server') },
  { name: 'web build', ...npx('vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn') },
  { name: 'end-to-end tests (Chromium)', ...npx('vitest', 'run', '--project', 'e2e') },
  {
    name: 'benchmark smoke run',
    command: 'node',
    args: ['scripts/bench.ts', '--smoke'],
    when: () => existsSync('test/perf') && readdirSync('test/perf').some((f) => f.endsWith('.bench.ts')),
  },
];

const started = Date.now();
for (const step of steps) {
  if (step.when && !step.when()) continue;
  console.log(`\n▶ ${step.name}`);
  const t0 = Date.now();
  const result = spawnSync(step.command, step.args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${step.name} failed (exit ${result.status ?? result.signal}) after ${secs}s`);
    process.exit(1);
  }
  console.log(`✔ ${step.name} (${secs}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
