/** kustomize as scrapelint reads it: patches are not objects; `namespace:` reaches objects that write none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lint } from '../src/lint.js';
import { rules } from '../rules/index.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-kust-'));
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-scheduler\n  labels: {app: kube-scheduler}\nspec:\n  selector: {component: kube-scheduler}\n  ports: [{name: https-metrics, port: 10259}]\n';
const SM =
  'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: kube-scheduler\n  namespace: monitoring\nspec:\n  namespaceSelector: {matchNames: [kube-system]}\n  selector: {matchLabels: {app: kube-scheduler}}\n  endpoints: [{port: https-metrics, scheme: https}]\n';

test('namespace of an outer kustomization reaches objects without one, through nested bases', async () => {
  const dir = repo({
    'base/kustomization.yaml': 'resources: [service.yaml]\n',
    'base/service.yaml': SVC,
    'overlay/kustomization.yaml': 'namespace: kube-system\nresources: [../base, servicemonitor.yaml]\n',
    'overlay/servicemonitor.yaml': SM,
  });
  try {
    const r = await lint({ paths: ['.'], cwd: dir, rules });
    const svc = r.graph.byKind('Service')[0]!;
    assert.equal(svc.namespace, 'kube-system');
    assert.equal(r.graph.byKind('ServiceMonitor')[0]!.namespace, 'monitoring', 'a written namespace is left alone');
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'monitor-selects-nothing'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('patch files listed by a kustomization are not linted as objects', async () => {
  const dir = repo({
    'kustomization.yaml': 'resources: [service.yaml]\npatchesStrategicMerge: [patch-service.yaml]\npatches:\n  - path: patches/ports.yaml\n',
    'service.yaml': SVC,
    'patch-service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-scheduler\nspec:\n  selector: {component: other}\n',
    'patches/ports.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-scheduler\nspec:\n  ports: [{name: x, port: 1}]\n',
  });
  try {
    const r = await lint({ paths: ['.'], cwd: dir, rules });
    assert.deepEqual(r.graph.byKind('Service').map((s) => s.file), ['service.yaml']);
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'duplicate-resource'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
