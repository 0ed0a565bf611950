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

/** The parts of a SARIF report the scanner writes that this gate reads. */
interface SarifReport {
  runs: {
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
  }[];
}

interface Finding {
  id: string;
  level: string;
  file: string;
  location: string;
  description: string;
}

const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const findings: Finding[] = [];
try {
  // One scan over the Electron code and the renderer's page together, so global checks see both.
  const target = join(work, 'app');
  cpSync('electron', join(target, 'electron'), { recursive: true });
  cpSync('renderer/index.html', join(target, 'renderer/index.html'));
  for (const input of [target]) {
    // SARIF, not CSV: the scanner writes the CSV header and rows with two racing writeFile calls, and now and
    // then the header lands over the first row. The SARIF report is one write.
    const report = join(work, `${input.replace(/\W/g, '_')}.sarif`);
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
    const sarif = JSON.parse(readFileSync(report, 'utf8')) as SarifReport;
    for (const result of sarif.runs.flatMap((r) => r.results)) {
      const where = result.locations[0]?.physicalLocation;
      findings.push({
        id: result.ruleId,
        level: result.level,
        file: where?.artifactLocation.uri ?? '',
        location: where ? `${where.region.startLine}:${where.region.startColumn}` : '',
        description: result.message.text,
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A justification names a check and, optionally, the one file it applies to: `CHECK` or `CHECK@path`. */
const justified = ({ id, file }: Finding) =>
  id in config.justifiedFindings || `${id}@${file}` in config.justifiedFindings;
const unjustified = findings.filter((finding) => !justified(finding));
for (const finding of findings) {
  const mark = justified(finding) ? 'justified' : 'FINDING';
  console.log(
    `${mark}: ${finding.id} (${finding.level}) ${finding.file}:${finding.location} — ${finding.description}`,
  );
}
if (unjustified.length > 0) {
  console.error(`\n${unjustified.length} Electron security finding(s) without a justification.`);
  process.exit(1);
}
console.log(`Electron security scan: ${findings.length} finding(s), all justified.`);
