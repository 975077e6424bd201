import { docsUrl, type Rule } from '../src/engine/rule.js';
import type { RelatedLocation } from '../src/model/finding.js';
import { type Resource, isObj } from '../src/model/resource.js';
import { mountedNames, scopeDefinesSecrets } from '../src/targets/files.js';
import { didYouMean } from '../src/targets/services.js';
import { type SecretDefinition, definedSecret, objectReferences, secretEvidence, secretNamesIn, secretsNamed } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';
import type { ResourceGraph } from '../src/model/graph.js';

const ID = 'tls-secret-missing';

function evidence(graph: ResourceGraph, ns: string): RelatedLocation[] {
  const e: SecretDefinition | undefined = secretEvidence(graph, ns);
  return e ? [{ at: e.from.locate(e.path), message: `the scope defines other Secrets, e.g. ${e.from.ref}` }] : [];
}

function suggestion(graph: ResourceGraph, ns: string, name: string): string {
  const s = didYouMean(name, secretNamesIn(graph, ns));
  return s ? `Did you mean "${s}"? ` : '';
}

/** Monitors that read files of this spec.secrets entry (for the related locations). */
function readers(graph: ResourceGraph, prom: Resource, name: string): RelatedLocation[] {
  const prefix = `/etc/prometheus/secrets/${name}/`;
  const out: RelatedLocation[] = [];
  for (const m of securedMonitors(graph, 'ServiceMonitor')) {
    if (out.length >= 1) break;
    const eps = isObj(m.body.spec) && Array.isArray(m.body.spec.endpoints) ? (m.body.spec.endpoints as unknown[]) : [];
    eps.forEach((ep, i) => {
      if (!isObj(ep) || out.length >= 1) return;
      const tls = isObj(ep.tlsConfig) ? ep.tlsConfig : {};
      const files: [unknown, (string | number)[]][] = [
        ...['caFile', 'certFile', 'keyFile'].map((f): [unknown, (string | number)[]] => [tls[f], ['spec', 'endpoints', i, 'tlsConfig', f]]),
        [ep.bearerTokenFile, ['spec', 'endpoints', i, 'bearerTokenFile']],
      ];
      for (const [file, path] of files) {
        if (typeof file === 'string' && file.startsWith(prefix) && out.length < 1)
          out.push({ at: m.locate(path), message: `${m.ref} reads a file of it (${prom.ref} mounts it)` });
      }
    });
  }
  return out;
}

export const rule = {
  id: ID,
  title: 'Secret mounted by Prometheus or referenced by a monitor is not defined in scope',
  category: 'tls',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'medium',
  rationale:
    'A Secret listed in the Prometheus spec.secrets must exist in the Prometheus namespace, or the pods stay in ' +
    'ContainerCreating. A Secret referenced by a monitor (tlsConfig ca/cert/keySecret, basicAuth, authorization, ' +
    'bearerTokenSecret, oauth2) must exist with that key in the monitor\'s namespace, or the operator rejects the ' +
    'monitor. When the repository defines its Secrets, one that is missing from it is probably missing in the cluster.',
  check({ graph, report }) {
    if (!scopeDefinesSecrets(graph)) return; // open world: Secrets are managed outside the repository
    for (const kind of ['Prometheus', 'PrometheusAgent']) {
      for (const prom of graph.byKind(kind)) {
        if (prom.annotations['scrapelint.io/external'] === 'true') continue; // its Secrets live where it is defined
        const ns = prom.namespace ?? '';
        const list = isObj(prom.body.spec) && Array.isArray(prom.body.spec.secrets) ? (prom.body.spec.secrets as unknown[]) : [];
        list.forEach((raw, i) => {
          if (typeof raw !== 'string' || raw === '' || !mountedNames(prom, 'secrets').includes(raw)) return;
          if (secretsNamed(graph, raw).length > 0) return; // defined here, or elsewhere (tls-secret-ref-wrong-namespace)
          report({
            message:
              `${prom.ref} lists "${raw}" in spec.secrets, but nothing in the scope defines Secret ${ns}/${raw}. Unless it is created ` +
              `outside this repository, the Prometheus pods stay in ContainerCreating with "MountVolume.SetUp failed for volume ` +
              `"secret-${raw}" : secret "${raw}" not found". ${suggestion(graph, ns, raw)}Create the Secret in namespace "${ns}", ` +
              'or remove the entry from spec.secrets.',
            at: prom.locate(['spec', 'secrets', i]),
            related: [...readers(graph, prom, raw), ...evidence(graph, ns)],
          });
        });
      }
    }
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig']) {
      for (const m of securedMonitors(graph, kind)) {
        for (const ref of objectReferences(m)) {
          if (ref.kind !== 'Secret') continue;
          const def = definedSecret(graph, ref.namespace, ref.name);
          const prefix = `${ref.endpoint.label === 'spec' ? '' : `${ref.endpoint.label}: `}${ref.wrapper ? `${ref.wrapper}: ` : ''}`;
          const rejected =
            `the operator rejects ${m.ref} ("${m.namespace}/${m.name}" was rejected due to invalid configuration: ${prefix}`;
          if (!def) {
            if (secretsNamed(graph, ref.name).length > 0) continue; // exists in another namespace: tls-secret-ref-wrong-namespace
            report({
              message:
                `${m.ref} ${ref.field} references Secret "${ref.name}", but nothing in the scope defines Secret ${ref.namespace}/${ref.name}. ` +
                `The operator looks it up in the monitor's namespace "${ref.namespace}"; unless it is created outside this repository, ` +
                `${rejected}unable to get secret "${ref.name}": secrets "${ref.name}" not found") and none of its targets is scraped. ` +
                `${suggestion(graph, ref.namespace, ref.name)}Create the Secret in namespace "${ref.namespace}", or fix the name.`,
              at: m.locate([...ref.path, 'name']),
              related: evidence(graph, ref.namespace),
            });
            continue;
          }
          if (!def.keys || ref.key === undefined || def.keys.includes(ref.key)) continue; // unknown is not wrong
          const s = didYouMean(ref.key, def.keys);
          report({
            message:
              `${m.ref} ${ref.field} references key "${ref.key}" of Secret ${ref.namespace}/${ref.name}, but ${def.from.ref} defines ` +
              `only ${def.keys.length ? def.keys.map((k) => `"${k}"`).join(', ') : 'no keys'}, so ${rejected}key "${ref.key}" in secret ` +
              `"${ref.name}" not found") and none of its targets is scraped. ${s ? `Did you mean "${s}"? ` : ''}` +
              `Use one of the Secret's keys, or add "${ref.key}" to it.`,
            at: m.locate([...ref.path, 'key']),
            related: [{ at: def.from.locate(def.path), message: `keys of ${def.from.ref}` }],
          });
        }
      }
    }
  },
} satisfies Rule;
