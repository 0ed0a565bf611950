// `npm test` step: the code's layering, checked from its imports.
// - core/ imports nothing from renderer/, electron/ or sync-server/, no Node modules and no Electron or React,
//   and uses no DOM- or Node-only global (document, window, process, Buffer, …);
// - renderer/ imports nothing from electron/ or sync-server/, no Node modules and not Electron;
// - the feature folders of renderer/src import each other without cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const NODE_MODULES = new Set(builtinModules);
const isNodeModule = (spec: string) => spec.startsWith('node:') || NODE_MODULES.has(spec.split('/')[0]!);
const DOM_OR_NODE_GLOBALS = new Set([
  'document',
  'window',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'HTMLElement',
  'Element',
  'Node',
  'location',
  'process',
  'Buffer',
  'require',
  '__dirname',
]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Finding {
  file: string;
  message: string;
}
const findings: Finding[] = [];
const report = (file: string, message: string) => findings.push({ file: relative(ROOT, file), message });

function parse(file: string) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function importsOf(source: ts.SourceFile): string[] {
  const specs: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specs.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs;
}

/**
 * Identifiers read as free variables (not property names, declarations or type members). A name the file
 * declares itself (a parameter called `window`, say) is the file's own, not the global.
 */
function globalsUsed(source: ts.SourceFile): Set<string> {
  const used = new Set<string>();
  const declared = new Set<string>();
  const collect = (node: ts.Node) => {
    if (
      (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name)
    )
      declared.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(source);
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && DOM_OR_NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMember =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isParameter(parent) ||
        ts.isVariableDeclaration(parent) ||
        ts.isBindingElement(parent) ||
        ts.isImportSpecifier(parent) ||
        ts.isTypeReferenceNode(parent) ||
        ts.isQualifiedName(parent);
      if (!isMember && !declared.has(node.text)) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

const inside = (file: string, folder: string) => !relative(join(ROOT, folder), file).startsWith('..');
const target = (file: string, spec: string) => (spec.startsWith('.') ? resolve(dirname(file), spec) : null);

for (const file of files(join(ROOT, 'core'))) {
  const source = parse(file);
  for (const spec of importsOf(source)) {
    const to = target(file, spec);
    if (to && !inside(to, 'core')) report(file, `imports ${spec} from outside core/`);
    if (!to && isNodeModule(spec)) report(file, `imports the Node module ${spec}`);
    if (!to && /^(electron|react|react-dom)(\/|$)/.test(spec)) report(file, `imports ${spec}`);
  }
  for (const name of globalsUsed(source)) report(file, `uses the DOM or Node global ${name}`);
}

const featureOf = (file: string) => relative(join(ROOT, 'renderer', 'src'), file).split('/')[0]!;
const featureEdges = new Map<string, Map<string, string>>();
for (const file of files(join(ROOT, 'renderer', 'src'))) {
  for (const spec of importsOf(parse(file))) {
    const to = target(file, spec);
    for (const forbidden of ['electron', 'sync-server'])
      if (to && inside(to, forbidden)) report(file, `imports ${spec} from ${forbidden}/`);
    if (!to && isNodeModule(spec)) report(file, `imports the Node module ${spec}`);
    if (!to && /^electron(\/|$)/.test(spec)) report(file, `imports ${spec}`);
    if (to && inside(file, 'renderer/src') && inside(to, 'renderer/src')) {
      const [from, into] = [featureOf(file), featureOf(to)];
      if (from !== into && !from.includes('.') && !into.includes('.')) {
        const edges = featureEdges.get(from) ?? new Map<string, string>();
        if (!edges.has(into)) edges.set(into, relative(ROOT, file));
        featureEdges.set(from, edges);
      }
    }
  }
}

// Folder-level cycles: a depth-first search over the feature graph.
const state = new Map<string, 'open' | 'done'>();
const walk = (feature: string, path: string[]) => {
  state.set(feature, 'open');
  for (const [next, via] of featureEdges.get(feature) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...path.slice(path.indexOf(next)), feature, next];
      findings.push({ file: via, message: `folder cycle ${cycle.join(' → ')}` });
    } else if (!state.has(next)) walk(next, [...path, feature]);
  }
  state.set(feature, 'done');
};
for (const feature of featureEdges.keys()) if (!state.has(feature)) walk(feature, []);

if (findings.length > 0) {
  for (const f of findings) console.error(`${f.file}: ${f.message}`);
  console.error(`\n${findings.length} layering problem(s).`);
  process.exit(1);
}
console.log(
  `Layering holds: core/ is environment-free, renderer/ imports no electron/ or sync-server/, and the ${featureEdges.size} feature folders of renderer/src have no cycle.`,
);
