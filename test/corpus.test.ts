/**
 * False-positive guard on real repositories (../shared/corpus, written by others): no
 * error-level finding except the true positives listed here, each with its evidence. Every
 * expected one must be found.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { lint } from '../src/lint.js';
import { CORPUS } from './helpers/paths.js';

interface Expected {
  ruleId: string;
  file: string;
  /** A distinctive part of the message (the resource it names). */
  mentions: string;
  why: string;
}

const EXPECTED: Record<string, Expected[]> = {
  'values-wild': [
    {
      ruleId: 'helm-values-unknown-key',
      file: 'ricsanfre__pi-cluster__kubernetes__platform__kube-prometheus-stack__app__base__values.yaml',
      mentions: 'Did you mean "enabled"',
      why: 'SOURCE.md: kubeControllerManager.service.enable is a typo of enabled (silently ignored)',
    },
    {
      ruleId: 'helm-values-unknown-key',
      file: 'k3s-io__k3s-ansible__kube-prometheus-stack-values.yaml',
      mentions: 'Did you mean "externalUrl"',
      why: 'SOURCE.md: prometheus.prometheusSpec.exterrnalUrl is a typo of externalUrl (silently ignored)',
    },
    {
      ruleId: 'helm-values-type',
      file: 'AraaRashek__kube-prometheus-stack-values__kube-prometheus-stack-values.yaml',
      mentions: 'kubeScheduler.enabled',
      why: 'SOURCE.md: kubeScheduler.enabled: ture is a string, not a boolean',
    },
  ],
  'kps-rendered-sealer': [
    {
      ruleId: 'scheme-port-mismatch',
      file: 'kube-prometheus-stack/kube-prometheus-stack.yaml',
      mentions: 'kube-prometheus-stack-kube-etcd',
      why: 'SOURCE.md: chart 25.0.0 scrapes etcd over http on the TLS client port 2379',
    },
    {
      ruleId: 'monitor-not-selected',
      file: 'kube-prometheus-stack/kube-prometheus-stack.yaml',
      mentions: 'kube-prometheus-stack-kube-state-metrics',
      why:
        'kube-state-metrics 4.2.0 renders its ServiceMonitor without `release: kube-prometheus-stack`, which the ' +
        'Prometheus selects: prometheus-community/helm-charts#1631, fixed in chart 25.x by PR #1692 (releaseLabel)',
    },
  ],
  'kps-rendered-k2s': [
    {
      ruleId: 'monitor-not-selected',
      file: 'addons/monitoring/manifests/monitoring/grafana/servicemonitor.yaml',
      mentions: 'kube-prometheus-stack-grafana',
      why:
        "the Grafana subchart's ServiceMonitor carries no `release` label while the Prometheus selects " +
        '`release: kube-prometheus-stack` (prometheus-community/helm-charts#1867: Grafana metrics not collected by default)',
    },
  ],
  'kps-rendered-stianfro-lab': [
    {
      ruleId: 'monitor-not-selected',
      file: 'manifests/kube-prometheus.yaml',
      mentions: 'kube-prometheus-grafana',
      why: 'same Grafana subchart ServiceMonitor without `release: kube-prometheus` (helm-charts#1867)',
    },
  ],
  'fury-kubernetes-monitoring': [
    {
      ruleId: 'monitor-port-not-found',
      file: 'katalog/thanos/base/components/ruler/servicemonitor.yaml',
      mentions: 'port "reloader"',
      why:
        'the thanos-ruler ServiceMonitor scrapes port "reloader" but Service monitoring/thanos-ruler only has ports ' +
        'http and grpc, and nothing in the module adds one: that endpoint never yields a target',
    },
  ],
};

const folders = existsSync(CORPUS)
  ? readdirSync(CORPUS).filter((d) => statSync(path.join(CORPUS, d)).isDirectory()).sort()
  : [];

async function errorsIn(dir: string) {
  const r = await lint({ paths: ['.'], cwd: dir, rules });
  assert.deepEqual(r.notifications, [], 'internal errors');
  return r.findings.filter((f) => f.severity === 'error');
}

describe('real-world corpora', { skip: folders.length === 0 ? `no corpus at ${CORPUS}` : false }, () => {
  for (const folder of folders) {
    test(`${folder}: only the known true positives at error level`, async () => {
      const errors = await errorsIn(path.join(CORPUS, folder));
      const expected = EXPECTED[folder] ?? [];
      const unexpected = errors.filter((f) => !expected.some((e) => e.ruleId === f.ruleId && e.file === f.at.file && f.message.includes(e.mentions)));
      assert.deepEqual(unexpected.map((f) => `${f.at.file}:${f.at.line} ${f.ruleId}: ${f.message}`), [], 'unexpected error-level findings');
      for (const e of expected) {
        assert.ok(
          errors.some((f) => e.ruleId === f.ruleId && e.file === f.at.file && f.message.includes(e.mentions)),
          `expected ${e.ruleId} in ${e.file} (${e.why})`,
        );
      }
    });
  }

  // prometheus-operator's examples are independent scenarios: lint each on its own too.
  const examples = path.join(CORPUS, 'prometheus-operator-examples', 'example');
  const scenarios = existsSync(examples) ? readdirSync(examples).filter((d) => statSync(path.join(examples, d)).isDirectory()) : [];
  for (const s of scenarios) {
    test(`prometheus-operator-examples/${s} alone: no error`, async () => {
      const errors = await errorsIn(path.join(examples, s));
      assert.deepEqual(errors.map((f) => `${f.at.file}:${f.at.line} ${f.ruleId}: ${f.message}`), []);
    });
  }
});
