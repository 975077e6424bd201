/**
 * What a monitor (or a Prometheus scrape class) points at: its scrape endpoints, every tlsConfig,
 * every SecretKeySelector / SecretOrConfigMap reference, and which objects in scope define the
 * referenced Secrets (including producers that files.ts does not know: cert-manager
 * Certificates, certificate-generator Jobs, OpenShift serving-cert annotations).
 */
import type { ResourceGraph } from '../model/graph.js';
import type { NodePath } from '../model/location.js';
import { type Obj, type Resource, asArray, isObj } from '../model/resource.js';
import { producedObject } from './files.js';
import { exactSize } from '../model/arrays.js';
import { REFERENCE_KEYS, TLS_KEYS, anyEndpointSets } from './secured.js';

/** One scrape endpoint: ServiceMonitor `endpoints[i]`, PodMonitor `podMetricsEndpoints[i]`, or the spec of a Probe / ScrapeConfig. */
export interface ScrapeEndpoint {
  monitor: Resource;
  /** Path of the endpoint object inside the monitor. */
  path: NodePath;
  /** How the operator names it in errors: `endpoints[0]`, `podMetricsEndpoints[1]`, `spec`. */
  label: string;
  body: Obj;
  /** ServiceMonitor endpoints only: TLSConfig with caFile/certFile/keyFile, and bearerTokenFile. */
  fileFields: boolean;
  /** The scheme as written (undefined = unset, i.e. http) and where it is (or would be) written. */
  scheme: string | undefined;
  schemePath: NodePath;
  /** Relabel configs that act on the target (may rewrite `__scheme__`). */
  relabelings: readonly Obj[];
}

/** One shared empty list for the many objects a cache holds nothing for. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A list computed once per object and kept for the run (several rules read the same lists): an
 * empty one is the shared NONE, others at their exact size. `mayHave` is a quick look at the
 * object as written: false means `read` would find nothing, and then nothing is built or cached
 * (most monitors have no tlsConfig and no credentials).
 */
function perObject<T>(read: (r: Resource) => T[], mayHave?: (r: Resource) => boolean): (r: Resource) => readonly T[] {
  const cache = new WeakMap<Resource, readonly T[]>();
  return (r) => {
    if (mayHave && !mayHave(r)) return NONE;
    let list = cache.get(r);
    if (!list) {
      const made = read(r);
      cache.set(r, (list = made.length === 0 ? NONE : exactSize(made)));
    }
    return list;
  };
}

/** The scrape endpoints of a monitor (empty for other kinds). */
export const scrapeEndpoints: (m: Resource) => readonly ScrapeEndpoint[] = perObject(readScrapeEndpoints);

