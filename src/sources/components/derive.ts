/**
 * From flags (as written) to effective facts, applying the defaults of the tool that wrote them
 * and of the Kubernetes version: ../shared/design/domain-control-plane.md §1-§8.
 */
import type { Location } from '../../model/location.js';
import { type Flag, isLoopback, lastFlag, truthy } from './flags.js';
import type { ComponentBody, ComponentName, ComponentSource } from './model.js';
import { type KubeVersion, atLeast } from './version.js';

export interface ScopeVersion {
  /** The exact version, when the scope gives one. */
  exact?: KubeVersion;
  /** Lowest version the inputs allow. */
  min?: KubeVersion;
  from?: string;
  /** Where the version is written. */
  at?: Location;
}

export interface Derived {
  body: ComponentBody;
  where: Map<string, Location>;
}

export const SECURE_PORT: Partial<Record<ComponentName, number>> = { 'kube-scheduler': 10259, 'kube-controller-manager': 10257 };
export const INSECURE_PORT: Partial<Record<ComponentName, number>> = { 'kube-scheduler': 10251, 'kube-controller-manager': 10252 };
/** Release that switched the insecure port off for good. */
export const INSECURE_OFF: Partial<Record<ComponentName, number>> = { 'kube-scheduler': 23, 'kube-controller-manager': 22 };

function base(component: ComponentName, source: ComponentSource, distribution: ComponentBody['distribution'], from: string, flags: readonly Flag[], v: ScopeVersion): ComponentBody {
  const out: ComponentBody = {
    component,
    source,
    distribution,
    flags: Object.fromEntries(flags.map((f) => [f.name, f.value])),
    defaults: {},
    from,
  };
  if (v.exact) out.version = v.exact.text;
  if (v.from) out.versionFrom = v.from;
  const min = v.exact ?? v.min;
  if (min) out.minVersion = `${min.major}.${min.minor}`;
  return out;
}

/**
 * kube-scheduler / kube-controller-manager: secure bind address and port, and the insecure
 * port. `kubeadmDefaults`: flags come from a ClusterConfiguration (kubeadm writes
 * `--bind-address=127.0.0.1`, and `--port=0` from 1.19 to 1.22); `embedded`: k3s/RKE2.
 */
export function deriveSchedulerLike(
  component: 'kube-scheduler' | 'kube-controller-manager',
  source: ComponentSource,
  distribution: ComponentBody['distribution'],
  from: string,
  flags: readonly Flag[],
  locFlag: (f: Flag) => Location,
  fallback: Location,
  v: ScopeVersion,
): Derived {
  const body = base(component, source, distribution, from, flags, v);
  const where = new Map<string, Location>();
  const bind = lastFlag(flags, 'bind-address');
  const secure = lastFlag(flags, 'secure-port');
  const port = lastFlag(flags, 'port');
  const address = lastFlag(flags, 'address');
  if (bind) {
    body.bindAddress = bind.value;
    where.set('bindAddress', locFlag(bind));
  } else if (distribution === 'upstream') {
    body.bindAddress = '0.0.0.0';
    body.defaults.bindAddress = 'no --bind-address: the binary binds all interfaces';
    where.set('bindAddress', fallback);
  } else {
    body.bindAddress = '127.0.0.1';
    body.defaults.bindAddress = `${distribution === 'kubeadm' ? 'kubeadm' : distribution === 'k3s' ? 'k3s' : 'RKE2'} passes --bind-address=127.0.0.1 by default`;
    where.set('bindAddress', fallback);
  }
  body.securePort = secure ? Number(secure.value) : SECURE_PORT[component]!;
  if (secure) where.set('securePort', locFlag(secure));
  const off = INSECURE_OFF[component]!;
  const min = v.exact ?? v.min;
  if (port) {
    body.insecurePort = Number(port.value);
    where.set('insecurePort', locFlag(port));
    if (body.insecurePort !== 0 && min && atLeast(min, off)) {
      body.defaults.insecurePortIgnored = `Kubernetes 1.${off} and later serve no insecure port (a non-zero --port is refused${atLeast(min, 24) ? '; from 1.24 --port is an unknown flag' : ''})`;
    }
  } else if (min && atLeast(min, off)) {
    body.insecurePort = 0;
    body.defaults.insecurePort = `the scope runs Kubernetes ${v.exact ? v.exact.text : `${min.major}.${min.minor} or later`} (${v.from ?? 'the scope'}), and Kubernetes 1.${off} switched the insecure port off`;
    where.set('insecurePort', v.at ?? fallback);
  } else if (distribution === 'kubeadm' && source === 'kubeadm' && min && atLeast(min, 19)) {
    body.insecurePort = 0;
    body.defaults.insecurePort = `kubeadm ${min.major}.${min.minor} or later renders it (${v.from ?? 'the scope'}), and kubeadm 1.19 to 1.22 passes --port=0`;
    where.set('insecurePort', fallback);
  }
  if (address) {
    body.flags.address = address.value;
    where.set('address', locFlag(address));
  }
  return { body, where };
}

