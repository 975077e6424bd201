/**
 * Rule, index, docs and fixtures agree (ESLint's checkRuleFiles, stylelint's index test), and
 * the docs' examples are executed: every yaml block under "## Bad" gives a finding of the rule,
 * every block under "## Good" gives none.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { docsUrl } from '../src/engine/rule.js';
import { VERSION } from '../src/version.js';
import { lint } from '../src/lint.js';
import { ROOT } from './helpers/paths.js';
import { readmeWithTable } from '../src/tools/readme-rules.js';

const yamlSyntax = rules.find((r) => r.id === 'yaml-syntax')!;
const HEADINGS = ['What fails', 'Why', 'Bad', 'Good', 'How to fix', 'When it stays quiet', 'Options', 'How to suppress'];

test('rules/index.ts lists every file in rules/, sorted, ids unique', () => {
  const files = readdirSync(path.join(ROOT, 'rules'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(rules.map((r) => r.id), files);
  assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
});

test('the README rule table is generated from the rules (npm run docs:rules)', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, readmeWithTable(readme), 'README.md rule table is stale: run npm run docs:rules');
});

test('package.json version equals src/version.ts', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.version, VERSION);
});

/** Splits a docs page into its H2 sections. */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = md.split(/^## /m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    out.set(p.slice(0, nl).trim(), p.slice(nl + 1));
  }
  return out;
}

function yamlBlocks(text: string): string[] {
  return [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

for (const rule of rules) {
  describe(`rule ${rule.id} metadata and docs`, () => {
    test('metadata is complete', () => {
      assert.match(rule.id, /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
      assert.equal(rule.docs, docsUrl(rule.id));
      assert.ok(['error', 'warning', 'note'].includes(rule.severity));
      assert.ok(rule.title.length > 10 && !rule.title.endsWith('.'), 'title: a short phrase without a final period');
      assert.ok(rule.rationale.length > 40 && /[.!?]$/.test(rule.rationale), 'rationale: full sentences ending with a period');
      assert.ok(existsSync(path.join(ROOT, 'fixtures', rule.id, 'bad')), 'fixtures/<id>/bad exists');
      assert.ok(existsSync(path.join(ROOT, 'fixtures', rule.id, 'good')), 'fixtures/<id>/good exists');
    });

    const page = path.join(ROOT, 'docs', 'rules', `${rule.id}.md`);
    test('docs page has the fixed outline', () => {
      assert.ok(existsSync(page), `docs/rules/${rule.id}.md is missing`);
      const md = readFileSync(page, 'utf8');
      assert.ok(md.startsWith(`# ${rule.id}\n`), 'the page starts with "# <id>"');
      assert.deepEqual([...sections(md).keys()], HEADINGS);
    });

    test('docs examples are executed: Bad gives a finding, Good gives none', async () => {
      if (!existsSync(page)) return;
      const s = sections(readFileSync(page, 'utf8'));
      const bad = yamlBlocks(s.get('Bad') ?? '');
      const good = yamlBlocks(s.get('Good') ?? '');
      assert.ok(bad.length > 0, 'the Bad section has a yaml example');
      assert.ok(good.length > 0, 'the Good section has a yaml example');
      const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-docs-'));
      try {
        for (const [kind, blocks] of [['bad', bad], ['good', good]] as const) {
          for (const [i, block] of blocks.entries()) {
            const file = path.join(dir, `${kind}-${i}.yaml`);
            writeFileSync(file, block);
            const enabled = rule.id === 'yaml-syntax' ? [rule] : [rule, yamlSyntax];
            const r = await lint({ paths: [file], cwd: dir, rules: enabled, knownRules: rules, strict: true });
            const n = r.findings.filter((f) => f.ruleId === rule.id).length;
            if (kind === 'bad') assert.ok(n > 0, `Bad example ${i + 1} gives no ${rule.id} finding`);
            else assert.equal(n, 0, `Good example ${i + 1} gives a ${rule.id} finding: ${r.findings.map((f) => f.message).join(' | ')}`);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
