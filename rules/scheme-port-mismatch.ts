import { docsUrl, type Rule } from '../src/engine/rule.js';
import { asArray, isObj } from '../src/model/resource.js';
import { KNOWN_PORTS, KNOWN_PORT_NUMBERS, declaredScheme, knownPort } from '../src/targets/ports.js';
import { resolveServicePort, serviceSelector } from '../src/targets/services.js';
import { componentScrapes, scopeMinVersion } from '../src/sources/components/scrapes.js';

const ID = 'scheme-port-mismatch';

const HTTP_TO_TLS = 'read: connection reset by peer" or "server returned HTTP status 400 Bad Request';
const HTTPS_TO_PLAIN = 'http: server gave HTTP response to HTTPS client';

/** The insecure control-plane ports, their secure successors and the release that switched them off. */
const SECURE_SUCCESSOR: Record<number, { port: number; off: string }> = {
  10251: { port: 10259, off: '1.23' },
  10252: { port: 10257, off: '1.22' },
};

/** Does a relabeling rewrite the scheme or the address? Then the endpoint's own settings do not decide. */
function rewritesTarget(ep: Record<string, unknown>): boolean {
  return asArray(ep.relabelings).some((r) => r.targetLabel === '__scheme__' || r.targetLabel === '__address__');
}

export const rule = {
  id: ID,
  title: 'Scheme does not match the TLS setting of a well-known component port',
  category: 'scheme',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['scheme', 'tls', 'cross-check'],
  precision: 'high',
  rationale:
    'Control-plane ports are either TLS-only (etcd client 2379, kubelet 10250, kube-controller-manager 10257, ' +
    'kube-scheduler 10259, kube-apiserver 6443) or plain HTTP (etcd metrics 2381, kube-proxy 10249, the old ' +
    'insecure ports 10251/10252, kubelet read-only 10255). Plain HTTP against a TLS port ends in "connection ' +
    'reset by peer" or 400 Bad Request; HTTPS against a plain port in "server gave HTTP response to HTTPS client".',
  check({ graph, targets, report }) {
    const version = scopeMinVersion(graph);
    for (const m of graph.byKind('ServiceMonitor')) {
      const services = targets.servicesFor(m);
      if (services.length === 0) continue;
      asArray(isObj(m.body.spec) ? m.body.spec.endpoints : undefined).forEach((ep, i) => {
        if (typeof ep.port !== 'string' || rewritesTarget(ep)) return;
        const scheme = typeof ep.scheme === 'string' ? ep.scheme.toLowerCase() : 'http';
        if (scheme !== 'http' && scheme !== 'https') return;
        for (const svc of services) {
          const resolved = resolveServicePort(graph, svc, ep.port);
          if (!resolved?.targetNumber || !KNOWN_PORT_NUMBERS.has(resolved.targetNumber)) continue;
          const evidence = [
            svc.name,
            ...Object.values(svc.labels),
            ...Object.values(serviceSelector(svc) ?? {}).map(String),
            m.name,
            ...Object.values(m.labels),
          ].join(' ');
          const known = knownPort(resolved.targetNumber, evidence);
          // The scheme the table expects: no finding (the common case, checked before reading any container).
          if (!known || known.tls === (scheme === 'https')) continue;
          // The component's own flags (listen URLs in args or env) win over the table.
          const sel = serviceSelector(svc);
          const containers = sel
            ? graph.podsForServiceSelector(svc.namespace ?? '', sel).flatMap((p) => asArray(p.spec.containers))
            : [];
          if (declaredScheme(containers, resolved.targetNumber) === scheme) continue;
          const successor = SECURE_SUCCESSOR[known.port];
          // On a release without the insecure port, no scheme is right: control-plane-insecure-port-disabled says so.
          if (successor && version && version.minor >= Number(successor.off.split('.')[1])) continue;
          const schemeWhere = typeof ep.scheme === 'string' ? `scheme: ${ep.scheme}` : 'no scheme (http by default)';
          const fix = known.tls
            ? `Set scheme: https with a tlsConfig${known.component === 'etcd' ? ' holding a client certificate, or scrape the plain metrics listener on 2381 (--listen-metrics-urls=http://0.0.0.0:2381)' : ''}.`
            : successor
              ? `Set scheme: http (or leave it unset), or better move to the secure port ${successor.port} with scheme: https: ` +
                `Kubernetes ${successor.off} switched port ${known.port} off.`
              : 'Set scheme: http (or leave it unset).';
          report({
            message:
              `${m.ref} endpoint "${ep.port}" uses ${schemeWhere}, but it resolves to port ${resolved.targetNumber} ` +
              `(${resolved.numberFrom} of ${svc.ref}), ${known.what}, which ${known.tls ? 'only speaks TLS' : 'speaks plain HTTP'}. ` +
              `Prometheus will report "${known.tls ? HTTP_TO_TLS : HTTPS_TO_PLAIN}". ${fix}`,
            at: m.locate(['spec', 'endpoints', i, typeof ep.scheme === 'string' ? 'scheme' : 'port']),
            related: [
              resolved.endpoints
                ? { at: resolved.endpoints.locate(['subsets']), message: `ports of ${resolved.endpoints.ref}` }
                : { at: svc.locate(resolved.index >= 0 ? ['spec', 'ports', resolved.index] : ['spec', 'ports']), message: `port "${ep.port}" of ${svc.ref}` },
            ],
          });
        }
      });
    }
    // Raw scrape jobs (prometheus.yml, additionalScrapeConfigs, ScrapeConfig) whose targets reach a component port.
    for (const s of componentScrapes(graph, targets)) {
      if (s.scraper.kind !== 'ScrapeJob') continue;
      const known = KNOWN_PORTS.find((k) => k.port === s.port && k.component === s.component);
      if (!known || known.tls === (s.scheme === 'https')) continue;
      const successor = SECURE_SUCCESSOR[known.port];
      if (successor && version && version.minor >= Number(successor.off.split('.')[1])) continue;
      report({
        message:
          `${s.what} scrapes ${s.portWhere} over ${s.scheme}${s.scraper.body.schemeWritten ? '' : ' (no scheme: http by default)'}, but port ${s.port} is ${known.what}, which ${known.tls ? 'only speaks TLS' : 'speaks plain HTTP'}. ` +
          `Prometheus will report "${known.tls ? HTTP_TO_TLS : HTTPS_TO_PLAIN}". ` +
          (known.tls ? `Set scheme: https with a tls_config${known.component === 'etcd' ? ' holding a client certificate (cert_file, key_file), or scrape the plain metrics listener on 2381' : ''}.` : 'Set scheme: http (or leave it unset).'),
        at: s.scraper.locate([s.scraper.body.schemeWritten ? 'scheme' : 'job_name']),
        related: [{ at: s.portAt, message: `port ${s.port}: ${s.portWhere}` }],
      });
    }
  },
} satisfies Rule;
