import { docsUrl, type Rule } from '../src/engine/rule.js';
import { agreed, componentFacts, componentScrapes, proxyFronts } from '../src/sources/components/scrapes.js';
import { isLoopback } from '../src/sources/components/flags.js';

const ID = 'control-plane-bind-localhost';

const NAMES = { 'kube-scheduler': 'scheduler', 'kube-controller-manager': 'controllerManager' } as const;
const K3S_KEY = { 'kube-scheduler': 'kube-scheduler-arg', 'kube-controller-manager': 'kube-controller-manager-arg' } as const;

/** The distribution's config file: the one in scope, or where RKE2/k3s read it (they rewrite their static pods). */
function distroFile(f: { file: string; body: { source: string; distribution: string } }): string {
  if (f.body.source === 'k3s' || f.body.source === 'rke2') return f.file;
  return f.body.distribution === 'rke2' ? '/etc/rancher/rke2/config.yaml (RKE2 rewrites its static pod manifests)' : '/etc/rancher/k3s/config.yaml';
}

export const rule = {
  id: ID,
  title: 'Scheduler or controller-manager bound to 127.0.0.1 while scraped on the node address',
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'cross-check'],
  precision: 'high',
  rationale:
    'kubeadm, k3s, RKE2 and Talos start kube-scheduler and kube-controller-manager with --bind-address=127.0.0.1. ' +
    'Their pods use the host network, so Prometheus scrapes them on the node address, where nothing listens: every ' +
    'target is refused and KubeSchedulerDown / KubeControllerManagerDown fire. A proxy on the node or a host-network ' +
    'Prometheus scraping 127.0.0.1 avoids it.',
  check({ graph, targets, report }) {
    for (const s of componentScrapes(graph, targets)) {
      if (s.component !== 'kube-scheduler' && s.component !== 'kube-controller-manager') continue;
      if (s.loopbackTarget) continue;
      const facts = componentFacts(graph, s.component);
      // Only the secure port follows --bind-address (the old insecure port is the other rule's business).
      const port = agreed(facts, (f) => f.body.securePort);
      if (!port || port.value !== s.port) continue;
      const bind = agreed(facts, (f) => f.body.bindAddress);
      if (!bind || !isLoopback(bind.value)) continue;
      const proxy = proxyFronts(graph, s.port);
      if (proxy) continue;
      const f = bind.from;
      const how = f.body.defaults.bindAddress ? `${f.body.defaults.bindAddress}` : `--bind-address=${bind.value}`;
      const flagFix =
        f.body.distribution === 'k3s' || f.body.distribution === 'rke2'
          ? `add bind-address=0.0.0.0 to ${K3S_KEY[s.component]} in ${distroFile(f)}`
          : f.body.source === 'kubeadm'
            ? `set bind-address: "0.0.0.0" in ${NAMES[s.component]}.extraArgs of the ClusterConfiguration (a list of name/value pairs in v1beta4), then re-run the control-plane phase`
            : `set --bind-address=0.0.0.0 in the manifest (and in the kubeadm ClusterConfiguration's ${NAMES[s.component]}.extraArgs, or kubeadm will write 127.0.0.1 back on upgrade)`;
      report({
        message:
          `${s.what} scrapes ${s.component} on port ${s.port} (${s.portWhere}) at the node address, but ${s.component} ` +
          `listens on ${bind.value}:${s.port} only (${how}; ${f.body.from}). Prometheus will report "connect: connection refused". ` +
          `Fix the component: ${flagFix}. Or keep the loopback bind and put a proxy on each node in front of 127.0.0.1:${s.port} ` +
          `(kube-rbac-proxy or a host-network socat/haproxy DaemonSet) and point the monitor at it.`,
        at: s.at,
        related: [
          { at: f.locate(['bindAddress']), message: `bind address of ${s.component} (${f.body.from})` },
          { at: s.portAt, message: `port ${s.port}: ${s.portWhere}` },
        ],
      });
    }
  },
} satisfies Rule;
