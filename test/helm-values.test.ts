/**
 * kube-prometheus-stack values as input (src/sources/helm/): the seed stories in
 * fixtures/helm-values-seeds/ run through every rule, with the findings on the values lines; plus
 * unit checks of recognition, effective values and provenance.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { lint } from '../src/lint.js';
import { loadConfig } from '../src/config/config.js';
import type { Finding } from '../src/model/finding.js';
import { FIXTURES, ROOT } from './helpers/paths.js';
import { readMarkers } from './helpers/markers.js';
import { mergeValues } from '../src/sources/helm/effective.js';
import { versionDefaults } from '../src/sources/helm/versions.js';
import { unknownKeys } from '../src/sources/helm/keys.js';

const SEEDS = path.join(FIXTURES, 'helm-values-seeds');
const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

function describeFinding(f: Finding): string {
  return `${f.at.file}:${f.at.line}:${f.at.column} ${f.severity} ${f.ruleId}: ${f.message}`;
}

describe('seed stories on values (every rule)', () => {
  const cases = readdirSync(SEEDS)
    .filter((n) => !n.endsWith('.md'))
    .sort()
    .map((n) => path.join(SEEDS, n));
  for (const c of cases) {
    test(path.basename(c), async () => {
      const dir = statSync(c).isDirectory() ? c : path.dirname(c);
      const cfgFile = path.join(dir, '.scrapelint.yaml');
      const config = statSync(c).isDirectory() && existsSync(cfgFile) ? loadConfig(ROOT, rel(cfgFile)) : undefined;
      const r = await lint({ paths: [rel(c)], cwd: ROOT, rules, strict: true, now: new Date('2026-06-01'), ...(config ? { config } : {}) });
      assert.deepEqual(r.notifications, []);
      const { expect, related } = readMarkers(c, rel);
      const named = new Set(expect.map((m) => m.ruleId));
      const mine = r.findings.filter((f) => !f.suppression && (named.has(f.ruleId) || f.severity === 'error'));
      assert.deepEqual(
        mine.map((f) => `${f.at.file}:${f.at.line} ${f.ruleId}`).sort(),
        expect.map((m) => `${m.file}:${m.line} ${m.ruleId}`).sort(),
        mine.map(describeFinding).join('\n'),
      );
      for (const m of related) {
        assert.ok(
          mine.some((f) => f.ruleId === m.ruleId && f.related.some((x) => x.at.file === m.file && x.at.line === m.line)),
          `no ${m.ruleId} finding with a related location at ${m.file}:${m.line}`,
        );
      }
    });
  }
});

test('a chart default is reported at the nearest written key and says the default applies', async () => {
  const r = await lint({ paths: [rel(path.join(SEEDS, 'http-on-2379-chart-default.yaml'))], cwd: ROOT, rules, strict: true });
  const f = r.findings.find((x) => x.ruleId === 'scheme-port-mismatch');
  assert.ok(f);
  assert.match(f.message, /chart default kubeEtcd\.serviceMonitor\.scheme: http, kube-prometheus-stack 39\.4\.0/);
  assert.match(f.message, /\(from kube-prometheus-stack values, chart 39\.4\.0\)/);
});

test('Helm merge: maps merge, lists replace, null deletes', () => {
  const base = { a: { b: 1, c: [1, 2], d: 'x' }, e: true };
  mergeValues(base, { a: { c: [3], d: null }, f: 1 });
  assert.deepEqual(base, { a: { b: 1, c: [3] }, e: true, f: 1 });
});

test('version-dependent defaults: etcd 2379 before 40.0.1, scheduler 10251 before 29.0.0', () => {
  const port = (v: string) => versionDefaults(v).find((d) => d.path.join('.') === 'kubeEtcd.service.port')?.value;
  assert.equal(port('39.13.3'), 2379);
  assert.equal(port('40.0.1'), undefined);
  assert.equal(port('legacy-9.3.2'), 2379);
  assert.equal(versionDefaults('28.0.2').find((d) => d.path.join('.') === 'kubeScheduler.service.port')?.value, 10251);
  assert.equal(versionDefaults('29.0.0').find((d) => d.path.join('.') === 'kubeScheduler.service.port'), undefined);
});

test('unknown keys: did-you-mean, wrong parent, other versions, free-form maps', () => {
  const u = unknownKeys(
    {
      prometheusSpec: { secrets: [] },
      kubeControllerManager: { service: { enable: true } },
      nodeExporter: { serviceMonitor: {} },
      prometheus: { prometheusSpec: { podMetadata: { labels: { x: 'y' } }, additionalScrapeConfigs: [{ job_name: 'a' }] } },
      kubeEtcd: { service: { selector: { component: 'etcd' } } },
    },
    '88.5.3',
    'kube-prometheus-stack',
    '88.5.3',
  );
  assert.deepEqual(
    u.map((x) => `${x.path.join('.')} ${x.kind}`),
    ['prometheusSpec misplaced', 'kubeControllerManager.service.enable typo', 'nodeExporter.serviceMonitor other-version'],
  );
});

test('kubeDns: off by default; when enabled, one Service with both ports and a two-endpoint ServiceMonitor, located at the values', async () => {
  const off = await lint({ paths: [rel(path.join(SEEDS, 'http-on-2379-explicit.yaml'))], cwd: ROOT, rules, strict: true });
  assert.equal(off.graph.byKind('Service').filter((s) => s.name.endsWith('-kube-dns')).length, 0);

  const dir = path.join(SEEDS, 'kube-dns-enabled');
  const file = rel(path.join(dir, 'values.yaml'));
  const r = await lint({ paths: [rel(dir)], cwd: ROOT, rules, strict: true });
  const svc = r.graph.get('Service', 'kube-system', 'kube-prometheus-stack-kube-dns');
  assert.ok(svc);
  assert.equal(svc.labels.jobLabel, 'kube-dns');
  assert.equal(svc.labels.app, 'kube-prometheus-stack-kube-dns');
  assert.deepEqual(svc.body.spec.ports, [
    { name: 'http-metrics-dnsmasq', port: 10054, protocol: 'TCP', targetPort: 10054 },
    { name: 'http-metrics-skydns', port: 10055, protocol: 'TCP', targetPort: 10055 },
  ]);
  assert.deepEqual(svc.body.spec.selector, { 'k8s-app': 'kube-dns' });
  assert.deepEqual([svc.locate(['spec', 'ports', 0, 'targetPort']).line, svc.locate(['spec', 'ports', 1, 'port']).line], [11, 13]);

  const sm = r.graph.byKind('ServiceMonitor').find((m) => m.name === 'kube-prometheus-stack-kube-dns');
  assert.ok(sm);
  const eps = sm.body.spec.endpoints as { port: string; interval?: string; relabelings?: unknown[]; bearerTokenFile?: string }[];
  assert.deepEqual(eps.map((e) => [e.port, e.interval, e.relabelings?.length ?? 0]), [
    ['http-metrics-dnsmasq', '30s', 1],
    ['http-metrics-skydns', '30s', 0],
  ]);
  assert.deepEqual(sm.body.spec.selector, { matchLabels: { app: 'kube-prometheus-stack-kube-dns', release: 'kube-prometheus-stack' } });
  const relabel = sm.locate(['spec', 'endpoints', 0, 'relabelings', 0]);
  assert.deepEqual([relabel.file, relabel.line], [file, 18]);
  // A chart default: at the nearest key the user wrote, saying the default applies.
  const token = sm.locate(['spec', 'endpoints', 1, 'bearerTokenFile']);
  assert.equal(token.line, 15);
  assert.match(token.template ?? '', /^chart default kubeDns\.serviceMonitor\.bearerTokenFile: \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token, kube-prometheus-stack 88\.5\.3/);
});
