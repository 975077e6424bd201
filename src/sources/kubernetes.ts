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
  if (v.kind === 'Kustomization' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kustomize.config.k8s.io/')) {
    return generatedByKustomize(doc, v, opts);
  }
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
    // generateName: the API server picks the name, so nothing can refer to it; not a snippet.
    if (meta && typeof meta.generateName === 'string') return undefined;
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
  return new DocumentResource(doc, base, kind, apiVersion, name, namespace, explicitNs !== undefined, stringMap(meta?.labels), stringMap(meta?.annotations), v);
}

/**
 * A Kubernetes object read from a document. A class rather than an object literal: tens of
 * thousands of them live through a run, and a method and a lazily built `ref` cost nothing per
 * object, where a closure and an eager string cost about 200 bytes each.
 */
class DocumentResource implements Resource {
  private refText: string | undefined;

  constructor(
    private readonly doc: ParsedDocument,
    private readonly base: NodePath,
    readonly kind: string,
    readonly apiVersion: string,
    readonly name: string,
    readonly namespace: string | undefined,
    readonly namespaceExplicit: boolean,
    readonly labels: Record<string, string>,
    readonly annotations: Record<string, string>,
    readonly body: Record<string, unknown>,
  ) {}

  get file(): string {
    return this.doc.file.path;
  }

  get helmSource(): string | undefined {
    return this.doc.helmSource;
  }

  get tree(): boolean {
    return this.doc.tree;
  }

  get ref(): string {
    return (this.refText ??= refOf(this.kind, this.namespace, this.name));
  }

  locate(path: NodePath) {
    return this.doc.locate(this.base.length ? [...this.base, ...path] : path);
  }

  /** The same object in another namespace (kustomize's `namespace:`). */
  inNamespace(namespace: string): DocumentResource {
    return new DocumentResource(this.doc, this.base, this.kind, this.apiVersion, this.name, namespace, this.namespaceExplicit, this.labels, this.annotations, this.body);
  }
}

/**
 * kustomize secretGenerator / configMapGenerator entries become the Secrets and ConfigMaps they
 * generate (names and keys; values never). Keys from `envs` files are unknown.
 */
function generatedByKustomize(doc: ParsedDocument, k: Record<string, unknown>, opts: K8sOptions): Resource[] {
  const out: Resource[] = [];
  const ns = typeof k.namespace === 'string' ? k.namespace : opts.defaultNamespace;
  for (const [field, kind] of [['secretGenerator', 'Secret'], ['configMapGenerator', 'ConfigMap']] as const) {
    const list = Array.isArray(k[field]) ? (k[field] as unknown[]) : [];
    list.forEach((g, i) => {
      if (!isObj(g) || typeof g.name !== 'string') return;
      const keys: string[] = [];
      for (const lit of Array.isArray(g.literals) ? g.literals : []) keys.push(String(lit).split('=')[0]!);
      for (const f of Array.isArray(g.files) ? g.files : []) {
        const spec = String(f);
        keys.push(spec.includes('=') ? spec.split('=')[0]! : spec.split(/[\\/]/).pop()!);
      }
      const unknownKeys = Array.isArray(g.envs) && g.envs.length > 0;
      const namespace = typeof g.namespace === 'string' ? g.namespace : ns;
      const base = [field, i];
      out.push({
        kind,
        apiVersion: 'v1',
        name: g.name,
        namespace,
        namespaceExplicit: typeof g.namespace === 'string' || typeof k.namespace === 'string',
        labels: {},
        annotations: { 'scrapelint.io/generated-by': 'kustomize', ...(unknownKeys ? { 'scrapelint.io/keys-unknown': 'true' } : {}) },
        body: { data: Object.fromEntries(keys.map((key) => [key, ''])) },
        file: doc.file.path,
        ref: `${refOf(kind, namespace, g.name)} (kustomize ${field})`,
        locate: (path) => doc.locate(path[0] === 'data' ? base : [...base, ...path]),
      });
    });
  }
  return out;
}

/** The same object in another namespace (kustomize's namespace transformer). */
export function withNamespace(r: Resource, namespace: string): Resource {
  if (r instanceof DocumentResource) return r.inNamespace(namespace);
  return { ...r, namespace, ref: refOf(r.kind, namespace, r.name) };
}
