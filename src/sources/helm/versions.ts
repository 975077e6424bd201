/**
 * Chart versions and the defaults that depend on them (../shared/design/domain-kps.md, section 5).
 * Versions of the legacy stable/prometheus-operator chart are written `legacy-X.Y.Z` and sort
 * before every kube-prometheus-stack version.
 */

export function parseVersion(v: string): { legacy: boolean; parts: number[] } | undefined {
  const m = /^(legacy-)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  return { legacy: m[1] !== undefined, parts: [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)] };
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return 0;
  if (x.legacy !== y.legacy) return x.legacy ? -1 : 1;
  for (let i = 0; i < 3; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! - y.parts[i]!;
  return 0;
}

/** Is chart version `v` (kube-prometheus-stack numbering) at least `min`? Legacy versions never are. */
export function atLeast(v: string, min: string): boolean {
  return compareVersions(v, min) >= 0;
}

/** "1.27", "v1.27.3" -> [1, 27]; undefined when not a version. */
export function kubeMinor(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^v?1\.(\d+)/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

export interface VersionDefault {
  path: readonly string[];
  value: unknown;
  /** Why this default differs from the newest values.yaml. */
  note: string;
}

/**
 * Defaults of `chartVersion` that differ from the newest values.yaml, for the keys the adapter
 * synthesizes from. The scheduler/controller-manager nulls are resolved later, by Kubernetes version.
 */
export function versionDefaults(chartVersion: string): VersionDefault[] {
  const out: VersionDefault[] = [];
  const legacy = parseVersion(chartVersion)?.legacy ?? false;
  const before = (min: string) => legacy || !atLeast(chartVersion, min);
  if (before('40.0.1')) {
    out.push({ path: ['kubeEtcd', 'service', 'port'], value: 2379, note: 'etcd client port 2379 before chart 40.0.1' });
    out.push({ path: ['kubeEtcd', 'service', 'targetPort'], value: 2379, note: 'etcd client port 2379 before chart 40.0.1' });
  }
  if (before('29.0.0')) {
    for (const [c, port] of [['kubeScheduler', 10251], ['kubeControllerManager', 10252]] as const) {
      out.push({ path: [c, 'service', 'port'], value: port, note: `fixed port ${port} before chart 29.0.0` });
      out.push({ path: [c, 'service', 'targetPort'], value: port, note: `fixed port ${port} before chart 29.0.0` });
      out.push({ path: [c, 'serviceMonitor', 'https'], value: false, note: 'https: false before chart 29.0.0' });
      out.push({ path: [c, 'serviceMonitor', 'insecureSkipVerify'], value: null, note: 'no default before chart 29.0.0' });
    }
  }
  if (before('14.4.0')) {
    // <c>.enabled switched both the Service and the ServiceMonitor.
    for (const c of ['kubeEtcd', 'kubeScheduler', 'kubeControllerManager', 'kubeProxy']) {
      out.push({ path: [c, 'service', 'enabled'], value: true, note: 'no service.enabled before chart 14.4.0' });
      out.push({ path: [c, 'serviceMonitor', 'enabled'], value: true, note: 'no serviceMonitor.enabled before chart 14.4.0' });
    }
  }
  if (before('45.19.0')) out.push({ path: ['kubernetesServiceMonitors', 'enabled'], value: true, note: 'no kubernetesServiceMonitors before chart 45.19.0' });
  if (before('64.0.0') && !before('63.0.0')) {
    for (const s of ['serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig', 'rule']) {
      out.push({ path: ['prometheus', 'prometheusSpec', `${s}SelectorNilUsesHelmValues`], value: false, note: 'chart 63.x: value-driven selectors' });
      out.push({ path: ['prometheus', 'prometheusSpec', `${s}Selector`], value: { matchLabels: { release: '{{ $.Release.Name }}' } }, note: 'chart 63.x: value-driven selectors' });
    }
  }
  return out;
}
