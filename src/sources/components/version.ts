/** Kubernetes versions as `major.minor` comparisons (patch releases do not move port defaults). */
export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** `v1.30.4`, `1.30`, `v1.30.4-rke2r1`, `v1.28.2+k3s1` -> 1.30.4; `stable`, `latest` -> undefined. */
export function parseVersion(s: unknown): KubeVersion | undefined {
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(String(s).trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: String(s).trim() };
}

/** a >= b (major.minor only). */
export function atLeast(v: KubeVersion, minor: number, major = 1): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The Kubernetes version in an image tag of a control-plane image (kube-*, hyperkube, hardened-kubernetes). */
export function versionFromImage(image: unknown): KubeVersion | undefined {
  if (typeof image !== 'string') return undefined;
  const m = /(?:^|\/)(kube-apiserver|kube-scheduler|kube-controller-manager|kube-proxy|hyperkube|hardened-kubernetes)(?:-[a-z0-9]+)?:(v?\d+\.\d+(?:\.\d+)?[^@\s]*)/.exec(image);
  return m ? parseVersion(m[2]) : undefined;
}
