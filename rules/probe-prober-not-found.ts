import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { didYouMean, servicePorts } from '../src/targets/services.js';
import { proberOf, serviceServesPort } from '../src/targets/blackbox.js';
import { objectsNamed } from '../src/targets/reverse.js';

const ID = 'probe-prober-not-found';

const rejected = (url: string) =>
  `the operator rejects the Probe ("${url}" url specified in proberSpec is invalid, it should be of the format ` +
  '`hostname` or `hostname:port`), so it is never scraped. That is certain, although this rule reports at warning level';

export const rule = {
  id: ID,
  title: 'Probe prober URL names no Service in scope, or carries a scheme',
  category: 'endpoints',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['probe'],
  precision: 'high',
  rationale:
    'Prometheus sends every request of a Probe to `prober.url` (host or host:port, no scheme), with the probed ' +
    'address as a parameter. A host that names no Service resolves nowhere and every probe fails with a DNS ' +
    'error; a URL with a scheme or a path is rejected by the operator, which then skips the Probe.',
  check({ graph, targets, report }) {
    for (const probe of graph.byKind('Probe')) {
      const prober = proberOf(graph, targets.selection.selecting(probe), probe);
      if (!prober) continue;
      const at = probe.locate(['spec', 'prober', 'url']);
      const { parsed, url } = prober;
      const scheme = isObj(probe.body.spec?.prober) && typeof probe.body.spec.prober.scheme === 'string' ? probe.body.spec.prober.scheme : 'http';
      if (parsed.kind === 'scheme') {
        report({
          message:
            `${probe.ref} sets prober.url "${url}" with a scheme: ${rejected(url)}. Write url: ${parsed.rest.replace(/\/.*$/, '') || '<host>:<port>'}` +
            (parsed.scheme === 'https' || parsed.scheme === 'http' ? ` and scheme: ${parsed.scheme} (the scheme has its own field).` : '.') +
            (/\/./.test(parsed.rest) ? ' A path goes into prober.path.' : ''),
          at,
        });
        continue;
      }
      if (parsed.kind === 'path') {
        report({
          message: `${probe.ref} sets prober.url "${url}" with a path: ${rejected(url)}. Write url: ${parsed.hostPort} and put the path in prober.path.`,
          at,
        });
        continue;
      }
      if (parsed.kind === 'invalid') {
        report({
          message: `${probe.ref} sets prober.url "${url}", which is not host or host:port (a port is a number from 1 to 65535): ${rejected(url)}.`,
          at,
        });
        continue;
      }
      if (prober.host?.kind !== 'service') continue; // IPs and outside hosts: unknown
      const host = prober.host;
      const svc = prober.service;
      if (svc) {
        const port = parsed.port ?? (scheme.toLowerCase() === 'https' ? 443 : 80);
        if (serviceServesPort(svc, port) !== false) continue;
        const ports = servicePorts(svc).map((p) => p.port).filter((p): p is number => typeof p === 'number');
        report({
          message:
            `${probe.ref} sends its probes to "${url}"${parsed.port === undefined ? ` (no port: ${scheme} defaults to ${port})` : ''}, ` +
            `but ${svc.ref} has no port ${port} (ports: ${ports.join(', ') || 'none'}). Every probe fails with \`connection refused\` ` +
            `or \`context deadline exceeded\`. Write url: ${parsed.host}:${ports.length === 1 ? ports[0] : '<port>'}` +
            (ports.includes(9115) ? " (9115 is the blackbox exporter's default port)." : '.'),
          at,
          related: [{ at: svc.locate(['spec', 'ports']), message: `ports of ${svc.ref}` }],
        });
        continue;
      }
      const namespaces = host.namespace ? [host.namespace] : prober.search;
      // Open world: only when the scope holds Services where the name resolves.
      if (namespaces.some((n) => graph.inNamespace('Service', n).length === 0)) continue;
      const local = namespaces.flatMap((n) => graph.inNamespace('Service', n));
      const suggestion = didYouMean(host.name, local.map((s) => s.name));
      const near = suggestion ? local.find((s) => s.name === suggestion) : undefined;
      const elsewhere = objectsNamed(graph, 'Service', host.name)[0];
      // No Prometheus in scope says where a bare name resolves: a Service of that name anywhere may be it.
      if (!host.namespace && !prober.searchKnown && elsewhere) continue;
      const where = namespaces.map((n) => `"${n}"`).join(', ');
      const form = host.namespace
        ? ''
        : prober.searchKnown
          ? ', where a bare name resolves (the namespace of the Prometheus pods that scrape it)'
          : " (a bare name resolves in the namespace of the Prometheus pods; no Prometheus in scope selects the Probe, so this is the Probe's own)";
      report({
        message:
          `${probe.ref} sends its probes to "${url}", but the scope holds no Service "${host.name}" in namespace ${where}${form}, ` +
          `so the name does not resolve and every probe fails (\`dial tcp: lookup ${parsed.host} on <dns>:53: no such host\`). ` +
          (near
            ? `Did you mean "${near.name}"?`
            : elsewhere
              ? `${elsewhere.ref} exists in another namespace: write url: ${host.name}.${elsewhere.namespace}.svc${parsed.port ? `:${parsed.port}` : ''}.`
              : 'Point url at the Service of the prober (the blackbox exporter listens on 9115), as <service>.<namespace>.svc:<port>.'),
        at,
        related: [...(near ? [near] : elsewhere ? [elsewhere] : local.slice(0, 2))].map((s) => ({ at: s.locate(['metadata', 'name']), message: `${s.ref}` })),
      });
    }
  },
} satisfies Rule;
