import type { Location, NodePath } from './location.js';
import type { Labels } from './selector.js';

// eslint-style loose object type for manifest bodies: rules read optional fields defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** Something that can say where a path of a resource is written. */
export interface Locator {
  locate(path: NodePath): Location;
}

/** One Kubernetes object (or one object synthesized from another source). */
export interface Resource extends Locator {
  kind: string;
  apiVersion: string;
  name: string;
  /** undefined for cluster-scoped kinds. */
  namespace: string | undefined;
  /** true when `metadata.namespace` is written; false when the default namespace was applied. */
  namespaceExplicit: boolean;
  labels: Labels;
  annotations: Labels;
  body: Obj;
  /** The file the object comes from, relative to the lint root. */
  file: string;
  /** Template path from a `# Source:` comment of `helm template` output. */
  helmSource?: string;
  /** "ServiceMonitor monitoring/etcd": how messages name the object. */
  ref: string;
  /**
   * The body is a tree (read by the fast reader: no YAML aliases, no shared nodes), so a whole walk
   * of it is bounded by its text. Unset for synthesized objects and for documents other parsers read.
   */
  readonly tree?: boolean;
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService', 'PriorityClass', 'PodSecurityPolicy', 'IngressClass',
  'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'ClusterIssuer', 'GatewayClass', 'ClusterSecretStore',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export function refOf(kind: string, namespace: string | undefined, name: string): string {
  // join makes one flat string; a template literal would keep a rope of its pieces alive with the resource.
  return namespace ? [kind, ' ', namespace, '/', name].join('') : [kind, ' ', name].join('');
}

const EMPTY_MAP: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * A map of strings (labels, annotations, selectors): scalar values as strings, others left out.
 * Returns the map itself when it already is one (the common case, no copy: never mutate the result).
 */
export function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return EMPTY_MAP;
  const o = v as Obj;
  let plain = true;
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      plain = false;
      break;
    }
  }
  if (plain) return o as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) if (x !== null && x !== undefined && typeof x !== 'object') out[k] = String(x);
  return out;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NONE: readonly Obj[] = Object.freeze([]);

/**
 * The objects of a list (non-objects left out). Returns the list itself when every item is an
 * object, which is the common case: no copy for the many calls rules make. Never mutate the result.
 */
export function asArray(v: unknown): readonly Obj[] {
  if (!Array.isArray(v)) return NONE;
  for (let i = 0; i < v.length; i++) if (!isObj(v[i])) return v.filter((x) => isObj(x)) as Obj[];
  return v as Obj[];
}
