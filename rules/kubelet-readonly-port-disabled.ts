import { docsUrl, type Rule } from '../src/engine/rule.js';
import { agreed, componentFacts, componentScrapes } from '../src/sources/components/scrapes.js';

const ID = 'kubelet-readonly-port-disabled';

/** The distribution's config file: the one in scope, or where RKE2/k3s read it (they rewrite their static pods). */
function distroFile(f: { file: string; body: { source: string; distribution: string } }): string {
  if (f.body.source === 'k3s' || f.body.source === 'rke2') return f.file;
  return f.body.distribution === 'rke2' ? '/etc/rancher/rke2/config.yaml (RKE2 rewrites its static pod manifests)' : '/etc/rancher/k3s/config.yaml';
}

export const rule = {
  id: ID,
  title: "The kubelet's read-only port 10255 is scraped while it is switched off",
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'kubelet', 'cross-check'],
  precision: 'medium',
  rationale:
    "The kubelet's plain-HTTP read-only port 10255 is off (readOnlyPort: 0) whenever the kubelet starts from a " +
    'KubeletConfiguration that does not set it: kubeadm, k3s and RKE2 all leave it off. A scrape of 10255 is refused. ' +
    'Kubelet flags can still open it and a repository rarely shows them, so without them the finding is a warning.',
  check({ graph, targets, report }) {
    for (const s of componentScrapes(graph, targets)) {
      if (s.component !== 'kubelet' || s.port !== 10255) continue;
      const ro = agreed(componentFacts(graph, 'kubelet'), (f) => f.body.readOnlyPort);
      if (!ro || ro.value !== 0) continue;
      const f = ro.from;
      // Certain only when the scope also shows the kubelet's flags (kubeadm kubeletExtraArgs, k3s/RKE2 kubelet-arg).
      const certain = f.body.distribution === 'k3s' || f.body.distribution === 'rke2' || f.body.flags['scrapelint.io/args-shown'] === 'true';
      const how = f.body.defaults.readOnlyPort ? f.body.defaults.readOnlyPort : 'readOnlyPort: 0';
      const flagFix =
        f.body.distribution === 'k3s' || f.body.distribution === 'rke2'
          ? `add read-only-port=10255 to kubelet-arg in ${distroFile(f)}`
          : 'set readOnlyPort: 10255 in the KubeletConfiguration';
      report({
        message:
          `${s.what} scrapes the kubelet on its read-only port 10255 (${s.portWhere}), but the read-only port is off (${how}; ${f.body.from})` +
          `${certain ? '' : ', unless kubelet flags the repository does not show pass --read-only-port'}. Prometheus will report ` +
          '"connect: connection refused". Fix the monitor: scrape the secure port 10250 (port "https-metrics") with scheme: https, ' +
          'the service account token and RBAC get on nodes/metrics. Or, if unauthenticated metrics are acceptable, ' +
          `${flagFix}.`,
        at: s.at,
        related: [
          { at: f.locate(['readOnlyPort']), message: `kubelet read-only port (${f.body.from})` },
          { at: s.portAt, message: `port 10255: ${s.portWhere}` },
        ],
        ...(certain ? {} : { severity: 'warning' as const }),
      });
    }
  },
} satisfies Rule;
