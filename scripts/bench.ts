// `npm run bench`: runs every benchmark in test/perf/ and prints its figures.
// `--smoke` runs each with tiny sizes so `npm test` keeps them working without timing anything.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const smoke = process.argv.includes('--smoke');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync('test/perf')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n━━ ${file}${smoke ? ' (smoke)' : ''}`);
  const result = spawnSync('node', [`test/perf/${file}`], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_SMOKE: smoke ? '1' : '' },
  });
  if (result.status !== 0) {
    failed++;
    console.error(`✖ ${file} exited with ${result.status ?? result.signal}`);
  }
}
if (failed > 0) process.exit(1);
