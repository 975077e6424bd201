import { docsUrl, type Rule } from '../src/engine/rule.js';
import { agreed, componentFacts, componentScrapes, proxyFronts } from '../src/sources/components/scrapes.js';
import { isLoopback, portOf } from '../src/sources/components/flags.js';

const ID = 'etcd-metrics-not-listening';

/** The distribution's config file: the one in scope, or where RKE2/k3s read it (they rewrite their static pods). */
function distroFile(f: { file: string; body: { source: string; distribution: string } }): string {
  if (f.body.source === 'k3s' || f.body.source === 'rke2') return f.file;
  return f.body.distribution === 'rke2' ? '/etc/rancher/rke2/config.yaml (RKE2 rewrites its static pod manifests)' : '/etc/rancher/k3s/config.yaml';
}

export const rule = {
  id: ID,
  title: "etcd scraped on 2381 while its metrics listener is absent or bound to 127.0.0.1",
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'etcd', 'cross-check'],
  precision: 'high',
  rationale:
    "etcd serves plain-HTTP metrics on 2381 only when --listen-metrics-urls says so. kubeadm (1.16 and later) sets it to " +
    'http://127.0.0.1:2381, k3s and RKE2 do the same unless etcd-expose-metrics is true, and a manifest without the flag ' +
    'opens no metrics listener at all. Prometheus scrapes the node address and is refused.',
  check({ graph, targets, report }) {
    for (const s of componentScrapes(graph, targets)) {
      if (s.component !== 'etcd' || s.port !== 2381 || s.loopbackTarget) continue;
      const facts = componentFacts(graph, 'etcd');
      const urls = agreed(facts, (f) => f.body.listenMetricsUrls);
      if (!urls) continue;
      const on2381 = urls.value.filter((u) => portOf(u) === 2381);
      const reachable = on2381.filter((u) => !isLoopback(u));
      if (reachable.length > 0) continue;
      if (proxyFronts(graph, 2381)) continue;
      const f = urls.from;
      const listens =
        urls.value.length === 0
          ? f.body.source === 'k3s' && f.body.defaults.listenMetricsUrls
            ? f.body.defaults.listenMetricsUrls
            : 'etcd opens no metrics listener (no --listen-metrics-urls)'
          : on2381.length === 0
            ? `etcd's metrics listener is ${urls.value.join(',')}, not port 2381`
            : `etcd listens for metrics on ${on2381.join(',')} only`;
      const how = f.body.defaults.listenMetricsUrls && urls.value.length > 0 ? `${f.body.defaults.listenMetricsUrls}; ` : '';
      const sqlite = f.body.source === 'k3s' && urls.value.length === 0;
      const flagFix = sqlite
        ? 'start the k3s servers with cluster-init: true (embedded etcd) and etcd-expose-metrics: true, or stop scraping etcd on this cluster (kube-prometheus-stack: kubeEtcd.enabled: false)'
        : f.body.distribution === 'k3s' || f.body.distribution === 'rke2'
          ? `set etcd-expose-metrics: true in ${distroFile(f)} (it adds http://<node-ip>:2381 and keeps the loopback listener the probes use)`
          : f.body.source === 'kubeadm'
            ? 'set listen-metrics-urls: "http://0.0.0.0:2381" in etcd.local.extraArgs of the ClusterConfiguration (the probe keeps working: it follows the first URL)'
            : 'set --listen-metrics-urls=http://0.0.0.0:2381 in the etcd manifest (keep the liveness probe on a URL that still listens)';
      report({
        message:
          `${s.what} scrapes etcd on port 2381 (${s.portWhere}) at the node address, but ${listens} (${how}${f.body.from}). ` +
          `Prometheus will report "connect: connection refused". Fix etcd: ${flagFix}. Or scrape the client port 2379 with ` +
          'scheme: https and an etcd client certificate, or put a proxy on each node in front of 127.0.0.1:2381.',
        at: s.at,
        related: [
          { at: f.locate(['listenMetricsUrls']), message: `etcd metrics listener (${f.body.from})` },
          { at: s.portAt, message: `port 2381: ${s.portWhere}` },
        ],
      });
    }
  },
} satisfies Rule;
