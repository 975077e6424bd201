import { docsUrl, type Rule } from '../src/engine/rule.js';
import { type Resource, isObj } from '../src/model/resource.js';
import { type ScrapeEndpoint, rewritesScheme, scrapeClasses, tlsFieldsSet, tlsSites } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';

const ID = 'tls-config-ignored';

/** Does the scrape class this monitor uses (named, or the default one) rewrite `__scheme__`? */
function classRewritesScheme(m: Resource, proms: readonly Resource[]): boolean {
  const spec = isObj(m.body.spec) ? m.body.spec : {};
  const named = typeof spec.scrapeClass === 'string' ? spec.scrapeClass : undefined;
  return proms.some((p) =>
    scrapeClasses(p).some((c) => (named ? c.name === named : c.body.default === true) && Array.isArray(c.body.relabelings) && rewritesScheme(c.body.relabelings.filter(isObj))),
  );
}

function where(ep: ScrapeEndpoint): string {
  const field = ep.monitor.kind === 'Probe' ? 'prober.scheme' : 'scheme';
  return ep.scheme === undefined ? `has no ${field} (http by default)` : `has ${field}: ${ep.scheme}`;
}

export const rule = {
  id: ID,
  title: 'tlsConfig on an endpoint that is scraped over plain HTTP',
  category: 'tls',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['tls', 'scheme'],
  precision: 'high',
  rationale:
    'Prometheus applies tls_config only to https connections. An endpoint with a tlsConfig (CA, client ' +
    'certificate, serverName) but no scheme, or scheme http, is scraped in plain text and the TLS settings are ' +
    'silently ignored: almost always a forgotten `scheme: https`, which fails against a TLS port with ' +
    '"400 Bad Request" or "connection reset by peer".',
  check({ graph, targets, report }) {
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig']) {
      for (const m of securedMonitors(graph, kind)) {
        // The sites of the endpoints' own tlsConfig objects, in endpoint order (most monitors have none).
        for (const site of tlsSites(m)) {
          if (site.purpose !== 'scrape' || !site.endpoint) continue;
          const ep = site.endpoint;
          const fields = tlsFieldsSet(site.tls);
          if (fields.length === 0) continue;
          if (ep.scheme !== undefined && ep.scheme.toLowerCase() !== 'http') continue; // https, or an invalid value (resource-schema)
          if (rewritesScheme(ep.relabelings) || classRewritesScheme(m, targets.selection.selecting(m))) continue;
          const probe = m.kind === 'Probe';
          const tlsPath = [...ep.path, 'tlsConfig'];
          const label = ep.label === 'spec' ? 'spec' : ep.label;
          report({
            message: probe
              ? `${m.ref} sets spec.tlsConfig (${fields.join(', ')}) but ${where(ep)}: the tlsConfig of a Probe applies to the request ` +
                'to the prober, which goes out as plain HTTP, so it is ignored. TLS settings for the probed targets belong in the ' +
                'blackbox exporter module (http.tls_config). Set prober.scheme: https if the prober itself serves TLS, or remove the tlsConfig.'
              : `${m.ref} ${label} sets tlsConfig (${fields.join(', ')}) but ${where(ep)}, so Prometheus never uses it: the target is ` +
                'scraped in plain text. Against a TLS port the scrape fails with "server returned HTTP status 400 Bad Request" or ' +
                '"read: connection reset by peer". Set scheme: https, or remove the tlsConfig if the target serves plain HTTP.',
            at: m.locate(tlsPath),
            ...(ep.scheme !== undefined ? { related: [{ at: m.locate(ep.schemePath), message: `scheme of ${m.ref} ${label}` }] } : {}),
          });
        }
      }
    }
  },
} satisfies Rule;