function readScrapeEndpoints(m: Resource): ScrapeEndpoint[] {
  const spec = isObj(m.body.spec) ? m.body.spec : undefined;
  if (!spec) return [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (m.kind) {
    case 'ServiceMonitor':
    case 'PodMonitor': {
      const list = m.kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints';
      const raw = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
      const out: ScrapeEndpoint[] = [];
      raw.forEach((ep, i) => {
        if (!isObj(ep)) return;
        out.push({
          monitor: m,
          path: ['spec', list, i],
          label: `${list}[${i}]`,
          body: ep,
          fileFields: m.kind === 'ServiceMonitor',
          scheme: str(ep.scheme),
          schemePath: ['spec', list, i, 'scheme'],
          relabelings: asArray(ep.relabelings),
        });
      });
      return out;
    }
    case 'Probe': {
      const prober = isObj(spec.prober) ? spec.prober : {};
      const targets = isObj(spec.targets) ? spec.targets : {};
      const relabelings = ['staticConfig', 'ingress'].flatMap((t) => (isObj(targets[t]) ? asArray(targets[t].relabelingConfigs) : []));
      return [{ monitor: m, path: ['spec'], label: 'spec', body: spec, fileFields: false, scheme: str(prober.scheme), schemePath: ['spec', 'prober', 'scheme'], relabelings }];
    }
    case 'ScrapeConfig':
      return [{ monitor: m, path: ['spec'], label: 'spec', body: spec, fileFields: false, scheme: str(spec.scheme), schemePath: ['spec', 'scheme'], relabelings: asArray(spec.relabelings) }];
    default:
      return [];
  }
}

/** Does a relabeling write `__scheme__`? Then the written scheme does not decide. */
export function rewritesScheme(relabelings: readonly Obj[]): boolean {
  return relabelings.some((r) => r.targetLabel === '__scheme__' || r.target_label === '__scheme__');
}

/** The tlsConfig fields that say something (empty values and `insecureSkipVerify: false` say nothing). */
export function tlsFieldsSet(tls: Obj): string[] {
  const out: string[] = [];
  for (const f of ['ca', 'cert']) if (isObj(tls[f]) && (isObj(tls[f].secret) || isObj(tls[f].configMap))) out.push(f);
  if (isObj(tls.keySecret)) out.push('keySecret');
  for (const f of ['caFile', 'certFile', 'keyFile', 'serverName', 'minVersion', 'maxVersion']) if (typeof tls[f] === 'string' && tls[f] !== '') out.push(f);
  if (tls.insecureSkipVerify === true) out.push('insecureSkipVerify');
  return out;
}

/** Scrape classes of a Prometheus with their paths. */
export function scrapeClasses(prom: Resource): { body: Obj; path: NodePath; name: string }[] {
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  const raw = Array.isArray(spec.scrapeClasses) ? (spec.scrapeClasses as unknown[]) : [];
  const out: { body: Obj; path: NodePath; name: string }[] = [];
  raw.forEach((c, i) => {
    if (isObj(c)) out.push({ body: c, path: ['spec', 'scrapeClasses', i], name: typeof c.name === 'string' ? c.name : `#${i}` });
  });
  return out;
}

/** One tlsConfig: of a scrape endpoint, of its oauth2 token request, or of a Prometheus scrape class. */
export interface TlsSite {
  owner: Resource;
  /** Path of the tlsConfig object. */
  path: NodePath;
  /** How messages name it: `endpoints[0].tlsConfig`, `spec.oauth2.tlsConfig`, `scrapeClasses[0] "tls".tlsConfig`. */
  field: string;
  tls: Obj;
  /** TLSConfig (caFile/certFile/keyFile allowed) rather than SafeTLSConfig. */
  full: boolean;
  purpose: 'scrape' | 'oauth2' | 'scrapeClass';
  /** The scrape endpoint it belongs to (monitors only). */
  endpoint?: ScrapeEndpoint;
}

/** Every tlsConfig of a monitor, or of a Prometheus/PrometheusAgent's scrape classes. */
export const tlsSites: (r: Resource) => readonly TlsSite[] = perObject(readTlsSites, (r) =>
  r.kind === 'Prometheus' || r.kind === 'PrometheusAgent' || anyEndpointSets(r, TLS_KEYS),
);

/** The uncached read behind tlsSites (exported for tests). */
export function readTlsSites(r: Resource): TlsSite[] {
  const out: TlsSite[] = [];
  if (r.kind === 'Prometheus' || r.kind === 'PrometheusAgent') {
    for (const c of scrapeClasses(r)) {
      if (isObj(c.body.tlsConfig))
        out.push({ owner: r, path: [...c.path, 'tlsConfig'], field: `scrapeClasses "${c.name}" tlsConfig`, tls: c.body.tlsConfig, full: true, purpose: 'scrapeClass' });
    }
    return out;
  }
  for (const ep of scrapeEndpoints(r)) {
    const prefix = ep.label === 'spec' ? 'spec.' : `${ep.label}.`;
    if (isObj(ep.body.tlsConfig))
      out.push({ owner: r, path: [...ep.path, 'tlsConfig'], field: `${prefix}tlsConfig`, tls: ep.body.tlsConfig, full: ep.fileFields, purpose: 'scrape', endpoint: ep });
    const oauth2 = isObj(ep.body.oauth2) ? ep.body.oauth2 : undefined;
    if (oauth2 && isObj(oauth2.tlsConfig))
      out.push({ owner: r, path: [...ep.path, 'oauth2', 'tlsConfig'], field: `${prefix}oauth2.tlsConfig`, tls: oauth2.tlsConfig, full: false, purpose: 'oauth2', endpoint: ep });
  }
  return out;
}

/** The Secret or ConfigMap a SecretOrConfigMap (`ca`, `cert`, `oauth2.clientId`) names, if any. */
function secretOrConfigMap(v: unknown): { kind: 'Secret' | 'ConfigMap'; sel: Obj; sub: 'secret' | 'configMap' } | undefined {
  if (!isObj(v)) return undefined;
  if (isObj(v.secret)) return { kind: 'Secret', sel: v.secret, sub: 'secret' };
  if (isObj(v.configMap)) return { kind: 'ConfigMap', sel: v.configMap, sub: 'configMap' };
  return undefined;
}

/** One reference from a monitor to a key of a Secret or ConfigMap, resolved in the monitor's namespace. */
export interface ObjectReference {
  owner: Resource;
  endpoint: ScrapeEndpoint;
  kind: 'Secret' | 'ConfigMap';
  /** The monitor's namespace: where the operator looks the object up. */
  namespace: string;
  name: string;
  key: string | undefined;
  /** `endpoints[0].tlsConfig.ca.secret`. */
  field: string;
  /** Path of the selector (`{name, key}`). */
  path: NodePath;
  /** What the operator prefixes its error with (`failed to get basic auth username`), when known. */
  wrapper?: string;
}

/**
 * Every SecretKeySelector / SecretOrConfigMap of a monitor's endpoints: tlsConfig `ca`, `cert`,
 * `keySecret`; `bearerTokenSecret`; `basicAuth.username/password`; `authorization.credentials`;
 * `oauth2.clientId/clientSecret` and `oauth2.tlsConfig`; `proxyConnectHeader`. Selectors with an
 * empty name are skipped (the operator ignores them).
 */
export const objectReferences: (m: Resource) => readonly ObjectReference[] = perObject(readObjectReferences, (m) => anyEndpointSets(m, REFERENCE_KEYS));

/** The uncached read behind objectReferences (exported for tests). */
export function readObjectReferences(m: Resource): ObjectReference[] {
  const out: ObjectReference[] = [];
  const ns = m.namespace ?? '';
  for (const ep of scrapeEndpoints(m)) {
    const prefix = ep.label === 'spec' ? 'spec.' : `${ep.label}.`;
    const add = (kind: 'Secret' | 'ConfigMap', sel: unknown, rel: NodePath, field: string, wrapper?: string) => {
      if (!isObj(sel) || typeof sel.name !== 'string' || sel.name === '') return;
      out.push({
        owner: m,
        endpoint: ep,
        kind,
        namespace: ns,
        name: sel.name,
        key: typeof sel.key === 'string' ? sel.key : undefined,
        field: prefix + field,
        path: [...ep.path, ...rel],
        ...(wrapper ? { wrapper } : {}),
      });
    };
    const tls = (t: unknown, rel: NodePath, field: string) => {
      if (!isObj(t)) return;
      for (const f of ['ca', 'cert'] as const) {
        const s = secretOrConfigMap(t[f]);
        if (s) add(s.kind, s.sel, [...rel, f, s.sub], `${field}.${f}.${s.sub}`, `failed to get ${f}`);
      }
      add('Secret', t.keySecret, [...rel, 'keySecret'], `${field}.keySecret`, 'failed to get key');
    };
    const b = ep.body;
    tls(b.tlsConfig, ['tlsConfig'], 'tlsConfig');
    add('Secret', b.bearerTokenSecret, ['bearerTokenSecret'], 'bearerTokenSecret', 'failed to get bearer token');
    if (isObj(b.basicAuth)) {
      add('Secret', b.basicAuth.username, ['basicAuth', 'username'], 'basicAuth.username', 'failed to get basic auth username');
      add('Secret', b.basicAuth.password, ['basicAuth', 'password'], 'basicAuth.password', 'failed to get basic auth password');
    }
    if (isObj(b.authorization)) {
      const type = typeof b.authorization.type === 'string' ? b.authorization.type : '';
      add('Secret', b.authorization.credentials, ['authorization', 'credentials'], 'authorization.credentials', `failed to get authorization token of type "${type}"`);
    }
    if (isObj(b.oauth2)) {
      const id = secretOrConfigMap(b.oauth2.clientId);
      if (id) add(id.kind, id.sel, ['oauth2', 'clientId', id.sub], `oauth2.clientId.${id.sub}`, 'failed to get oauth2 client id');
      add('Secret', b.oauth2.clientSecret, ['oauth2', 'clientSecret'], 'oauth2.clientSecret', 'failed to get oauth2 client secret');
      tls(b.oauth2.tlsConfig, ['oauth2', 'tlsConfig'], 'oauth2.tlsConfig');
    }
    if (isObj(b.proxyConnectHeader)) {
      for (const [header, sels] of Object.entries(b.proxyConnectHeader)) {
        (Array.isArray(sels) ? sels : [sels]).forEach((sel, j) =>
          add('Secret', sel, ['proxyConnectHeader', header, ...(Array.isArray(sels) ? [j] : [])], `proxyConnectHeader.${header}`),
        );
      }
    }
  }
  return out;
}

/** Whatever in scope defines a Secret, with its keys when they can be known. */
export interface SecretDefinition {
  namespace: string;
  name: string;
  keys: string[] | undefined;
  from: Resource;
  path: NodePath;
  /** The namespace is written on the defining object (not the default applied by the loader). */
  namespaceExplicit: boolean;
  /** The object says it is copied to other namespaces (reflector, replicator, kubed). */
  replicated: boolean;
}

const REPLICATION_ANNOTATION = /reflector|replicat|kubed\.appscode\.com\/sync|kubernetes-replicator/i;
const OPENSHIFT_SERVING_CERT = ['service.beta.openshift.io/serving-cert-secret-name', 'service.alpha.openshift.io/serving-cert-secret-name'];
const WORKLOAD_KINDS = new Set(['Job', 'CronJob', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'ReplicaSet']);

const indexes = new WeakMap<ResourceGraph, Map<string, SecretDefinition[]>>();

/**
 * Keys of a Secret as the cluster will hold them: a service-account token Secret is filled by the
 * token controller (token, ca.crt, namespace); a Secret written without data or stringData is a
 * placeholder that something else fills (keys unknown).
 */
function secretKeys(from: Resource, keys: string[] | undefined): string[] | undefined {
  if (from.kind !== 'Secret' || !keys) return keys;
  if (from.body.type === 'kubernetes.io/service-account-token') return [...new Set([...keys, 'token', 'ca.crt', 'namespace'])];
  if (from.annotations['scrapelint.io/generated-by'] === undefined && !isObj(from.body.data) && !isObj(from.body.stringData)) return undefined;
  return keys;
}

/** Value of a `--flag=value` / `--flag value` in an argument list. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag || a === `-${flag.replace(/^--/, '')}`) return args[i + 1];
    const m = /^--?([^=]+)=(.*)$/.exec(a);
    if (m && `--${m[1]}` === flag) return m[2];
  }
  return undefined;
}

/**
 * Every Secret the scope defines, by name: Secret, SealedSecret, ExternalSecret (via files.ts
 * producedObject), cert-manager Certificate `spec.secretName` (keys tls.crt, tls.key, ca.crt),
 * a Job/workload container run with `--secret-name` (kube-webhook-certgen and similar, keys
 * unknown), and a Service annotated with an OpenShift serving-cert secret name.
 */
function secretIndex(graph: ResourceGraph): Map<string, SecretDefinition[]> {
  let idx = indexes.get(graph);
  if (idx) return idx;
  idx = new Map();
  const map = idx;
  const add = (d: SecretDefinition) => {
    const list = map.get(d.name);
    if (list) {
      if (!list.some((x) => x.namespace === d.namespace && x.from === d.from)) list.push(d);
    } else map.set(d.name, [d]);
  };
  const replicated = (r: Resource) => Object.keys(r.annotations).some((k) => REPLICATION_ANNOTATION.test(k));
  const viaFiles = (r: Resource, name: string) => {
    const ns = r.namespace ?? '';
    const p = producedObject(graph, 'Secret', ns, name);
    // A kustomize generator's namespace is whatever the build applies: never treat it as written.
    if (!p) return;
    const explicit = p.from.namespaceExplicit && p.from.annotations['scrapelint.io/generated-by'] !== 'kustomize';
    add({ namespace: ns, name, keys: secretKeys(p.from, p.keys), from: p.from, path: p.path, namespaceExplicit: explicit, replicated: replicated(p.from) });
  };
  for (const r of graph.byKind('Secret')) viaFiles(r, r.name);
  for (const r of graph.byKind('SealedSecret')) viaFiles(r, r.name);
  for (const r of graph.byKind('ExternalSecret')) {
    const spec = isObj(r.body.spec) ? r.body.spec : {};
    const target = isObj(spec.target) ? spec.target : {};
    viaFiles(r, typeof target.name === 'string' && target.name !== '' ? target.name : r.name);
  }
  for (const r of graph.byKind('Certificate')) {
    if (!r.apiVersion.startsWith('cert-manager.io/')) continue;
    const spec = isObj(r.body.spec) ? r.body.spec : {};
    if (typeof spec.secretName !== 'string' || spec.secretName === '') continue;
    const keys = ['tls.crt', 'tls.key', 'ca.crt'];
    for (const f of asArray(spec.additionalOutputFormats)) {
      if (f.type === 'CombinedPEM') keys.push('tls-combined.pem');
      if (f.type === 'DER') keys.push('key.der');
    }
    const tmpl = isObj(spec.secretTemplate) ? spec.secretTemplate : {};
    add({
      namespace: r.namespace ?? '',
      name: spec.secretName,
      keys,
      from: r,
      path: ['spec', 'secretName'],
      namespaceExplicit: r.namespaceExplicit,
      replicated: isObj(tmpl.annotations) && Object.keys(tmpl.annotations).some((k) => REPLICATION_ANNOTATION.test(k)),
    });
  }
  for (const ns of graph.namespaces()) {
    for (const pod of graph.podTemplatesIn(ns)) {
      if (!WORKLOAD_KINDS.has(pod.owner.kind)) continue;
      for (const c of [...asArray(pod.spec.initContainers), ...asArray(pod.spec.containers)]) {
        // Most containers have neither command nor args: no list built for them.
        if (!Array.isArray(c.command) && !Array.isArray(c.args)) continue;
        const args = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
        const name = flagValue(args, '--secret-name');
        if (!name) continue;
        const target = flagValue(args, '--namespace') ?? ns;
        add({
          namespace: target,
          name,
          keys: undefined,
          from: pod.owner,
          path: [...pod.path, 'spec'],
          namespaceExplicit: pod.owner.namespaceExplicit || flagValue(args, '--namespace') !== undefined,
          replicated: false,
        });
      }
    }
  }
  for (const svc of graph.byKind('Service')) {
    for (const a of OPENSHIFT_SERVING_CERT) {
      const name = svc.annotations[a];
      if (name)
        add({ namespace: svc.namespace ?? '', name, keys: ['tls.crt', 'tls.key'], from: svc, path: ['metadata', 'annotations', a], namespaceExplicit: svc.namespaceExplicit, replicated: false });
    }
  }
  indexes.set(graph, map);
  return map;
}

/** Every definition of a Secret with this name, in any namespace. */
export function secretsNamed(graph: ResourceGraph, name: string): readonly SecretDefinition[] {
  return secretIndex(graph).get(name) ?? [];
}

/** The definition of Secret `ns/name` in scope, if any. */
export function definedSecret(graph: ResourceGraph, ns: string, name: string): SecretDefinition | undefined {
  return secretsNamed(graph, name).find((d) => d.namespace === ns);
}

/** Names of the Secrets the scope defines in a namespace (for "did you mean"). */
export function secretNamesIn(graph: ResourceGraph, ns: string): readonly string[] {
  return secretsByNamespace(graph).names.get(ns) ?? [];
}

/** One object that shows the scope defines Secrets, preferably in `ns` (evidence for "missing" findings). */
export function secretEvidence(graph: ResourceGraph, ns: string): SecretDefinition | undefined {
  const idx = secretsByNamespace(graph);
  return idx.first.get(ns) ?? idx.any;
}

const byNamespace = new WeakMap<ResourceGraph, { names: Map<string, string[]>; first: Map<string, SecretDefinition>; any: SecretDefinition | undefined }>();

/** Secret names per namespace and the first definition per namespace, in index order (built once, not per finding). */
function secretsByNamespace(graph: ResourceGraph) {
  let idx = byNamespace.get(graph);
  if (idx) return idx;
  idx = { names: new Map(), first: new Map(), any: undefined };
  for (const [name, defs] of secretIndex(graph)) {
    const seen = new Set<string>();
    for (const d of defs) {
      idx.any ??= d;
      if (!idx.first.has(d.namespace)) idx.first.set(d.namespace, d);
      if (seen.has(d.namespace)) continue;
      seen.add(d.namespace);
      const list = idx.names.get(d.namespace);
      if (list) list.push(name);
      else idx.names.set(d.namespace, [name]);
    }
  }
  byNamespace.set(graph, idx);
  return idx;
}

/**
 * The keys of a Secret or ConfigMap as the scope defines it, with where they are written: for a
 * Secret every producer above (Secret, SealedSecret, ExternalSecret, cert-manager, service-account
 * tokens...), for a ConfigMap the object or its kustomize generator. `undefined` when nothing in
 * scope defines it or its keys cannot be known: unknown is not wrong.
 */
export function knownKeys(graph: ResourceGraph, kind: 'Secret' | 'ConfigMap', ns: string, name: string): { keys: string[]; from: Resource; path: NodePath } | undefined {
  const d = kind === 'Secret' ? definedSecret(graph, ns, name) : producedObject(graph, 'ConfigMap', ns, name);
  return d?.keys ? { keys: d.keys, from: d.from, path: d.path } : undefined;
}