/** etcd: metrics and client listeners, client certificate authentication. */
export function deriveEtcd(
  source: ComponentSource,
  distribution: ComponentBody['distribution'],
  from: string,
  flags: readonly Flag[],
  locFlag: (f: Flag) => Location,
  fallback: Location,
  v: ScopeVersion,
  defaults: { metrics?: string[]; clientCertAuth?: boolean; metricsWho: string; ccaWho: string } | undefined,
): Derived {
  const body = base('etcd', source, distribution, from, flags, v);
  const where = new Map<string, Location>();
  const metrics = lastFlag(flags, 'listen-metrics-urls');
  const client = lastFlag(flags, 'listen-client-urls');
  const cca = lastFlag(flags, 'client-cert-auth');
  const configFile = lastFlag(flags, 'config-file');
  if (metrics) {
    body.listenMetricsUrls = metrics.value.split(',').map((s) => s.trim()).filter(Boolean);
    where.set('listenMetricsUrls', locFlag(metrics));
  } else if (defaults?.metrics) {
    body.listenMetricsUrls = defaults.metrics;
    body.defaults.listenMetricsUrls = defaults.metricsWho;
    where.set('listenMetricsUrls', fallback);
  } else if (!configFile) {
    body.listenMetricsUrls = [];
    body.defaults.listenMetricsUrls = 'etcd opens no metrics listener without --listen-metrics-urls';
    where.set('listenMetricsUrls', fallback);
  }
  if (client) {
    body.listenClientUrls = client.value.split(',').map((s) => s.trim()).filter(Boolean);
    where.set('listenClientUrls', locFlag(client));
  }
  if (cca) {
    body.clientCertAuth = truthy(cca.value);
    where.set('clientCertAuth', locFlag(cca));
  } else if (defaults?.clientCertAuth !== undefined) {
    body.clientCertAuth = defaults.clientCertAuth;
    body.defaults.clientCertAuth = defaults.ccaWho;
    where.set('clientCertAuth', fallback);
  } else if (!configFile) {
    body.clientCertAuth = false;
    body.defaults.clientCertAuth = 'no --client-cert-auth: etcd does not ask for client certificates';
    where.set('clientCertAuth', fallback);
  }
  return { body, where };
}

/** kube-proxy metrics address: empty or absent is loopback; a bare IP gets :10249. */
export function normalizeProxyMetrics(value: string | undefined, bindAddress?: string): { address: string; defaulted: boolean } {
  const ipv6 = typeof bindAddress === 'string' && bindAddress.includes(':');
  if (value === undefined || value.trim() === '') return { address: ipv6 ? '[::1]:10249' : '127.0.0.1:10249', defaulted: true };
  const v = value.trim();
  if (/^\[.*\]$/.test(v) || (/^[0-9.]+$/.test(v))) return { address: `${v}:10249`, defaulted: false };
  if (v.includes(':') && !v.includes('[') && v.split(':').length > 2) return { address: `[${v}]:10249`, defaulted: false };
  return { address: v, defaulted: false };
}

export function loopbackOnly(urls: readonly string[]): boolean {
  return urls.length > 0 && urls.every(isLoopback);
}
