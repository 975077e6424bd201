import { docsUrl, type Rule } from '../src/engine/rule.js';
import { agreed, componentFacts, componentScrapes } from '../src/sources/components/scrapes.js';

const ID = 'etcd-client-cert-required';

export const rule = {
  id: ID,
  title: 'etcd scraped over https on 2379 without the client certificate it requires',
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'etcd', 'tls', 'cross-check'],
  precision: 'high',
  rationale:
    'With --client-cert-auth=true (the default of kubeadm, k3s, RKE2 and Talos) etcd accepts a TLS connection on its ' +
    'client port 2379 only from a client that presents a certificate signed by the etcd CA. A scrape with a CA but no ' +
    'client certificate fails the handshake with "remote error: tls: bad certificate".',
  check({ graph, targets, report }) {
    for (const s of componentScrapes(graph, targets)) {
      if (s.component !== 'etcd' || s.port !== 2379 || s.scheme !== 'https' || s.clientCert) continue;
      const cca = agreed(componentFacts(graph, 'etcd'), (f) => f.body.clientCertAuth);
      if (!cca || cca.value !== true) continue;
      const f = cca.from;
      const how = f.body.defaults.clientCertAuth ?? '--client-cert-auth=true';
      report({
        message:
          `${s.what} scrapes etcd on 2379 (${s.portWhere}) over https without a client certificate, but etcd requires one (${how}; ` +
          `${f.body.from}). Prometheus will report "remote error: tls: bad certificate". Fix the monitor: add tlsConfig certFile and ` +
          'keyFile (or cert and keySecret) with a client certificate signed by the etcd CA, e.g. kubeadm\'s ' +
          'healthcheck-client.crt/.key in a Secret listed in the Prometheus spec.secrets. Or scrape etcd\'s plain metrics ' +
          'listener on 2381 (--listen-metrics-urls=http://0.0.0.0:2381) and keep client certificates on 2379.',
        at: s.at,
        related: [
          { at: f.locate(['clientCertAuth']), message: `client certificate authentication of etcd (${f.body.from})` },
          { at: s.portAt, message: `port 2379: ${s.portWhere}` },
        ],
      });
    }
  },
} satisfies Rule;
