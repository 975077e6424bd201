/**
 * Well-known metrics ports of Kubernetes components and whether they speak TLS.
 * Sources: ../shared/design/domain-control-plane.md (component flags and defaults by version).
 */
export interface KnownPort {
  component: string;
  port: number;
  tls: boolean;
  /** What the port is, in words. */
  what: string;
}

export const KNOWN_PORTS: readonly KnownPort[] = [
  { component: 'etcd', port: 2379, tls: true, what: "etcd's client port (TLS, client certificates required by kubeadm)" },
  { component: 'etcd', port: 2381, tls: false, what: "etcd's plain-HTTP metrics listener (--listen-metrics-urls)" },
  { component: 'kubelet', port: 10250, tls: true, what: "the kubelet's secure port" },
  { component: 'kubelet', port: 10255, tls: false, what: "the kubelet's read-only port" },
  { component: 'kube-controller-manager', port: 10257, tls: true, what: "kube-controller-manager's secure port" },
  { component: 'kube-controller-manager', port: 10252, tls: false, what: "kube-controller-manager's insecure port" },
  { component: 'kube-scheduler', port: 10259, tls: true, what: "kube-scheduler's secure port" },
  { component: 'kube-scheduler', port: 10251, tls: false, what: "kube-scheduler's insecure port" },
  { component: 'kube-apiserver', port: 6443, tls: true, what: "kube-apiserver's secure port" },
  { component: 'kube-proxy', port: 10249, tls: false, what: "kube-proxy's plain-HTTP metrics port" },
];

/** The numbers of KNOWN_PORTS: most ports are none of them, and then nothing else needs computing. */
export const KNOWN_PORT_NUMBERS: ReadonlySet<number> = new Set(KNOWN_PORTS.map((k) => k.port));

const KEYWORDS: Record<string, RegExp> = {
  etcd: /etcd/i,
  kubelet: /kubelet/i,
  'kube-controller-manager': /controller[-_]?manager/i,
  'kube-scheduler': /scheduler/i,
  'kube-apiserver': /api-?server/i,
  'kube-proxy': /kube-?proxy/i,
};

/**
 * The known port for this number, if the evidence (names, labels, selectors of the Service
 * and the monitor) names its component. A bare number is not enough: 2379 on a Service that
 * says nothing about etcd may be anything.
 */
export function knownPort(port: number, evidence: string): KnownPort | undefined {
  return KNOWN_PORTS.find((k) => k.port === port && KEYWORDS[k.component]!.test(evidence));
}

/**
 * The scheme the backing pods' own flags or environment give for a port (e.g.
 * `--listen-client-urls=http://0.0.0.0:2379`, `ETCD_LISTEN_CLIENT_URLS=http://...:2379`,
 * `--listen-metrics-urls=https://...:2381`). Used as evidence against the well-known table: the
 * component's own configuration wins. `undefined` when nothing says, or the pods disagree.
 */
export function declaredScheme(containers: readonly Record<string, unknown>[], port: number): 'http' | 'https' | undefined {
  const found = new Set<string>();
  const re = new RegExp(`\\b(https?)://[^\\s,"';]*:${port}(?![0-9])`, 'g');
  const scan = (v: unknown) => {
    if (typeof v !== 'string') return;
    for (const m of v.matchAll(re)) found.add(m[1]!);
  };
  for (const c of containers) {
    for (const list of [c.command, c.args]) if (Array.isArray(list)) list.forEach(scan);
    if (Array.isArray(c.env)) for (const e of c.env) if (e && typeof e === 'object') scan((e as Record<string, unknown>).value);
  }
  return found.size === 1 ? ([...found][0] as 'http' | 'https') : undefined;
}
