import { docsUrl, type Rule } from '../src/engine/rule.js';
import type { RelatedLocation } from '../src/model/finding.js';
import { type Resource, isObj } from '../src/model/resource.js';
import { type SecretDefinition, definedSecret, objectReferences, secretsNamed } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';
import type { ResourceGraph } from '../src/model/graph.js';

const ID = 'tls-secret-ref-wrong-namespace';

/**
 * The definitions of Secret `name` outside `ns`, when they certainly live elsewhere: `owner` has
 * its namespace written, the Secret is not in `ns`, and every definition elsewhere has its
 * namespace written and is not copied around (reflector, replicator). Otherwise undefined.
 */
function elsewhere(graph: ResourceGraph, owner: Resource, ns: string, name: string): SecretDefinition[] | undefined {
  if (!owner.namespaceExplicit) return undefined; // kubectl apply -n / helm -n decide where the owner lands
  if (definedSecret(graph, ns, name)) return undefined;
  const others = secretsNamed(graph, name);
  if (others.length === 0 || others.some((d) => !d.namespaceExplicit || d.replicated)) return undefined;
  return [...others];
}

function related(defs: readonly SecretDefinition[]): RelatedLocation[] {
  return defs.slice(0, 3).map((d) => ({ at: d.from.locate(d.path), message: d.from.kind === 'Secret' ? `${d.from.ref}` : `${d.from.ref} creates Secret ${d.namespace}/${d.name}` }));
}

const quoteNamespaces = (defs: readonly SecretDefinition[]) => [...new Set(defs.map((d) => `"${d.namespace}"`))].join(', ');

export const rule = {
  id: ID,
  title: 'Secret reference resolves in a namespace where the Secret does not exist',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'high',
  rationale:
    'The operator resolves every Secret reference of a monitor (tlsConfig ca/cert/keySecret, basicAuth, ' +
    'authorization, bearerTokenSecret, oauth2) in the monitor\'s own namespace, and mounts spec.secrets from the ' +
    'Prometheus namespace. A Secret that exists only in another namespace, typically the Prometheus namespace, ' +
    'is not found: the monitor is rejected, or the Prometheus pods cannot start (prometheus-operator#1606).',
  check({ graph, report }) {
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig']) {
      for (const m of securedMonitors(graph, kind)) {
        for (const ref of objectReferences(m)) {
          if (ref.kind !== 'Secret') continue;
          const defs = elsewhere(graph, m, ref.namespace, ref.name);
          if (!defs) continue;
          const prefix = `${ref.endpoint.label === 'spec' ? '' : `${ref.endpoint.label}: `}${ref.wrapper ? `${ref.wrapper}: ` : ''}`;
          const target = defs[0]!.namespace;
          report({
            message:
              `${m.ref} ${ref.field} references Secret "${ref.name}", which the scope defines only in namespace ${quoteNamespaces(defs)}, ` +
              `not in the monitor's namespace "${ref.namespace}". A monitor's Secret references resolve in its own namespace ` +
              `(prometheus-operator#1606), so the operator rejects ${m.ref} ("${m.namespace}/${m.name}" was rejected due to invalid ` +
              `configuration: ${prefix}unable to get secret "${ref.name}": secrets "${ref.name}" not found) and none of its targets ` +
              `is scraped. Create (or replicate) the Secret in namespace "${ref.namespace}", or move ${m.ref} to namespace "${target}".`,
            at: m.locate([...ref.path, 'name']),
            related: related(defs),
          });
        }
      }
    }
    for (const kind of ['Prometheus', 'PrometheusAgent']) {
      for (const prom of graph.byKind(kind)) {
        if (prom.annotations['scrapelint.io/external'] === 'true') continue; // its Secrets live where it is defined
        const ns = prom.namespace ?? '';
        const list = isObj(prom.body.spec) && Array.isArray(prom.body.spec.secrets) ? (prom.body.spec.secrets as unknown[]) : [];
        list.forEach((name, i) => {
          if (typeof name !== 'string' || name === '') return;
          const defs = elsewhere(graph, prom, ns, name);
          if (!defs) return;
          report({
            message:
              `${prom.ref} lists "${name}" in spec.secrets, but the scope defines Secret "${name}" only in namespace ${quoteNamespaces(defs)}. ` +
              `spec.secrets are mounted from the Prometheus' own namespace "${ns}", so the pods stay in ContainerCreating with ` +
              `"MountVolume.SetUp failed for volume "secret-${name}" : secret "${name}" not found". Create (or replicate) the Secret ` +
              `in namespace "${ns}".`,
            at: prom.locate(['spec', 'secrets', i]),
            related: related(defs),
          });
        });
      }
    }
  },
} satisfies Rule;
