/**
 * The quick looks of src/targets/secured.ts leave nothing out: for random monitors (endpoints with
 * random TLS, credential and file fields, of every type, and entries that are not objects), a
 * monitor outside securedMonitors has no TLS site, no Secret reference and no file, and the cached
 * tlsSites / objectReferences equal the uncached reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ResourceGraph } from '../src/model/graph.js';
import type { Resource } from '../src/model/resource.js';
import { objectReferences, readObjectReferences, readTlsSites, tlsSites } from '../src/targets/references.js';
import { endpointFiles } from '../src/targets/files.js';
import { securedMonitors } from '../src/targets/secured.js';
import { params } from './helpers/property.js';

const KINDS = ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig'] as const;

const secret = fc.constantFrom({ name: 's', key: 'k' }, { name: '', key: 'k' }, { name: 's' });
const leaf = fc.oneof(fc.constant(null), fc.constant('x'), fc.constant(3), fc.constant([]), fc.constant({}));
const tlsConfig = fc.oneof(
  leaf,
  fc.record(
    {
      ca: fc.oneof(leaf, fc.record({ secret }), fc.record({ configMap: secret })),
      cert: fc.oneof(leaf, fc.record({ secret })),
      keySecret: fc.oneof(leaf, secret),
      caFile: fc.constantFrom('', '/etc/prometheus/secrets/a/ca.crt', '/etc/ssl/ca.crt'),
      insecureSkipVerify: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
);
const endpoint = fc.oneof(
  { weight: 1, arbitrary: leaf },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        port: fc.constant('metrics'),
        scheme: fc.constantFrom('http', 'https'),
        tlsConfig,
        bearerTokenSecret: fc.oneof(leaf, secret),
        bearerTokenFile: fc.oneof(leaf, fc.constantFrom('', '/var/run/secrets/kubernetes.io/serviceaccount/token')),
        basicAuth: fc.oneof(leaf, fc.record({ username: secret, password: secret }, { requiredKeys: [] })),
        authorization: fc.oneof(leaf, fc.record({ type: fc.constant('Bearer'), credentials: secret }, { requiredKeys: [] })),
        oauth2: fc.oneof(leaf, fc.record({ clientId: fc.record({ secret }), clientSecret: secret, tlsConfig }, { requiredKeys: [] })),
        proxyConnectHeader: fc.oneof(leaf, fc.record({ 'X-Auth': fc.oneof(secret, fc.array(secret, { maxLength: 2 })) }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  },
);
const monitor = fc.record({ kind: fc.constantFrom(...KINDS), endpoints: fc.array(endpoint, { maxLength: 3 }), spec: fc.oneof(leaf, endpoint) });

function resource(kind: string, name: string, spec: unknown): Resource {
  return {
    kind,
    apiVersion: 'monitoring.coreos.com/v1',
    name,
    namespace: 'monitoring',
    namespaceExplicit: true,
    labels: {},
    annotations: {},
    body: { metadata: { name, namespace: 'monitoring' }, spec },
    file: 'x.yaml',
    ref: `${kind} monitoring/${name}`,
    locate: () => ({ file: 'x.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 }),
  };
}

test('a monitor outside securedMonitors has no TLS site, reference or file; the cached lists equal the reads', () => {
  fc.assert(
    fc.property(fc.array(monitor, { maxLength: 12 }), (specs) => {
      const resources = specs.map((s, i) => {
        // Probes and ScrapeConfigs keep their endpoint fields in spec itself.
        const spec = s.kind === 'ServiceMonitor' ? { endpoints: s.endpoints } : s.kind === 'PodMonitor' ? { podMetricsEndpoints: s.endpoints } : s.spec;
        return resource(s.kind, `m${i}`, spec);
      });
      const graph = new ResourceGraph(resources);
      for (const kind of KINDS) {
        const secured = new Set(securedMonitors(graph, kind));
        assert.deepEqual([...secured], graph.byKind(kind).filter((m) => secured.has(m)), 'graph order');
        for (const m of graph.byKind(kind)) {
          assert.deepEqual(tlsSites(m), readTlsSites(m));
          assert.deepEqual(objectReferences(m), readObjectReferences(m));
          if (secured.has(m)) continue;
          assert.deepEqual(readTlsSites(m), [], `${m.ref}: TLS site outside securedMonitors`);
          assert.deepEqual(readObjectReferences(m), [], `${m.ref}: reference outside securedMonitors`);
          const eps: unknown = m.body.spec?.endpoints;
          if (Array.isArray(eps)) eps.forEach((ep, i) => ep && typeof ep === 'object' && !Array.isArray(ep) && assert.deepEqual(endpointFiles(ep, i), [], `${m.ref}: file outside securedMonitors`));
        }
      }
    }),
    params(300),
  );
});

test('securedMonitors follows objects added to the graph later', () => {
  const graph = new ResourceGraph([resource('ServiceMonitor', 'plain', { endpoints: [{ port: 'web' }] })]);
  assert.deepEqual(securedMonitors(graph, 'ServiceMonitor'), []);
  graph.add(resource('ServiceMonitor', 'tls', { endpoints: [{ port: 'web', tlsConfig: { serverName: 'x' } }] }));
  assert.deepEqual(securedMonitors(graph, 'ServiceMonitor').map((m) => m.name), ['tls']);
});
