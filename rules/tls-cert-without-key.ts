import { docsUrl, type Rule } from '../src/engine/rule.js';
import { type Obj, isObj } from '../src/model/resource.js';
import { type TlsSite, tlsSites } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';

const ID = 'tls-cert-without-key';

const set = (v: unknown) => v !== undefined && v !== null;
const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
/** A SecretOrConfigMap is "zero" for the operator when it names neither a Secret nor a ConfigMap. */
const namesObject = (v: unknown) => isObj(v) && (set(v.secret) || set(v.configMap));

interface Half {
  field: string;
  present: boolean;
}

/** What the operator sees of the client certificate and key of one tlsConfig. */
function halves(site: TlsSite): { cert: Half; key: Half } {
  const t: Obj = site.tls;
  // SafeTLSConfig has no file fields: the API server prunes them, so they do not count.
  const certFile = site.full && nonEmpty(t.certFile);
  const keyFile = site.full && nonEmpty(t.keyFile);
  return {
    cert: { field: certFile ? 'certFile' : 'cert', present: certFile || namesObject(t.cert) },
    key: { field: keyFile ? 'keyFile' : 'keySecret', present: keyFile || set(t.keySecret) },
  };
}

export const rule = {
  id: ID,
  title: 'Client certificate without client key, or key without certificate',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls'],
  precision: 'very-high',
  rationale:
    'A TLS client certificate is useless without its private key and the reverse. The operator validates every ' +
    'tlsConfig (TLSConfig.Validate / SafeTLSConfig.Validate) and rejects a monitor whose tlsConfig has only one ' +
    'half ("cannot specify client cert without client key"): none of its endpoints is scraped.',
  check({ graph, report }) {
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig', 'Prometheus', 'PrometheusAgent']) {
      // Monitors without a tlsConfig have no site: only those that set one are visited.
      for (const r of kind === 'Prometheus' || kind === 'PrometheusAgent' ? graph.byKind(kind) : securedMonitors(graph, kind)) {
        for (const site of tlsSites(r)) {
          const { cert, key } = halves(site);
          if (cert.present === key.present) continue;
          const has = cert.present ? cert : key;
          const lacks = cert.present ? key : cert;
          const error = site.full
            ? cert.present ? 'cannot specify client cert without client key' : 'cannot specify client key without client cert'
            : cert.present ? 'client cert specified without client key' : 'client key specified without client cert';
          const effect =
            site.purpose === 'scrapeClass'
              ? `The operator validates scrape classes and fails to generate the configuration of ${r.ref} ("${error}").`
              : `The operator rejects ${r.ref} ("${error}"; log "skipping object", Event InvalidConfiguration, alert ` +
                'PrometheusOperatorRejectedResources), so none of its targets is scraped.';
          const missingField = site.full ? (cert.present ? 'keyFile or keySecret' : 'certFile or cert') : lacks.field;
          report({
            message:
              `${r.ref} ${site.field} has a client ${cert.present ? 'certificate' : 'key'} (${has.field}) but no client ` +
              `${cert.present ? 'key' : 'certificate'}. ${effect} Add ${missingField} next to ${has.field}` +
              `, or remove ${has.field} if the target does not ask for a client certificate.`,
            at: r.locate([...site.path, has.field]),
          });
        }
      }
    }
  },
} satisfies Rule;
