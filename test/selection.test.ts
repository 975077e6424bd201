/**
 * Selection verdicts put their reasons into words when read, yet look like plain verdicts to rules
 * and plugins: the same `why`, `missing` and `field` on every branch, and JSON with exactly the
 * public fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceGraph } from '../src/model/graph.js';
import type { Resource } from '../src/model/resource.js';
import { Selection } from '../src/targets/selection.js';

function resource(kind: string, name: string, namespace: string, labels: Record<string, string>, spec: unknown = {}): Resource {
  return {
    kind,
    apiVersion: kind === 'Namespace' ? 'v1' : 'monitoring.coreos.com/v1',
    name,
    namespace: kind === 'Namespace' ? undefined : namespace,
    namespaceExplicit: true,
    labels,
    annotations: {},
    body: { metadata: { name, namespace, labels }, spec },
    file: 'x.yaml',
    ref: `${kind} ${kind === 'Namespace' ? name : `${namespace}/${name}`}`,
    locate: () => ({ file: 'x.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 }),
  };
}

test('verdicts on every branch: selected, field, why and missing, also through JSON', () => {
  const sm = resource('ServiceMonitor', 'app', 'shop', { release: 'other' });
  const g = new ResourceGraph([
    sm,
    resource('Namespace', 'shop', '', { team: 'a' }),
    resource('Prometheus', 'own-ns', 'monitoring', {}, { serviceMonitorSelector: {} }),
    resource('Prometheus', 'bad-ns', 'monitoring', {}, { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: { matchLabels: 'x' } }),
    resource('Prometheus', 'ns-lacks', 'monitoring', {}, { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: { matchLabels: { team: 'b' } } }),
    resource('Prometheus', 'labels', 'monitoring', {}, { serviceMonitorSelector: { matchLabels: { release: 'kps' } }, serviceMonitorNamespaceSelector: {} }),
    resource('Prometheus', 'nil-sel', 'monitoring', {}, { serviceMonitorNamespaceSelector: {} }),
    resource('Prometheus', 'yes', 'monitoring', {}, { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {} }),
  ]);
  const plain = new Selection(g).verdicts(sm).map((v) => JSON.parse(JSON.stringify({ ...v, prometheus: v.prometheus.name, why: v.why, missing: v.missing })));
  assert.deepEqual(plain, [
    { prometheus: 'own-ns', selected: 'no', why: 'serviceMonitorNamespaceSelector is not set, so Prometheus monitoring/own-ns only looks in its own namespace "monitoring"', field: 'serviceMonitorNamespaceSelector' },
    { prometheus: 'bad-ns', selected: 'no', why: 'serviceMonitorNamespaceSelector is not a valid label selector', field: 'serviceMonitorNamespaceSelector' },
    { prometheus: 'ns-lacks', selected: 'no', why: 'Namespace "shop" lacks `team: b` (it has `team: a`) required by serviceMonitorNamespaceSelector', field: 'serviceMonitorNamespaceSelector' },
    { prometheus: 'labels', selected: 'no', why: 'it lacks `release: kps` (it has `release: other`)', field: 'serviceMonitorSelector', missing: ['`release: kps` (it has `release: other`)'] },
    { prometheus: 'nil-sel', selected: 'no', why: 'Prometheus monitoring/nil-sel has no serviceMonitorSelector; a nil selector selects no ServiceMonitor', field: 'serviceMonitorSelector' },
    { prometheus: 'yes', selected: 'yes' },
  ]);
  // JSON of a verdict holds its public fields, words included, and nothing internal.
  const json = new Selection(g).verdicts(sm).map((v) => Object.keys(JSON.parse(JSON.stringify(v))));
  assert.deepEqual(json, [
    ['prometheus', 'selected', 'why', 'field'],
    ['prometheus', 'selected', 'why', 'field'],
    ['prometheus', 'selected', 'why', 'field'],
    ['prometheus', 'selected', 'why', 'field', 'missing'],
    ['prometheus', 'selected', 'why', 'field'],
    ['prometheus', 'selected'],
  ]);
});

test('a namespace without a Namespace object makes a verdict unknown, unless the labels fail first', () => {
  const sm = resource('ServiceMonitor', 'app', 'shop', { release: 'kps' });
  const g = new ResourceGraph([
    sm,
    resource('Prometheus', 'p', 'monitoring', {}, { serviceMonitorSelector: { matchLabels: { release: 'kps' } }, serviceMonitorNamespaceSelector: { matchLabels: { team: 'a' } } }),
    resource('Prometheus', 'q', 'monitoring', {}, { serviceMonitorSelector: { matchLabels: { release: 'x' } }, serviceMonitorNamespaceSelector: { matchLabels: { team: 'a' } } }),
  ]);
  const [p, q] = new Selection(g).verdicts(sm);
  assert.deepEqual({ selected: p!.selected, why: p!.why, field: p!.field, missing: p!.missing }, {
    selected: 'unknown',
    why: 'the scope holds no Namespace object for "shop", so its labels are unknown',
    field: 'serviceMonitorNamespaceSelector',
    missing: undefined,
  });
  assert.equal(q!.selected, 'no');
  assert.deepEqual(q!.missing, ['`release: x` (it has `release: kps`)']);
});
