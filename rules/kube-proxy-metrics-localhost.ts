import { docsUrl, type Rule } from '../src/engine/rule.js';
import { componentConfigs, type ComponentConfig } from '../src/sources/components/model.js';
import { agreed, componentScrapes, proxyFronts } from '../src/sources/components/scrapes.js';
import { isLoopback } from '../src/sources/components/flags.js';

const ID = 'kube-proxy-metrics-localhost';

/**
 * The kube-proxy facts that decide: a DaemonSet (or static pod) without --config decides by its
 * flags; with --config the KubeProxyConfiguration does; k3s/RKE2 config otherwise.
 */
function effective(all: ComponentConfig[]): ComponentConfig[] {
  const runners = all.filter((c) => c.body.source === 'kube-proxy-daemonset' || c.body.source === 'static-pod');
  if (runners.length > 0 && runners.every((r) => !r.body.configFile)) return runners;
  const files = all.filter((c) => c.body.source === 'kube-proxy-config');
  if (files.length > 0) return files;
  if (runners.length > 0) return [];
  return all.filter((c) => c.body.source === 'k3s' || c.body.source === 'rke2');
}

/** The distribution's config file: the one in scope, or where RKE2/k3s read it (they rewrite their static pods). */
function distroFile(f: { file: string; body: { source: string; distribution: string } }): string {
  if (f.body.source === 'k3s' || f.body.source === 'rke2') return f.file;
  return f.body.distribution === 'rke2' ? '/etc/rancher/rke2/config.yaml (RKE2 rewrites its static pod manifests)' : '/etc/rancher/k3s/config.yaml';
}

export const rule = {
  id: ID,
  title: 'kube-proxy metrics bound to 127.0.0.1 while kube-proxy is scraped',
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'kube-proxy', 'cross-check'],
  precision: 'high',
  rationale:
    "kube-proxy serves metrics on 10249 at its metricsBindAddress, which defaults to 127.0.0.1:10249 when it is empty or " +
    'absent (kubeadm leaves it empty; k3s and RKE2 keep the default). Prometheus scrapes the node address and is refused. ' +
    'When kube-proxy runs with --config, a --metrics-bind-address flag next to it does nothing.',
  check({ graph, targets, report }) {
    const all = componentConfigs(graph.byKind('ComponentConfig')).filter((c) => c.body.component === 'kube-proxy');
    // The flag next to --config is ignored: say so wherever it is written.
    for (const c of all) {
      if (c.body.configFile && c.body.flags['metrics-bind-address'] !== undefined && (c.body.source === 'kube-proxy-daemonset' || c.body.source === 'static-pod')) {
        const cfg = all.find((x) => x.body.source === 'kube-proxy-config');
        report({
          message:
            `${c.body.from} passes --metrics-bind-address=${c.body.flags['metrics-bind-address']} next to --config, and kube-proxy ignores ` +
            'every flag but logging and --hostname-override when --config is given. Set metricsBindAddress in the ' +
            'KubeProxyConfiguration (the kube-proxy ConfigMap\'s config.conf) instead, and remove the flag.',
          at: c.locate(['flagMetricsBindAddress']),
          related: [
            { at: c.locate(['configFile']), message: '--config' },
            ...(cfg ? [{ at: cfg.locate(['metricsBindAddress']), message: `metricsBindAddress (${cfg.body.from})` }] : []),
          ],
          severity: 'warning',
        });
      }
    }
    const facts = effective(all);
    for (const s of componentScrapes(graph, targets)) {
      if (s.component !== 'kube-proxy' || s.port !== 10249 || s.loopbackTarget) continue;
      const addr = agreed(facts, (f) => f.body.metricsBindAddress);
      if (!addr || !isLoopback(addr.value)) continue;
      if (proxyFronts(graph, 10249)) continue;
      const f = addr.from;
      const how = f.body.defaults.metricsBindAddress ? `${f.body.defaults.metricsBindAddress}; ` : '';
      const flagFix =
        f.body.distribution === 'k3s' || f.body.distribution === 'rke2'
          ? `add metrics-bind-address=0.0.0.0:10249 to kube-proxy-arg in ${distroFile(f)}`
          : f.body.source === 'kube-proxy-config'
            ? `set metricsBindAddress: "0.0.0.0:10249" in the KubeProxyConfiguration${f.body.owner ? ` of ${f.body.owner}` : ''} and restart the kube-proxy pods`
            : 'pass --metrics-bind-address=0.0.0.0:10249 to kube-proxy';
      report({
        message:
          `${s.what} scrapes kube-proxy on port 10249 (${s.portWhere}) at the node address, but kube-proxy serves metrics on ` +
          `${addr.value} only (${how}${f.body.from}). Prometheus will report "connect: connection refused". Fix kube-proxy: ` +
          `${flagFix}. Or keep the loopback bind and front it with kube-rbac-proxy on the host network (scrape that proxy's port instead).`,
        at: s.at,
        related: [
          { at: f.locate(['metricsBindAddress']), message: `metricsBindAddress of kube-proxy (${f.body.from})` },
          { at: s.portAt, message: `port 10249: ${s.portWhere}` },
        ],
      });
    }
  },
} satisfies Rule;
