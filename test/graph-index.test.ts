/**
 * The graph's indexes give exactly what a scan would: random objects, random selectors (matchLabels
 * and every matchExpressions operator), in one namespace and across all of them, against a plain
 * filter over every object in namespace order. And DistinctBodies against pairwise sameBody.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DistinctBodies, ResourceGraph, sameBody } from '../src/model/graph.js';
import type { Resource } from '../src/model/resource.js';
import { type LabelSelector, selectorMatches } from '../src/model/selector.js';
import { params } from './helpers/property.js';

const KEYS = ['app', 'tier', 'team', 'release'];
const VALUES = ['a', 'b', 'c', 'kps'];
const NAMESPACES = ['shop', 'monitoring', 'default', 'kube-system'];

function resource(kind: string, name: string, namespace: string, labels: Record<string, string>, body: object = {}): Resource {
  return {
    kind,
    apiVersion: 'v1',
    name,
    namespace,
    namespaceExplicit: true,
    labels,
    annotations: {},
    body: { metadata: { name, namespace, labels }, ...body },
    file: 'x.yaml',
    ref: `${kind} ${namespace}/${name}`,
    locate: () => ({ file: 'x.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 }),
  };
}

const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const objectsArb = fc.array(fc.record({ kind: fc.constantFrom('Service', 'Deployment'), ns: fc.constantFrom(...NAMESPACES), labels: labelsArb }), { maxLength: 40 });
const requirementArb = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: labelsArb, matchExpressions: fc.array(requirementArb, { maxLength: 3 }) },
  { requiredKeys: [] },
);

test('selectLabels, selectLabelsIn and podsForLabelSelectorIn equal a scan in namespace order', () => {
  fc.assert(
    fc.property(objectsArb, selectorArb, fc.subarray(NAMESPACES), (objects, sel, some) => {
      const resources = objects.map((o, i) =>
        o.kind === 'Service'
          ? resource('Service', `s${i}`, o.ns, o.labels)
          : resource('Deployment', `d${i}`, o.ns, {}, { spec: { template: { metadata: { labels: o.labels }, spec: {} } } }),
      );
      const g = new ResourceGraph(resources);
      const order = [...g.namespaces()];
      const scan = (namespaces: readonly string[]) => namespaces.flatMap((n) => resources.filter((r) => r.kind === 'Service' && r.namespace === n && selectorMatches(sel, r.labels)));
      const scanPods = (namespaces: readonly string[]) =>
        namespaces.flatMap((n) => resources.filter((r) => r.kind === 'Deployment' && r.namespace === n && selectorMatches(sel, r.body.spec.template.metadata.labels)));
      for (const n of NAMESPACES) assert.deepEqual(g.selectLabels('Service', n, sel), scan([n]));
      assert.deepEqual(g.selectLabelsIn('Service', 'all', sel), scan(order));
      assert.deepEqual(g.selectLabelsIn('Service', some, sel), scan(some));
      assert.deepEqual(g.podsForLabelSelectorIn('all', sel).map((p) => p.owner), scanPods(order));
      assert.deepEqual(g.podsForLabelSelectorIn(some, sel).map((p) => p.owner), scanPods(some));
    }),
    params(300),
  );
});

test('the across-namespaces index follows objects added later', () => {
  const g = new ResourceGraph([resource('Service', 'a', 'shop', { app: 'a' })]);
  assert.equal(g.selectLabelsIn('Service', 'all', { matchLabels: { app: 'a' } }).length, 1);
  g.add(resource('Service', 'b', 'other', { app: 'a' }));
  assert.deepEqual(g.selectLabelsIn('Service', 'all', { matchLabels: { app: 'a' } }).map((r) => r.name), ['a', 'b']);
});

test('indexes built on first use (a kind\'s labels, a namespace\'s labels) follow objects added later', () => {
  const g = new ResourceGraph([resource('Service', 'a', 'shop', { app: 'a' })]);
  assert.deepEqual(g.selectLabels('Service', 'shop', { matchLabels: { app: 'a' } }).map((r) => r.name), ['a']);
  assert.deepEqual(g.inNamespace('Deployment', 'shop'), []);
  assert.deepEqual(g.namespaceLabels('shop'), { labels: { 'kubernetes.io/metadata.name': 'shop' }, known: false });
  g.add(resource('Service', 'b', 'shop', { app: 'a' }));
  g.add(resource('Deployment', 'd', 'shop', { app: 'a' }));
  g.add(resource('Namespace', 'shop', undefined as unknown as string, { team: 'x' }));
  assert.deepEqual(g.selectLabels('Service', 'shop', { matchLabels: { app: 'a' } }).map((r) => r.name), ['a', 'b']);
  assert.deepEqual(g.inNamespace('Deployment', 'shop').map((r) => r.name), ['d']);
  assert.deepEqual(g.namespaceLabels('shop'), { labels: { team: 'x', 'kubernetes.io/metadata.name': 'shop' }, known: true });
});

const bodyArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 1, '1', true, null, 0),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('node'), { maxKeys: 3 }),
  ),
})).node;

test('DistinctBodies.add says "new" exactly when no body added before is sameBody-equal (key order does not count)', () => {
  fc.assert(
    fc.property(fc.array(bodyArb, { maxLength: 8 }), fc.boolean(), (bodies, reverseKeys) => {
      const d = new DistinctBodies();
      const seen: unknown[] = [];
      for (const b of bodies) {
        // The same body with its keys in another order must count as equal.
        const twin = reverseKeys && b && typeof b === 'object' && !Array.isArray(b) ? Object.fromEntries(Object.entries(b).reverse()) : b;
        const expected = !seen.some((o) => sameBody(o, twin));
        assert.equal(d.add(twin), expected);
        if (expected) seen.push(twin);
      }
    }),
    params(500),
  );
});
