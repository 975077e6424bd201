/**
 * Hostile and broken input (issue: fast and unbreakable). Every case runs the real binary and
 * must end in findings or notes with exit 0 or 1: never a stack trace, never a hang.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './helpers/paths.js';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-adv-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

function lintCase(name: string, files: Record<string, string | Buffer>, extra: string[] = []) {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), content);
  }
  return runIn(root, ['lint', '.', '--format', 'json', ...extra]);
}

function runIn(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 28 });
  assert.equal(r.signal, null, `scrapelint was killed (${r.signal}): a hang?`);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, `stack trace on stderr:\n${r.stderr}`);
  let findings: Finding[] = [];
  if (r.stdout.trim().startsWith('{')) findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, findings };
}

const SM = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: app
  namespace: default
spec:
  selector:
    matchLabels:
      app: x
  endpoints:
    - port: web
`;

describe('adversarial input', () => {
  test('invalid YAML at every level: one finding per broken document, the rest still linted', () => {
    const r = lintCase('invalid', {
      'top.yaml': 'a: b: c\n',
      'nested.yaml': 'spec:\n  endpoints:\n    - port: "web\n',
      'flow.yaml': 'spec: {a: [1, 2}\n',
      'indent.yaml': 'spec:\n    a: 1\n  b: 2\n',
      'multi.yaml': `${SM}---\nkey: [unclosed\n---\n${SM.replace('name: app', 'name: app2')}`,
    });
    assert.equal(r.status, 1);
    const syntax = r.findings.filter((f) => f.ruleId === 'yaml-syntax');
    assert.deepEqual(syntax.map((f) => f.file).sort(), ['flow.yaml', 'indent.yaml', 'multi.yaml', 'nested.yaml', 'top.yaml']);
    assert.equal(syntax.find((f) => f.file === 'multi.yaml')!.line, 13);
  });

  test('a billion-laughs alias bomb ends quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = `${levels.join('\n')}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  labels: {x: y}\ndata:\n  big: *i\n`;
    const sm = `${SM.trimEnd()}\n      relabelings: &r [${Array(9).fill('{}').join(',')}]\n`;
    // A monitor whose endpoint holds the bomb: the schema check must not walk its 9^9 paths.
    const inMonitor = `${levels.join('\n')}\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: bomb, namespace: default}\nspec:\n  selector: {matchLabels: {app: x}}\n  endpoints:\n    - port: web\n      relabelings: *i\n`;
    const r = lintCase('bomb', { 'bomb.yaml': bomb, 'bomb-sm.yaml': sm, 'bomb-in-monitor.yaml': inMonitor, 'broken-bomb.yaml': `${levels.join('\n')}\nx: *i\ny: [\n` });
    assert.ok(r.status === 0 || r.status === 1);
  });

  test('600,000 documents in one file, none with a colon: no stack overflow, no quadratic scan', () => {
    // 9.6 MB, under the size cap. A `push(...documents)` overflowed the call stack here, and a key
    // search that runs past its line to the next colon (there is none) would take minutes.
    const many = '---\nhello world\n'.repeat(600_000);
    const r = lintCase('no-colons', { 'many.yaml': many, 'ok.yaml': SM });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
  });

  test('20,000 findings in one 6.8 MB file: no work per finding that grows with the file or the namespace', () => {
    // Each monitor selects Services by a label no Service has. Locating a finding scanned the rest
    // of the file for tabs, and each finding listed every Service of its namespace: 132 s here.
    const pairs = Array.from(
      { length: 20_000 },
      (_, i) =>
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: shop\nspec:\n  selector:\n    app: s${i}\n  ports:\n    - name: web\n      port: 80\n---\n` +
        `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: s${i}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: s${i}\n  endpoints:\n    - port: web\n`,
    );
    const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: shop\nspec:\n  serviceMonitorSelector: {}\n';
    const r = lintCase('many-findings', { 'all.yaml': [prom, ...pairs].join('---\n') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.findings.length, 20_000);
    assert.ok(r.findings.every((f) => f.ruleId === 'monitor-selects-nothing'));
    assert.deepEqual([r.findings[0]!.line, r.findings[19_999]!.line], [27, 480_003], 'each at its selector');
  });

  test('an object defined twice with a YAML alias cycle in its body: compared, not recursed forever', () => {
    const cyclic = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ${ns}\ndata: &d\n  self: *d\n`;
    const plain = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ${ns}\ndata:\n  x: "1"\n`;
    const r = lintCase('alias-cycle-copies', {
      'one-cyclic.yaml': `${cyclic('a')}---\n${plain('a')}`,
      'both-cyclic.yaml': `${cyclic('b')}---\n${cyclic('b')}`,
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'duplicate-resource').map((f) => [f.file, f.line]),
      [['both-cyclic.yaml', 12], ['one-cyclic.yaml', 12]],
      'a cyclic body equals nothing (over budget), as sameBody always said',
    );
  });

  test('400 ScrapeConfigs discovering 2,000 Services each: evaluated up to a budget, then said to be skipped', () => {
    // Each job relabels every object of its namespaces and keeps the targets: 800,000 targets ran
    // out of memory. Past the budget (200,000 objects in all) further jobs are not evaluated.
    const files: Record<string, string> = {
      'prom.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: default\nspec:\n  scrapeConfigSelector: {}\n  scrapeConfigNamespaceSelector: {}\n',
    };
    const svcs: string[] = [];
    for (let i = 0; i < 2000; i++) svcs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: default\n  labels: {app: s${i}}\nspec:\n  clusterIP: None\n  ports:\n    - {name: web, port: 80}\n`);
    files['services.yaml'] = svcs.join('---\n');
    const jobs: string[] = [];
    for (let i = 0; i < 400; i++) {
      jobs.push(
        `apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata:\n  name: sc${i}\n  namespace: default\nspec:\n  kubernetesSDConfigs:\n    - role: Endpoints\n` +
          `  relabelings:\n    - {sourceLabels: [__meta_kubernetes_service_label_app], regex: s${i}, action: keep}\n`,
      );
    }
    files['scrapeconfigs.yaml'] = jobs.join('---\n');
    const r = lintCase('discovery-budget', files);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const t = runIn(path.join(dir, 'discovery-budget'), ['targets', '.', '--format', 'json']);
    assert.equal(t.status, 0, t.stderr);
    const partial = (t.stdout.match(/more than 200,000 objects in all; kubernetes_sd_configs\[0\] is not evaluated offline"/g) ?? []).length;
    assert.equal(partial, 300, 'the first 100 jobs are evaluated, the other 300 say why they are not');
  });

  test('10,000 levels of nesting', () => {
    const deep = `${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const deepMap = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const r = lintCase('deep', { 'deep.yaml': deep, 'deep-map.yaml': deepMap, 'ok.yaml': SM });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
  });

  test('a 100 MB file is reported, not parsed', () => {
    const root = path.join(dir, 'huge');
    mkdirSync(root, { recursive: true });
    const fd = openSync(path.join(root, 'huge.yaml'), 'w');
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);
    writeFileSync(path.join(root, 'ok.yaml'), SM);
    const r = runIn(root, ['lint', '.', '--format', 'json']);
    const f = r.findings.find((x) => x.file === 'huge.yaml');
    assert.equal(f?.ruleId, 'file-skipped');
    assert.match(f!.message, /100\.0 MiB, above the 10\.0 MiB size limit/);
    assert.equal(f!.severity, 'warning');
  });

  test('binary, non-UTF-8 and BOM files', () => {
    const r = lintCase('binary', {
      'image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0xff]),
      'latin1.yaml': Buffer.concat([Buffer.from('kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'bom.yaml': `\uFEFF${SM}`,
    });
    assert.ok(r.status === 0 || r.status === 1);
    assert.equal(r.findings.find((f) => f.file === 'image.yaml')?.ruleId, 'file-skipped');
    assert.ok(!r.findings.some((f) => f.file === 'bom.yaml' && f.ruleId === 'yaml-syntax'));
  });

  test('CRLF line endings keep positions exact', () => {
    const lf = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: a\n  ports:\n    - name: web\n      port: 80\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: s\nsubsets:\n  - addresses: [{ip: 10.0.0.1}]\n    ports: [{name: web, port: 80}]\n`;
    const a = lintCase('lf', { 'x.yaml': lf });
    const b = lintCase('crlf', { 'x.yaml': lf.replace(/\n/g, '\r\n') });
    const pick = (fs: Finding[]) => fs.map((f) => `${f.ruleId}:${f.line}:${f.column}`);
    assert.deepEqual(pick(b.findings), pick(a.findings));
    assert.ok(a.findings.length > 0);
  });

  test('tabs, duplicate keys, YAML 1.1 booleans, merge keys, repeated anchors', () => {
    const r = lintCase('yaml-features', {
      'tabs.yaml': 'spec:\n\tport: 1\n',
      'dupes.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: d\n  name: e\n',
      'bools.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: b\ndata:\n  a: on\n  b: yes\n  c: off\n',
      'merge.yaml': 'base: &base {app: x}\nkind: Service\napiVersion: v1\nmetadata:\n  name: m\n  labels:\n    <<: *base\n    tier: web\n',
      'anchors.yaml': 'a: &x 1\nb: &x 2\nc: *x\n',
    });
    assert.ok(r.status === 0 || r.status === 1);
    assert.equal(r.findings.find((f) => f.file === 'tabs.yaml')?.ruleId, 'yaml-syntax');
    assert.equal(r.findings.find((f) => f.file === 'dupes.yaml')?.ruleId, 'yaml-duplicate-key');
  });

  test('{{ }} templates outside templates/ become notes, not syntax errors', () => {
    const r = lintCase('tpl', {
      'values-tpl.yaml': 'name: {{ .Release.Name }}\nport: {{ .Values.port }}\n',
      'chart/templates/sm.yaml': 'metadata:\n  name: {{ include "x" . }}\n',
    });
    assert.ok(!r.findings.some((f) => f.ruleId === 'yaml-syntax'), JSON.stringify(r.findings));
    assert.ok(r.findings.every((f) => f.severity === 'note'));
  });

  test('a symlink loop and a link leaving the root do not hang or escape', () => {
    const root = path.join(dir, 'links');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'ok.yaml'), SM);
    symlinkSync(root, path.join(root, 'sub', 'loop'));
    symlinkSync('/etc/hostname', path.join(root, 'outside.yaml'));
    symlinkSync(path.join(root, 'a.yaml'), path.join(root, 'b.yaml'));
    symlinkSync(path.join(root, 'b.yaml'), path.join(root, 'a.yaml'));
    const r = runIn(root, ['lint', '.', '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1);
    assert.ok(!r.findings.some((f) => f.file.includes('loop/')), 'followed a directory loop');
    assert.equal(r.findings.find((f) => f.file === 'outside.yaml')?.ruleId, 'file-skipped');
  });

  test('a named pipe with a .yaml name, and a link to it, do not block the run (nobody writes to it)', { skip: process.platform === 'win32' }, () => {
    const root = path.join(dir, 'fifo');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'ok.yaml'), SM);
    assert.equal(spawnSync('mkfifo', [path.join(root, 'pipe.yaml')]).status, 0);
    symlinkSync(path.join(root, 'pipe.yaml'), path.join(root, 'link.yaml')); // a link is read, not only listed
    const r = runIn(root, ['lint', '.', '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.ok(!r.findings.some((f) => f.file === 'pipe.yaml' || f.file === 'link.yaml'), JSON.stringify(r.findings));
  });

  test('a file that reports size 0 and gives short reads (procfs) is read to its end', { skip: process.platform !== 'linux' }, async () => {
    // /proc/self/maps: a regular file of size 0 whose reads stop at page boundaries; the lint's
    // own map runs to tens of kilobytes, so stopping at the first short read would lose most of it.
    const { loadFiles } = await import('../src/load/load.js');
    const r = await loadFiles({ paths: ['/proc/self/maps'], cwd: dir });
    assert.equal(r.files.length, 1, JSON.stringify(r.problems));
    const text = r.files[0]!.text;
    assert.ok(text.length > 8192, `read ${text.length} bytes`);
    assert.ok(text.endsWith('\n') && /\[(vsyscall|vdso|stack)\]/.test(text), 'the last lines of the map are missing');
  });

  test('an unreadable file is reported (skipped when running as root, who reads everything)', { skip: process.getuid?.() === 0 }, () => {
    const root = path.join(dir, 'unreadable');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'secret.yaml'), SM);
    chmodSync(path.join(root, 'secret.yaml'), 0o000);
    const r = runIn(root, ['lint', '.', '--format', 'json']);
    assert.equal(r.findings.find((f) => f.file === 'secret.yaml')?.ruleId, 'file-skipped');
  });

  test('an empty directory is clean; a missing path is a usage error', () => {
    const root = path.join(dir, 'empty');
    mkdirSync(root, { recursive: true });
    const ok = runIn(root, ['lint', '.']);
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /No problems found/);
    const missing = runIn(root, ['lint', 'does-not-exist']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /does-not-exist: no such file or directory/);
  });
});
