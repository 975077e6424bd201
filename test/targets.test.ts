/**
 * `scrapelint targets`: the offline Status > Targets page, on examples/ and on the real
 * kube-prometheus manifests, as text and JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BIN, CORPUS, ROOT } from './helpers/paths.js';

interface TJob {
  job: string;
  scheme: string;
  targets: { address: string; port: number | null; labels: Record<string, string> }[];
  broken: { reason: string; file: string; line: number }[];
  partial?: string;
  findings: { ruleId: string; line: number }[];
}
interface TReport {
  prometheuses: { prometheus: { name: string; namespace: string }; jobs: TJob[] }[];
  unselected: { kind: string; namespace: string; name: string }[];
}

function targets(cwd: string, args: string[]): TReport {
  const r = spawnSync(process.execPath, [BIN, 'targets', ...args, '--format', 'json'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as TReport;
}

test('examples/: jobs, targets, label sets and the broken chains with their reasons', () => {
  const report = targets(ROOT, ['examples']);
  assert.equal(report.prometheuses.length, 1);
  const jobs = new Map(report.prometheuses[0]!.jobs.map((j) => [j.job, j]));
  const ledger = jobs.get('serviceMonitor/ledger/ledger/0')!;
  assert.deepEqual(ledger.targets.map((t) => [t.address, t.labels]), [
    ['[Deployment ledger/ledger]:9464', { job: 'ledger', namespace: 'ledger', service: 'ledger', endpoint: 'metrics' }],
  ]);
  const checkout = jobs.get('serviceMonitor/checkout/checkout/0')!;
  assert.equal(checkout.targets.length, 0);
  assert.match(checkout.broken[0]!.reason, /port "http-metric" matches no endpoint port of Service checkout\/checkout/);
  const events = jobs.get('serviceMonitor/monitoring/etcd-events/0')!;
  assert.deepEqual(events.targets.map((t) => t.address), ['10.40.8.11:2379', '10.40.8.12:2379', '10.40.8.13:2379']);
  assert.deepEqual([...new Set(events.findings.map((f) => f.ruleId))], ['tls-secret-not-mounted']);
  assert.deepEqual(jobs.get('serviceMonitor/monitoring/kps-kube-etcd/0')!.findings.map((f) => f.ruleId), ['scheme-port-mismatch']);
  assert.deepEqual(report.unselected.map((m) => `${m.kind} ${m.namespace}/${m.name}`), ['ServiceMonitor payments/payments-api']);
  const text = spawnSync(process.execPath, [BIN, 'targets', 'examples', '--no-color'], { cwd: ROOT, encoding: 'utf8' }).stdout;
  assert.match(text, /serviceMonitor\/monitoring\/etcd-events\/0 {2}3 targets, will fail/);
  assert.match(text, /Selected by no Prometheus in scope:\n {2}ServiceMonitor payments\/payments-api .*\n {4}Prometheus monitoring\/kps-prometheus: it lacks the label `release: kps`/);
});

test('kube-prometheus: every selected monitor becomes jobs; pods resolve through the workloads', { skip: !existsSync(path.join(CORPUS, 'kube-prometheus')) }, () => {
  const report = targets(path.join(CORPUS, 'kube-prometheus'), ['.']);
  const view = report.prometheuses.find((p) => p.prometheus.name === 'k8s')!;
  const jobs = new Map(view.jobs.map((j) => [j.job, j]));
  const ne = jobs.get('serviceMonitor/monitoring/node-exporter/0')!;
  assert.equal(ne.scheme, 'https');
  assert.deepEqual(ne.targets.map((t) => t.address), ['[DaemonSet monitoring/node-exporter]:9100']);
  // Control-plane Services are not in those manifests: unknown, never broken.
  const kubelet = jobs.get('serviceMonitor/monitoring/kubelet/0')!;
  assert.equal(kubelet.broken.length, 0);
  assert.match(kubelet.partial!, /no Service/);
  assert.ok(view.jobs.every((j) => j.broken.length === 0), 'no broken chain in kube-prometheus');
  // Pods the operator creates for its own resources resolve by their known port names.
  assert.deepEqual(jobs.get('serviceMonitor/monitoring/prometheus-k8s/0')!.targets.map((t) => t.address), ['[pods of Prometheus monitoring/k8s]:9090']);
  assert.deepEqual(jobs.get('serviceMonitor/monitoring/alertmanager-main/1')!.targets.map((t) => t.port), [8080]);
  assert.deepEqual(report.unselected, []);
});
