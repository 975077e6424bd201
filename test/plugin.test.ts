/** The example plugin of docs/writing-rules.md, loaded from a configuration through the real binary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from './helpers/paths.js';

test('examples/plugin/team-label.mjs: a rule with options, same contract, same outputs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-plugin-'));
  try {
    writeFileSync(
      path.join(dir, 'sm.yaml'),
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: shop\n  labels:\n    team: payments\nspec:\n  selector:\n    matchLabels: {app: api}\n  endpoints: [{port: web}]\n',
    );
    const plugin = path.join(ROOT, 'examples/plugin/team-label.mjs');
    writeFileSync(path.join(dir, '.scrapelint.yaml'), `plugins: [${JSON.stringify(plugin)}]\nrules:\n  acme/monitor-needs-team: { severity: error, options: { label: owner } }\n`);
    const r = spawnSync(process.execPath, [BIN, 'lint', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; line: number; message: string }[] };
    assert.deepEqual(
      json.findings.map((f) => [f.ruleId, f.severity, f.line, f.message]),
      [['acme/monitor-needs-team', 'error', 6, 'ServiceMonitor shop/api has no "owner" label, so its alerts reach no team. Add metadata.labels.owner.']],
    );
    const rules = spawnSync(process.execPath, [BIN, 'rules'], { cwd: dir, encoding: 'utf8' });
    assert.match(rules.stdout, /acme\/monitor-needs-team +warning +Monitor has no team label/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a rule that throws is reported with its id (stderr and SARIF), the run goes on, exit 2', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-throw-'));
  try {
    writeFileSync(
      path.join(dir, 'sm.yaml'),
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  endpoints: [{port: "8080"}]\nfoo: [\n',
    );
    writeFileSync(
      path.join(dir, 'boom.mjs'),
      "export const rules = [{ id: 'acme/boom', title: 'Always throws for the test', severity: 'error', rationale: 'Exercises the engine.', check() { throw new Error('kaboom'); } }];\n",
    );
    writeFileSync(path.join(dir, '.scrapelint.yaml'), 'plugins: [./boom.mjs]\n');
    const r = spawnSync(process.execPath, [BIN, 'lint', '.', '--format', 'sarif'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /rule acme\/boom failed: kaboom/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const sarif = JSON.parse(r.stdout);
    const inv = sarif.runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.toolExecutionNotifications[0].associatedRule.id, 'acme/boom');
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'yaml-syntax'), 'the other rules still ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
