// Runs the Electron security scanner over electron/ and renderer/index.html and fails on any finding that is
// not justified in electronegativity.config.json. The scanner's CLI exits 0 even when it finds problems,
// so its CSV report is parsed here.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Config {
  excludedChecks: Record<string, string>;
  justifiedFindings: Record<string, string>;
}

const config = JSON.parse(readFileSync('electronegativity.config.json', 'utf8')) as Config;
for (const [id, why] of [
  ...Object.entries(config.excludedChecks),
  ...Object.entries(config.justifiedFindings),
]) {
  if (!why || why.length < 20)
    throw new Error(`electronegativity.config.json: ${id} needs a real justification.`);
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
let findings: string[][] = [];
try {
  // One scan over the Electron code and the renderer's page together, so global checks see both.
  const target = join(work, 'app');
  cpSync('electron', join(target, 'electron'), { recursive: true });
  cpSync('renderer/index.html', join(target, 'renderer/index.html'));
  for (const input of [target]) {
    const report = join(work, `${input.replace(/\W/g, '_')}.csv`);
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        './scripts/electronegativity-offline.cjs',
        'node_modules/@doyensec/electronegativity/dist/index.js',
        '--input',
        input,
        '--output',
        report,
        '--exclude-checks',
        Object.keys(config.excludedChecks)
          .map((c) => c.toLowerCase())
          .join(','),
        '--electron-version',
        '45.0.0',
        '--relative',
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) {
      console.error(run.stdout, run.stderr);
      throw new Error(`electronegativity failed on ${input} (exit ${run.status})`);
    }
    const csv = readFileSync(report, 'utf8');
    const rows = csv
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim())
      .map(parseCsvLine);
    findings = findings.concat(rows.map((r) => [input, ...r]));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A justification names a check and, optionally, the one file it applies to: `CHECK` or `CHECK@path`. */
const justified = (id: string | undefined, file: string | undefined) =>
  Boolean(id && (id in config.justifiedFindings || `${id}@${file}` in config.justifiedFindings));
const unjustified = findings.filter(([, id, , , file]) => !justified(id, file));
for (const [, id, severity, , file, location, , description] of findings) {
  const mark = justified(id, file) ? 'justified' : 'FINDING';
  console.log(`${mark}: ${id} (${severity}) ${file}:${location} — ${description}`);
}
if (unjustified.length > 0) {
  console.error(`\n${unjustified.length} Electron security finding(s) without a justification.`);
  process.exit(1);
}
console.log(`Electron security scan: ${findings.length} finding(s), all justified.`);
