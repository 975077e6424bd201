import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { rewritesScheme, tlsSites } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';

const ID = 'insecure-skip-verify';

export const rule = {
  id: ID,
  title: 'TLS certificate verification is switched off',
  category: 'tls',
  severity: 'note',
  docs: docsUrl(ID),
  tags: ['tls', 'security'],
  precision: 'very-high',
  rationale:
    'insecureSkipVerify: true makes Prometheus accept any certificate the target presents. The scrape works, but ' +
    'the connection, and any bearer token or password sent over it, is open to interception. A CA (ca or caFile) ' +
    'plus a serverName that the certificate names verifies the target instead.',
  check({ graph, report }) {
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig', 'Prometheus', 'PrometheusAgent']) {
      // Monitors without a tlsConfig have no site: only those that set one are visited.
      for (const r of kind === 'Prometheus' || kind === 'PrometheusAgent' ? graph.byKind(kind) : securedMonitors(graph, kind)) {
        for (const site of tlsSites(r)) {
          if (site.tls.insecureSkipVerify !== true) continue;
          // A chart default the user never wrote is the chart's choice, not advice for this repository.
          if (r.annotations['scrapelint.io/synthesized-from'] === 'helm-values' && r.locate([...site.path, 'insecureSkipVerify']).template?.startsWith('chart default ')) continue;
          const ep = site.endpoint;
          // A tlsConfig on a plain-HTTP scrape is never used: tls-config-ignored reports that.
          if (site.purpose === 'scrape' && ep && (ep.scheme === undefined || ep.scheme.toLowerCase() === 'http') && !rewritesScheme(ep.relabelings)) continue;
          const caSet = (isObj(site.tls.ca) && (isObj(site.tls.ca.secret) || isObj(site.tls.ca.configMap))) || (typeof site.tls.caFile === 'string' && site.tls.caFile !== '');
          const serverName = typeof site.tls.serverName === 'string' && site.tls.serverName !== '';
          const advice = caSet
            ? `A CA is already set: if it signed the target certificate, remove insecureSkipVerify${serverName ? '' : ' and set serverName to a name the target certificate carries (needed when targets are scraped by IP and the certificate has no IP SANs: "x509: cannot validate certificate for <ip> because it doesn\'t contain any IP SANs")'}.`
            : site.full
              ? 'Set ca (a Secret or ConfigMap key with the CA that signed the server certificate) or caFile, plus serverName when targets are scraped by IP, and remove insecureSkipVerify.'
              : `Set ca (a Secret or ConfigMap key with the CA that signed the server certificate)${site.purpose === 'oauth2' ? '' : ', plus serverName when targets are scraped by IP,'} and remove insecureSkipVerify.`;
          const kubelet = /kubelet/.test([r.name, ...Object.values(r.labels), JSON.stringify(isObj(r.body.spec) ? r.body.spec.selector ?? '' : '')].join(' '));
          const caveat = kubelet
            ? ' For the kubelet, verification works only when its serving certificates are signed by the cluster CA ' +
              '(serverTLSBootstrap: true in the KubeletConfiguration, and the CSRs approved); self-signed kubelet certificates need the skip.'
            : '';
          report({
            message:
              `${r.ref} ${site.field} sets insecureSkipVerify: true: Prometheus accepts any certificate ` +
              `${site.purpose === 'oauth2' ? 'from the OAuth2 token endpoint' : 'the target presents'}, so the connection` +
              `${site.purpose === 'oauth2' ? ' and the client secret sent over it are' : ' and any credentials sent over it are'} open to interception. ${advice}${caveat}`,
            at: r.locate([...site.path, 'insecureSkipVerify']),
          });
        }
      }
    }
  },
} satisfies Rule;
