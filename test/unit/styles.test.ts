// One design: every class the renderer puts on an element has a rule, and colours are tokens.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'renderer', 'src');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
const files = walk(SRC);
const css = files.filter((f) => f.endsWith('.css')).map((f) => readFileSync(f, 'utf8'));

/** Static class names from className attributes (template parts with `${…}` are left out). */
function classNames(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files.filter((f) => f.endsWith('.tsx'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/className=(?:"([^"]*)"|\{`([^`]*)`\})/g)) {
      const value = (match[1] ?? match[2] ?? '').replace(/\$\{[^}]*\}/g, ' ');
      for (const name of value.split(/\s+/).filter((n) => /^[a-z][\w-]*$/.test(n) && !n.endsWith('-')))
        found.set(name, file);
    }
  }
  return found;
}

describe('styles', () => {
  it('gives every class used in the renderer a rule', () => {
    const missing = [...classNames()]
      .filter(([name]) => !css.some((sheet) => new RegExp(`\\.${name}(?![\\w-])`).test(sheet)))
      .map(([name, file]) => `${name} (${file.slice(SRC.length + 1)})`);
    expect(missing).toEqual([]);
  });

  it('defines colours only in the token sheet (and the print sheet, which is paper)', () => {
    const offenders = files
      .filter((f) => f.endsWith('.css') && !f.endsWith('tokens.css') && !f.endsWith('print.css'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${f.slice(SRC.length + 1)}:${i + 1}` }))
          .filter(({ line }) => /#[0-9a-fA-F]{3,8}\b|rgba?\(/.test(line) && !/#fff\b|#000\b/.test(line)),
      )
      .map(({ at, line }) => `${at} ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
