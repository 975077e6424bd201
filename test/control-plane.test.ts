/**
 * Component configuration and raw Prometheus configuration sources (issue 6): flag parsing,
 * kubeadm extraArgs shapes, positions inside ConfigMap block scalars, Prometheus relabeling
 * semantics, additionalScrapeConfigs Secrets, and raw jobs on the targets page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lint } from '../src/lint.js';
import { containerFlags, isLoopback, lastFlag } from '../src/sources/components/flags.js';
import { componentConfigs } from '../src/sources/components/model.js';
import { type Labels, compileRegex, normalizeRule, relabel } from '../src/sources/prometheus-config/relabel.js';
import { scrapeJobs } from '../src/sources/prometheus-config/model.js';
import { TargetModel } from '../src/targets/model.js';

async function graphOf(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-cp-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const r = await lint({ paths: ['.'], cwd: dir, rules: [], strict: true });
    return r.graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('flags: --flag=value, --flag value, bare booleans and sh -c strings', () => {
  const flags = containerFlags({ command: ['kube-scheduler', '--port', '0', '--bind-address=127.0.0.1', '--leader-elect'], args: ['--v=2'] });
  assert.equal(lastFlag(flags, 'port')?.value, '0');
  assert.deepEqual(lastFlag(flags, 'port')?.path, ['command', 2]);
  assert.equal(lastFlag(flags, 'bind-address')?.value, '127.0.0.1');
  assert.equal(lastFlag(flags, 'leader-elect')?.value, 'true');
  assert.equal(lastFlag(flags, 'v')?.value, '2');
  const sh = containerFlags({ command: ['/bin/sh', '-c', 'exec etcd --listen-metrics-urls=http://127.0.0.1:2381 --client-cert-auth=true'] });
  assert.equal(lastFlag(sh, 'listen-metrics-urls')?.value, 'http://127.0.0.1:2381');
  assert.ok(isLoopback('http://127.0.0.1:2381') && isLoopback('[::1]:10249') && !isLoopback('0.0.0.0:10249'));
});

test('kubeadm extraArgs as a v1beta3 map and a v1beta4 list give the same facts', async () => {
  for (const [api, args] of [
    ['v1beta3', 'scheduler:\n  extraArgs:\n    bind-address: 0.0.0.0\n'],
    ['v1beta4', 'scheduler:\n  extraArgs:\n    - name: bind-address\n      value: 0.0.0.0\n'],
  ] as const) {
    const g = await graphOf({ 'kubeadm.yaml': `apiVersion: kubeadm.k8s.io/${api}\nkind: ClusterConfiguration\nkubernetesVersion: v1.30.4\n${args}` });
    const cs = componentConfigs(g.byKind('ComponentConfig'));
    const sched = cs.find((c) => c.body.component === 'kube-scheduler')!;
    const kcm = cs.find((c) => c.body.component === 'kube-controller-manager')!;
    assert.equal(sched.body.bindAddress, '0.0.0.0', api);
    assert.equal(sched.locate(['bindAddress']).line, 6, api);
    assert.equal(kcm.body.bindAddress, '127.0.0.1', api);
    assert.equal(sched.body.insecurePort, 0, 'Kubernetes 1.30 has no insecure port');
    assert.equal(cs.find((c) => c.body.component === 'etcd')!.body.clientCertAuth, true);
  }
});

test('KubeProxyConfiguration inside the kube-proxy ConfigMap: positions map into the block scalar', async () => {
  const g = await graphOf({
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\ndata:\n  config.conf: |-\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n    kind: KubeProxyConfiguration\n    metricsBindAddress: 127.0.0.1:10249\n',
  });
  const kp = componentConfigs(g.byKind('ComponentConfig')).find((c) => c.body.component === 'kube-proxy')!;
  assert.equal(kp.body.metricsBindAddress, '127.0.0.1:10249');
  const at = kp.locate(['metricsBindAddress']);
  assert.deepEqual([at.line, at.column, at.endColumn], [10, 5, 40]);
});

test('relabeling: anchored regex, separator, default regex, replace feeding keep, unknown values', () => {
  const labels: Labels = new Map([
    ['__meta_kubernetes_namespace', 'kube-system'],
    ['__meta_kubernetes_service_name', 'etcd'],
    ['__meta_kubernetes_endpoint_port_name', 'http-metrics'],
  ]);
  const keep = (regex: string, extra: Record<string, unknown> = {}) =>
    normalizeRule({ source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], action: 'keep', regex, ...extra }, 0, false);
  assert.equal(relabel(labels, [keep('kube-system;etcd;http')]).result, 'dropped', 'fully anchored');
  assert.equal(relabel(labels, [keep('kube-system;etcd;http.*')]).result, 'kept');
  assert.equal(relabel(labels, [keep('kube-system,etcd,http-metrics', { separator: ',' })]).result, 'kept');
  assert.equal(relabel(labels, [keep('kube-system;etcd;http')]).compared, 'kube-system;etcd;http-metrics');
  const copy = normalizeRule({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'svc' }, 0, false);
  const keepSvc = normalizeRule({ source_labels: ['svc'], action: 'keep', regex: 'etcd' }, 1, false);
  assert.equal(relabel(labels, [copy, keepSvc]).result, 'kept', 'default regex (.*) and replacement $1');
  const node = normalizeRule({ source_labels: ['__meta_kubernetes_pod_node_name'], action: 'keep', regex: 'a' }, 0, false);
  assert.equal(relabel(labels, [node]).result, 'unknown', 'an absent discovery label only the cluster knows');
  const lbl = normalizeRule({ source_labels: ['__meta_kubernetes_service_label_app'], action: 'keep', regex: 'x' }, 0, false);
  assert.equal(relabel(labels, [lbl]).result, 'dropped', 'an absent object label is ""');
  assert.ok(compileRegex('(?P<ns>[a-z-]+);.*')?.test('kube-system;etcd'));
  assert.equal(compileRegex('(?U)a+'), undefined);
});

test('additionalScrapeConfigs from a base64 Secret data key becomes a ScrapeJob of that Prometheus', async () => {
  const cfg = Buffer.from('- job_name: etcd\n  static_configs:\n    - targets: [10.0.0.5:2381]\n').toString('base64');
  const g = await graphOf({
    'p.yaml': `apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  additionalScrapeConfigs:\n    name: extra\n    key: extra.yaml\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\n  namespace: monitoring\ndata:\n  extra.yaml: ${cfg}\n`,
  });
  const [job] = scrapeJobs(g.byKind('ScrapeJob'));
  assert.equal(job?.body.jobName, 'etcd');
  assert.equal(job?.body.prometheus, 'monitoring/k8s');
  assert.equal(job?.locate(['static_configs']).line, 17, 'base64 data: the key line');
  const view = new TargetModel(g).report().prometheuses[0]!;
  assert.deepEqual(view.jobs.map((j) => [j.name, j.targets.map((t) => t.address)]), [['etcd', ['10.0.0.5:2381']]]);
});

test('raw prometheus.yml jobs are listed on the targets page with the targets relabeling keeps', async () => {
  const g = await graphOf({
    'prometheus.yml': 'scrape_configs:\n  - job_name: dns\n    kubernetes_sd_configs:\n      - role: endpoints\n    relabel_configs:\n      - source_labels: [__meta_kubernetes_endpoint_port_name]\n        action: keep\n        regex: metrics\n',
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-dns\n  namespace: kube-system\nspec:\n  selector: {k8s-app: kube-dns}\n  ports:\n    - {name: dns, port: 53}\n    - {name: metrics, port: 9153}\n',
  });
  const raw = new TargetModel(g).report().rawJobs ?? [];
  assert.deepEqual(raw.map((j) => [j.name, j.targets.map((t) => t.portName)]), [['dns', ['metrics']]]);
});
