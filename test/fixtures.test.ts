/**
 * One generic test for every rule (after markdownlint): each case under fixtures/<id>/bad/
 * carries its expected findings inline (`# expect: <id>`), each case under good/ must give no
 * finding of the rule. Exact messages, columns and ends are pinned in fixtures/<id>/snapshot.txt
 * (regenerate with UPDATE_SNAPSHOTS=1 after reviewing the wording).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { lint } from '../src/lint.js';
import type { Finding } from '../src/model/finding.js';
import { FIXTURES, ROOT } from './helpers/paths.js';
import { readMarkers } from './helpers/markers.js';

const PARSE_RULES = new Set(['yaml-syntax', 'yaml-duplicate-key', 'file-skipped', 'document-skipped']);
const yamlSyntax = rules.find((r) => r.id === 'yaml-syntax')!;

function cases(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && !n.endsWith('.md'))
    .sort()
    .map((n) => path.join(dir, n));
}

const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

async function run(ruleId: string, casePath: string): Promise<Finding[]> {
  const rule = rules.find((r) => r.id === ruleId)!;
  const enabled = rule.id === 'yaml-syntax' ? [rule] : [rule, yamlSyntax];
  const result = await lint({ paths: [rel(casePath)], cwd: ROOT, rules: enabled, knownRules: rules, strict: true, now: new Date('2026-06-01') });
  assert.deepEqual(result.notifications, [], 'the run had internal errors');
  return result.findings.filter((f) => !f.suppression); // a suppressed finding is not a finding of the case
}

function describeFinding(f: Finding): string {
  const rel = f.related.map((r) => `\n    related ${r.at.file}:${r.at.line}:${r.at.column} ${r.message}`).join('');
  return `${f.at.file}:${f.at.line}:${f.at.column}-${f.at.endLine}:${f.at.endColumn} ${f.severity} ${f.ruleId}: ${f.message}${rel}`;
}

for (const rule of rules) {
  describe(`rule ${rule.id}`, () => {
    const dir = path.join(FIXTURES, rule.id);
    const bad = cases(path.join(dir, 'bad'));
    const good = cases(path.join(dir, 'good'));
    const snapshot: string[] = [];

    test('has bad and good fixtures', () => {
      assert.ok(bad.length > 0, `fixtures/${rule.id}/bad/ has no case`);
      assert.ok(good.length > 0, `fixtures/${rule.id}/good/ has no case`);
    });

    for (const c of bad) {
      test(`bad: ${path.basename(c)}`, async () => {
        const { expect, related } = readMarkers(c, rel);
        assert.ok(expect.length > 0, `${rel(c)} has no "# expect:" marker`);
        const findings = await run(rule.id, c);
        if (!PARSE_RULES.has(rule.id)) {
          assert.deepEqual(findings.filter((f) => f.ruleId === 'yaml-syntax').map(describeFinding), [], 'fixture does not parse');
        }
        const mine = findings.filter((f) => f.ruleId === rule.id);
        const actual = mine.map((f) => `${f.at.file}:${f.at.line} ${f.ruleId}`).sort();
        const wanted = expect.filter((m) => m.ruleId === rule.id).map((m) => `${m.file}:${m.line} ${m.ruleId}`).sort();
        assert.deepEqual(actual, wanted, `findings differ from the markers:\n${mine.map(describeFinding).join('\n')}`);
        for (const r of related.filter((m) => m.ruleId === rule.id)) {
          assert.ok(
            mine.some((f) => f.related.some((x) => x.at.file === r.file && x.at.line === r.line)),
            `no ${rule.id} finding has a related location at ${r.file}:${r.line}`,
          );
        }
        if (rule.tags.includes('cross-check')) {
          for (const f of mine) assert.ok(f.related.length > 0, `cross-check finding without related location: ${describeFinding(f)}`);
        }
        snapshot.push(...mine.map(describeFinding));
      });
    }

    for (const c of good) {
      test(`good: ${path.basename(c)}`, async () => {
        const findings = await run(rule.id, c);
        assert.deepEqual(findings.map(describeFinding), [], 'a good case gives no finding of the rule and parses');
      });
    }

    test('snapshot of messages and exact locations', () => {
      const file = path.join(dir, 'snapshot.txt');
      const text = snapshot.join('\n') + '\n';
      if (process.env.UPDATE_SNAPSHOTS) writeFileSync(file, text);
      assert.ok(existsSync(file), `fixtures/${rule.id}/snapshot.txt is missing (run UPDATE_SNAPSHOTS=1 npm test)`);
      assert.equal(text, readFileSync(file, 'utf8'), 'messages or locations changed; review and run UPDATE_SNAPSHOTS=1 npm test');
    });
  });
}
