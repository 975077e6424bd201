/**
 * The facts scrapelint derives about one control-plane or node component from the files a
 * repository holds, exposed as a resource of kind `ComponentConfig` (apiVersion
 * `scrapelint.io/v1`) whose `locate` points at the flag or field that set each fact (or at the
 * document whose defaults apply).
 */
import type { Location, NodePath } from '../../model/location.js';
import type { Resource } from '../../model/resource.js';

export const COMPONENT_KIND = 'ComponentConfig';
export const COMPONENT_API = 'scrapelint.io/v1';
/** One per scope when the inputs prove a Kubernetes version: body {exact?, major, minor, from}. */
export const VERSION_KIND = 'KubernetesVersion';

export type ComponentName = 'kube-apiserver' | 'kube-scheduler' | 'kube-controller-manager' | 'etcd' | 'kube-proxy' | 'kubelet';
export type ComponentSource = 'static-pod' | 'kubeadm' | 'kube-proxy-config' | 'kube-proxy-daemonset' | 'kubelet-config' | 'k3s' | 'rke2';

export interface ComponentBody {
  component: ComponentName;
  source: ComponentSource;
  /** Who wrote the defaults that apply: kubeadm, k3s, RKE2, or the upstream binary. */
  distribution: 'kubeadm' | 'k3s' | 'rke2' | 'upstream';
  /** The Kubernetes version of the scope, when the scope says (see versionFrom). */
  version?: string;
  versionFrom?: string;
  /** Lowest version the inputs allow (e.g. kubeadm v1beta3 exists since 1.22). */
  minVersion?: string;
  /** scheduler / controller-manager / kubelet: secure serving address. */
  bindAddress?: string;
  securePort?: number;
  /** The old insecure port (10251/10252); 0 = off; undefined = unknown. */
  insecurePort?: number;
  /** kube-proxy `metricsBindAddress` (defaulted: `127.0.0.1:10249`). */
  metricsBindAddress?: string;
  /** kubelet read-only port (0 = off). */
  readOnlyPort?: number;
  /** etcd `--listen-metrics-urls` ([] = no metrics listener). */
  listenMetricsUrls?: string[];
  listenClientUrls?: string[];
  clientCertAuth?: boolean;
  /** kube-proxy started with `--config`: its flags other than logging are ignored. */
  configFile?: boolean;
  /** Flags as written (name -> last value). */
  flags: Record<string, string>;
  /** Facts that come from a default rather than from the input, with whose default it is. */
  defaults: Record<string, string>;
  /** "Pod kube-system/kube-scheduler", "ClusterConfiguration", "k3s config". */
  from: string;
  /** The Pod, DaemonSet or ConfigMap the facts come from, when they come from one. */
  owner?: string;
}

export type ComponentConfig = Resource & { body: ComponentBody };

/** Builds the resource: `locate([field])` gives the line that set the field, else `fallback`. */
export function componentResource(
  body: ComponentBody,
  file: string,
  fallback: Location,
  where: Map<string, Location>,
  name: string,
): ComponentConfig {
  return {
    kind: COMPONENT_KIND,
    apiVersion: COMPONENT_API,
    name,
    namespace: undefined,
    namespaceExplicit: false,
    labels: { component: body.component },
    annotations: { 'scrapelint.io/source': body.source },
    body,
    file,
    ref: `${body.component} (${body.from})`,
    locate: (path: NodePath) => where.get(String(path[0] ?? '')) ?? fallback,
  };
}

export function componentConfigs(resources: Iterable<Resource>): ComponentConfig[] {
  const out: ComponentConfig[] = [];
  for (const r of resources) if (r.kind === COMPONENT_KIND && r.apiVersion === COMPONENT_API) out.push(r as ComponentConfig);
  return out;
}
