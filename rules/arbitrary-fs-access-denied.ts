import { docsUrl, type Rule } from '../src/engine/rule.js';
import { deniesFileAccess, endpointsWithFiles } from '../src/targets/files.js';
import { securedMonitors } from '../src/targets/secured.js';

const ID = 'arbitrary-fs-access-denied';

const BEARER = 'it accesses file system via bearer token file which Prometheus specification prohibits';
const TLS = 'it accesses file system via tls config which Prometheus specification prohibits';

export const rule = {
  id: ID,
  title: 'ServiceMonitor reads files while the Prometheus denies file system access',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'very-high',
  rationale:
    'With spec.arbitraryFSAccessThroughSMs.deny: true (multi-tenant setups, OpenShift user-workload monitoring) the ' +
    'operator rejects every ServiceMonitor endpoint that names a file of the Prometheus pod: bearerTokenFile or ' +
    'tlsConfig caFile/certFile/keyFile. The whole ServiceMonitor is skipped and none of its targets is scraped.',
  check({ graph, targets, report }) {
    if (!targets.selection.prometheuses.some(deniesFileAccess)) return; // the common case: no Prometheus denies
    for (const m of securedMonitors(graph, 'ServiceMonitor')) {
      const proms = targets.selection.selecting(m).filter(deniesFileAccess);
      if (proms.length === 0) continue;
      for (const { index, files } of endpointsWithFiles(m)) {
        const label = `endpoints[${index}]`;
        // The operator checks bearerTokenFile first, then the tlsConfig files: one error per endpoint.
        const first = files.find((f) => f.field === 'bearerTokenFile') ?? files[0]!;
        const error = first.field === 'bearerTokenFile' ? BEARER : TLS;
        const all = files.map((f) => f.field).join(', ');
        const fix =
          'Reference Secrets instead, which the operator allows: authorization.credentials (or bearerTokenSecret) for the token, ' +
          'tlsConfig.ca / cert / keySecret for the certificates, in the namespace of the ServiceMonitor' +
          (files.some((f) => f.file.startsWith('/var/run/secrets/kubernetes.io/serviceaccount/'))
            ? '; for the Prometheus service-account token and CA, put the file paths into a scrapeClass of the Prometheus (scrape-class files are not checked)'
            : '') +
          '.';
        for (const prom of proms) {
          report({
            message:
              `${m.ref} ${label} reads files of the Prometheus pod (${all}), but ${prom.ref} sets ` +
              `arbitraryFSAccessThroughSMs.deny: true, so the operator rejects the whole ServiceMonitor ` +
              `("${m.namespace}/${m.name}" was rejected due to invalid configuration: ${label}: ${error}) and none of its targets is scraped. ${fix}`,
            at: m.locate(first.path),
            related: [{ at: prom.locate(['spec', 'arbitraryFSAccessThroughSMs', 'deny']), message: `arbitraryFSAccessThroughSMs.deny of ${prom.ref}` }],
          });
        }
      }
    }
  },
} satisfies Rule;
