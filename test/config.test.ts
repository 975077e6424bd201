/**
 * Configuration, suppressions, baseline, changed files, plugins and init, as a user meets them:
 * the real binary in a temporary repository (with real git for --changed-since).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './helpers/paths.js';
import { TEAM_LABEL_PLUGIN, writeRepo } from './helpers/repo.js';
import { PROM } from './helpers/manifests.js';

const SM = (name: string, labels = '{}') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: ${name}
  namespace: shop
  labels: ${labels}
spec:
  selector:
    matchLabels:
      app: ${name}
  endpoints:
    - port: web
`;

let root: string;
before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-cfg-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const repo = (name: string, files: Record<string, string>) => writeRepo(root, name, files);

interface J {
  summary: { errors: number; warnings: number; notes: number; suppressed: number; baseline: number };
  findings: { ruleId: string; severity: string; file: string; line: number; message: string; suppressed?: { justification: string }; baselineState?: string; fingerprint?: string }[];
}

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  let json: J | undefined;
  if (r.stdout.trim().startsWith('{')) json = JSON.parse(r.stdout) as J;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

describe('configuration', () => {
  test('rule levels, per-path overrides and ignore', () => {
    const dir = repo('levels', {
      'prom.yaml': PROM,
      'apps/a.yaml': SM('a'),
      'legacy/b.yaml': SM('b'),
      'vendor/c.yaml': SM('c'),
      '.scrapelint.yaml': 'ignore: ["vendor/**"]\nrules:\n  monitor-not-selected: warning\noverrides:\n  - files: ["legacy/**"]\n    rules: { monitor-not-selected: "off" }\n',
    });
    const r = run(dir, ['lint', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const sel = r.json!.findings.filter((f) => f.ruleId === 'monitor-not-selected');
    assert.deepEqual(sel.map((f) => [f.file, f.severity]), [['apps/a.yaml', 'warning']]);
  });

  test('an invalid configuration is exit 2 with the line of the offending key', () => {
    const dir = repo('invalid', { '.scrapelint.yaml': 'rules:\n  monitor-not-selected: loud\n' });
    const r = run(dir, ['lint']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^scrapelint: \.scrapelint\.yaml:2:3: invalid configuration: rules\.monitor-not-selected/m);
    const r2 = run(repo('invalid2', { 'c.yaml': 'scopes:\n  - name: a\n    files: [x]\n    extra: 1\n' }), ['lint', '--config', 'c.yaml']);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /c\.yaml:4:5: invalid configuration: unknown key "extra" in scopes\.0/);
    const r3 = run(root, ['lint', '--config', 'nope.yaml']);
    assert.equal(r3.status, 2);
    assert.match(r3.stderr, /config file nope\.yaml does not exist/);
  });

  test('cluster.prometheus stands in for a Prometheus outside the repository', () => {
    const dir = repo('external', {
      'apps/a.yaml': SM('a'),
      'apps/b.yaml': SM('b', '{release: kps}'),
      '.scrapelint.yaml':
        'cluster:\n  prometheus:\n    - name: k8s\n      namespace: monitoring\n      serviceMonitorSelector: { matchLabels: { release: kps } }\n      serviceMonitorNamespaceSelector: {}\n',
    });
    const r = run(dir, ['lint', '--format', 'json']);
    const sel = r.json!.findings.filter((f) => f.ruleId === 'monitor-not-selected');
    assert.deepEqual(sel.map((f) => f.file), ['apps/a.yaml']);
    assert.match(sel[0]!.message, /Prometheus monitoring\/k8s \(from \.scrapelint\.yaml\)/);
  });

  test('scopes lint clusters separately', () => {
    const dir = repo('scopes', {
      'prod/prom.yaml': PROM,
      'prod/a.yaml': SM('a', '{release: kps}'),
      'staging/b.yaml': SM('b'),
      '.scrapelint.yaml': 'scopes:\n  - name: prod\n    files: ["prod/**"]\n  - name: staging\n    files: ["staging/**"]\n',
    });
    const r = run(dir, ['lint', '--format', 'json']);
    // staging holds no Prometheus: open world, no selection finding there.
    assert.deepEqual(r.json!.findings.filter((f) => f.ruleId === 'monitor-not-selected'), []);
  });

  test('init writes a starter that validates, and refuses to overwrite', () => {
    const dir = repo('init', {});
    assert.equal(run(dir, ['init']).status, 0);
    assert.ok(existsSync(path.join(dir, '.scrapelint.yaml')));
    assert.equal(run(dir, ['lint']).status, 0);
    assert.equal(run(dir, ['init']).status, 2);
  });
});

describe('suppressions', () => {
  test('comments and annotations silence findings; SARIF keeps them as inSource suppressions', () => {
    const dir = repo('supp', {
      'prom.yaml': PROM,
      'a.yaml': `# scrapelint-disable monitor-not-selected -- scraped by the platform Prometheus\n${SM('a')}`,
      'b.yaml': SM('b').replace('  labels: {}', '  labels: {}\n  annotations:\n    scrapelint.io/ignore: "monitor-not-selected -- team payments owns it"'),
      'c.yaml': `# scrapelint-disable monitor-not-selected -- expired until=2020-01-01\n${SM('c')}`,
    });
    const r = run(dir, ['lint', '--format', 'json']);
    const sel = r.json!.findings.filter((f) => f.ruleId === 'monitor-not-selected');
    assert.deepEqual(sel.map((f) => [f.file, f.suppressed?.justification ?? null]), [
      ['a.yaml', 'scraped by the platform Prometheus'],
      ['b.yaml', 'team payments owns it'],
      ['c.yaml', null],
    ]);
    assert.equal(r.status, 1, 'the expired suppression lets its finding fail the run');
    const sarif = JSON.parse(run(dir, ['lint', '--format', 'sarif']).stdout);
    const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
    assert.equal(suppressed.length, 2);
    assert.deepEqual(suppressed[0].suppressions[0].kind, 'inSource');
    const text = run(dir, ['lint', '--no-color']);
    assert.match(text.stdout, /2 suppressed/);
    assert.doesNotMatch(text.stdout, /a\.yaml:\d+:\d+ +error/);
  });
});

describe('baseline and changed files', () => {
  test('--write-baseline then --baseline: known findings do not fail, new ones do, line moves do not matter', () => {
    const dir = repo('baseline', { 'prom.yaml': PROM, 'a.yaml': SM('a') });
    assert.equal(run(dir, ['lint', '--write-baseline', 'base.json']).status, 0);
    assert.equal(run(dir, ['lint', '--baseline', 'base.json']).status, 0);
    writeFileSync(path.join(dir, 'a.yaml'), `# a comment that moves every line down\n\n${SM('a')}`);
    const moved = run(dir, ['lint', '--baseline', 'base.json', '--format', 'json']);
    assert.equal(moved.status, 0);
    assert.equal(moved.json!.findings[0]!.baselineState, 'unchanged');
    writeFileSync(path.join(dir, 'b.yaml'), SM('b'));
    const grown = run(dir, ['lint', '--baseline', 'base.json', '--format', 'json']);
    assert.equal(grown.status, 1);
    assert.deepEqual(grown.json!.findings.map((f) => [f.file, f.baselineState]), [['a.yaml', 'unchanged'], ['b.yaml', 'new']]);
    const sarif = JSON.parse(run(dir, ['lint', '--baseline', 'base.json', '--format', 'sarif']).stdout);
    assert.deepEqual(sarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState), ['unchanged', 'new']);
  });

  test('--changed-since reports only findings touching changed files (real git)', { skip: spawnSync('git', ['--version']).status !== 0 ? 'no git' : false }, () => {
    const dir = repo('git', { 'prom.yaml': PROM, 'a.yaml': SM('a'), 'b.yaml': SM('b') });
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(dir, 'b.yaml'), SM('b').replace('port: web', 'port: http'));
    const r = run(dir, ['lint', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual([...new Set(r.json!.findings.map((f) => f.file))], ['b.yaml']);
    const pc = run(dir, ['lint', '--pre-commit', 'a.yaml', '--format', 'json']);
    assert.deepEqual([...new Set(pc.json!.findings.map((f) => f.file))], ['a.yaml']);
    const bad = run(dir, ['lint', '--changed-since', 'no-such-ref']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /git diff --name-only no-such-ref failed/);
  });
});

describe('plugins', () => {
  test('a listed plugin adds rules with the built-in contract; a broken one is reported and the run goes on', () => {
    const dir = repo('plugins', {
      'plugin.mjs': TEAM_LABEL_PLUGIN,
      'broken.mjs': 'throw new Error("boom");\n',
      'a.yaml': SM('a'),
      '.scrapelint.yaml': 'plugins: [./plugin.mjs, ./broken.mjs]\n',
    });
    const r = run(dir, ['lint', '--format', 'json']);
    assert.equal(r.status, 2, 'a failed plugin is an internal error');
    assert.match(r.stderr, /plugin .*broken\.mjs failed to load: boom/);
    assert.deepEqual(r.json!.findings.map((f) => f.ruleId), ['acme/monitor-needs-team']);
    const none = run(repo('no-plugins', { 'plugin.mjs': 'throw new Error("must not load")\n', 'a.yaml': SM('a') }), ['lint']);
    assert.equal(none.status, 0, 'plugins in the repository are not loaded unless configured');
  });
});

describe('cluster.helm', () => {
  test('declares values files that their shape alone does not reveal, and the chart version', () => {
    const dir = repo('helm-declared', { 'my-values.yaml': 'alertmanager:\n  enabled: ture\n' });
    assert.equal(run(dir, ['lint']).status, 0, 'one key is not enough to call a file kube-prometheus-stack values');
    writeFileSync(path.join(dir, '.scrapelint.yaml'), 'cluster:\n  helm:\n    values: ["my-values.yaml"]\n    chartVersion: "45.0.0"\n');
    const r = run(dir, ['lint', '--format', 'json']);
    assert.equal(r.status, 1);
    assert.deepEqual(r.json!.findings.map((f) => [f.ruleId, f.line]), [['helm-values-type', 2]]);
  });
});

describe('--kube-version', () => {
  const CM = `apiVersion: v1
kind: Service
metadata:
  name: kps-kube-controller-manager
  namespace: kube-system
  labels: { app: kube-controller-manager }
spec:
  selector: { component: kube-controller-manager }
  ports:
    - name: http-metrics
      port: 10252
      targetPort: 10252
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: kps-kube-controller-manager
  namespace: monitoring
spec:
  namespaceSelector: { matchNames: [kube-system] }
  selector:
    matchLabels: { app: kube-controller-manager }
  endpoints:
    - port: http-metrics
`;
  test('the cluster version from the command line makes the removed insecure port certain', () => {
    const dir = repo('kube-version', { 'cm.yaml': CM });
    const unknown = run(dir, ['lint', '--format', 'json']);
    const before = unknown.json!.findings.filter((f) => f.ruleId === 'control-plane-insecure-port-disabled');
    assert.ok(before.every((f) => f.severity !== 'error'), 'without a version: not an error');
    const known = run(dir, ['lint', '--format', 'json', '--kube-version', '1.24']);
    const after = known.json!.findings.filter((f) => f.ruleId === 'control-plane-insecure-port-disabled');
    assert.deepEqual(after.map((f) => [f.severity, f.line]), [['error', 24]]);
    assert.match(after[0]!.message, /Kubernetes 1\.24 \(--kube-version 1\.24\)/);
    const bad = run(dir, ['lint', '--kube-version', 'latest']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--kube-version takes a version like 1\.30/);
  });
});
