import type { ParsedDocument } from '../parse/document.js';
import type { NodePath } from '../model/location.js';
import type { InputProblem } from '../model/finding.js';
import { type Resource, isClusterScoped, isObj, refOf, stringMap } from '../model/resource.js';

export interface K8sOptions {
  /** Namespace for namespaced objects without `metadata.namespace` (kubectl's default). */
  defaultNamespace: string;
}

/**
 * Turns a parsed document into Kubernetes resources: one per object, `kind: *List` expanded.
 * Documents that are not Kubernetes objects (values files, raw configs) are left alone; documents
 * that look like objects but cannot be (no name) get a note.
 */
export function resourcesFromDocument(doc: ParsedDocument, opts: K8sOptions, problems: InputProblem[]): Resource[] {
  const out: Resource[] = [];
  const v = doc.value;
  if (!isObj(v)) return out;
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
    v.items.forEach((item: unknown, i: number) => {
      const r = toResource(doc, item, ['items', i], opts, problems);
      if (r) out.push(r);
    });
    return out;
  }
  const r = toResource(doc, v, [], opts, problems);
  if (r) out.push(r);
  return out;
}

/** API groups of configuration files (kustomize, kubeadm, component configs): they have no metadata.name. */
const CONFIG_KINDS = /(?:^|\.)(?:config\.k8s\.io|kubeadm\.k8s\.io|config\.kubernetes\.io|kustomize\.config\.k8s\.io|apiserver\.k8s\.io|audit\.k8s\.io)\//;

function toResource(doc: ParsedDocument, v: unknown, base: NodePath, opts: K8sOptions, problems: InputProblem[]): Resource | undefined {
  if (!isObj(v)) return undefined;
  const kind = v.kind;
  const apiVersion = v.apiVersion;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
    // Not a Kubernetes object (or not meant as one): values files, kustomize snippets, raw configs.
    return undefined;
  }
  const meta = isObj(v.metadata) ? v.metadata : undefined;
  const name = meta && (typeof meta.name === 'string' || typeof meta.name === 'number') ? String(meta.name) : undefined;
  if (!name) {
    if (CONFIG_KINDS.test(apiVersion) || kind === 'Kustomization' || kind === 'Component') return undefined;
    const loc = doc.locate([...base, meta ? 'metadata' : 'kind']);
    problems.push({
      ruleId: 'document-skipped',
      at: loc,
      message: `${kind} has no metadata.name, so it is not a complete Kubernetes object (a snippet or a patch?); it was not linted.`,
    });
    return undefined;
  }
  const explicitNs = meta && typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const namespace = isClusterScoped(kind) ? undefined : (explicitNs ?? opts.defaultNamespace);
  return {
    kind,
    apiVersion,
    name,
    namespace,
    namespaceExplicit: explicitNs !== undefined,
    labels: stringMap(meta?.labels),
    annotations: stringMap(meta?.annotations),
    body: v,
    file: doc.file.path,
    ...(doc.helmSource ? { helmSource: doc.helmSource } : {}),
    ref: refOf(kind, namespace, name),
    locate: (path) => doc.locate([...base, ...path]),
  };
}
