/**
 * Dependencies point down the pipeline (docs/architecture.md): read every import specifier and
 * check the layering, with no dependency but node itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/paths.js';

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

function imports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, '.ts'),
  );
}

/** For each layer (by path prefix), the prefixes it must never import. */
const FORBIDDEN: [string, string[]][] = [
  ['src/model/', ['src/load/', 'src/parse/', 'src/sources/', 'src/targets/', 'src/engine/', 'src/report/', 'src/cli/', 'src/config/', 'rules/']],
  ['src/load/', ['src/sources/', 'src/targets/', 'src/engine/', 'src/report/', 'src/cli/', 'rules/']],
  ['src/parse/', ['src/sources/', 'src/targets/', 'src/engine/', 'src/report/', 'src/cli/', 'rules/']],
  ['src/targets/', ['src/engine/', 'src/report/', 'src/cli/', 'src/config/', 'rules/']],
  ['src/sources/', ['src/engine/', 'src/report/', 'src/cli/', 'rules/']],
  ['src/engine/', ['src/report/', 'src/cli/', 'rules/']],
  ['src/report/', ['src/cli/', 'rules/', 'src/load/', 'src/parse/']],
  // Rules read the model, the targets and the adapters' read-only views of what they synthesized;
  // never I/O, formatting or the CLI.
  ['rules/', ['src/cli/', 'src/report/', 'src/load/', 'src/config/', 'src/lint.ts']],
];

test('imports follow the layering of docs/architecture.md', () => {
  const violations: string[] = [];
  for (const file of [...files('src'), ...files('rules')]) {
    const layer = FORBIDDEN.find(([prefix]) => file.startsWith(prefix));
    if (!layer) continue;
    for (const imp of imports(file)) {
      if (layer[1].some((p) => imp.startsWith(p))) violations.push(`${file} imports ${imp}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('rules do not import each other', () => {
  const violations = files('rules')
    .filter((f) => f !== 'rules/index.ts')
    .flatMap((f) => imports(f).filter((i) => i.startsWith('rules/')).map((i) => `${f} imports ${i}`));
  assert.deepEqual(violations, []);
});

test('the import reader sees imports (so the checks above can fail)', () => {
  assert.ok(imports('src/cli/main.ts').includes('src/lint.ts'));
  assert.ok(imports('rules/index.ts').includes('rules/yaml-syntax.ts'));
});
