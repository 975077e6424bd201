import { type Obj, type Resource, asArray, isObj } from '../model/resource.js';
import type { NodePath } from '../model/location.js';
import type { ResourceGraph } from '../model/graph.js';
import { securedMonitors } from './secured.js';

/** A file path a ServiceMonitor endpoint makes Prometheus read. */
export interface EndpointFile {
  field: string;
  path: NodePath;
  file: string;
}

const TLS_FILE_FIELDS = ['caFile', 'certFile', 'keyFile'] as const;

/** tlsConfig caFile/certFile/keyFile and bearerTokenFile of endpoint `i` (ServiceMonitor only). */
export function endpointFiles(ep: Obj, i: number): readonly EndpointFile[] {
  if (ep.tlsConfig === undefined && ep.bearerTokenFile === undefined) return NO_FILES; // most endpoints: no list built
  const out: EndpointFile[] = [];
  const tls = isObj(ep.tlsConfig) ? ep.tlsConfig : {};
  for (const f of TLS_FILE_FIELDS) {
    if (typeof tls[f] === 'string' && tls[f] !== '') out.push({ field: `tlsConfig.${f}`, path: ['spec', 'endpoints', i, 'tlsConfig', f], file: tls[f] });
  }
  if (typeof ep.bearerTokenFile === 'string' && ep.bearerTokenFile !== '')
    out.push({ field: 'bearerTokenFile', path: ['spec', 'endpoints', i, 'bearerTokenFile'], file: ep.bearerTokenFile });
  return out;
}

const NO_FILES: readonly EndpointFile[] = Object.freeze([]);

/** Does this Prometheus reject ServiceMonitors that name files (`arbitraryFSAccessThroughSMs.deny`)? */
export function deniesFileAccess(prom: Resource): boolean {
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  return isObj(spec.arbitraryFSAccessThroughSMs) && spec.arbitraryFSAccessThroughSMs.deny === true;
}

/** A ServiceMonitor endpoint that names files, and its index in `spec.endpoints`. */
export interface EndpointWithFiles {
  endpoint: Obj;
  index: number;
  files: readonly EndpointFile[];
}

/**
 * The endpoints of a ServiceMonitor that name files, with their indexes as written (a null entry
 * before an endpoint still counts). The walk of the file rules.
 */
export function endpointsWithFiles(m: Resource): EndpointWithFiles[] {
  const endpoints: unknown = isObj(m.body.spec) ? m.body.spec.endpoints : undefined;
  if (!Array.isArray(endpoints)) return [];
  const out: EndpointWithFiles[] = [];
  endpoints.forEach((endpoint: unknown, index) => {
    if (!isObj(endpoint)) return;
    const files = endpointFiles(endpoint, index);
    if (files.length > 0) out.push({ endpoint, index, files });
  });
  return out;
}

const MOUNT_RE = /^\/etc\/prometheus\/(secrets|configmaps)\/([^/]+)\/(.+)$/;

/** `/etc/prometheus/secrets/<name>/<key>` -> the Secret (or ConfigMap) and key the operator mounts there. */
export function operatorMount(file: string): { kind: 'Secret' | 'ConfigMap'; list: 'secrets' | 'configMaps'; name: string; key: string } | undefined {
  const m = MOUNT_RE.exec(file);
  if (!m) return undefined;
  return m[1] === 'secrets'
    ? { kind: 'Secret', list: 'secrets', name: m[2]!, key: m[3]! }
    : { kind: 'ConfigMap', list: 'configMaps', name: m[2]!, key: m[3]! };
}

/** Does the Prometheus pod mount something at (a parent of) this path through spec.volumeMounts or a container override? */
export function customMountCovers(prom: Resource, file: string): boolean {
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  const mounts = [
    ...asArray(spec.volumeMounts),
    ...asArray(spec.containers).flatMap((c) => asArray(c.volumeMounts)),
  ];
  return mounts.some((m) => typeof m.mountPath === 'string' && (file === m.mountPath || file.startsWith(m.mountPath.replace(/\/?$/, '/'))));
}

/** Names listed in a Prometheus' spec.secrets or spec.configMaps. */
export function mountedNames(prom: Resource, list: 'secrets' | 'configMaps'): string[] {
  const v = isObj(prom.body.spec) ? prom.body.spec[list] : undefined;
  return Array.isArray(v) ? v.map(String) : [];
}

export interface Produced {
  keys: string[] | undefined;
  from: Resource;
  path: NodePath;
}

const externalSecrets = new WeakMap<ResourceGraph, Map<string, Map<string, Resource>>>();

/** The first ExternalSecret of a namespace that writes this Secret (indexed once per graph, not scanned per lookup). */
function externalSecretFor(graph: ResourceGraph, ns: string, name: string): Resource | undefined {
  let idx = externalSecrets.get(graph);
  if (!idx) {
    idx = new Map();
    for (const es of graph.byKind('ExternalSecret')) {
      const spec = isObj(es.body.spec) ? es.body.spec : {};
      const target = isObj(spec.target) ? spec.target : {};
      const writes = typeof target.name === 'string' ? target.name : es.name;
      const esNs = es.namespace ?? '';
      let byName = idx.get(esNs);
      if (!byName) idx.set(esNs, (byName = new Map()));
      if (!byName.has(writes)) byName.set(writes, es);
    }
    externalSecrets.set(graph, idx);
  }
  return idx.get(ns)?.get(name);
}

/** Whatever in scope defines this Secret/ConfigMap, with its keys when they can be known. */
export function producedObject(graph: ResourceGraph, kind: 'Secret' | 'ConfigMap', ns: string, name: string): Produced | undefined {
  const obj = graph.get(kind, ns, name);
  if (obj) {
    if (obj.annotations['scrapelint.io/keys-unknown'] === 'true') return { keys: undefined, from: obj, path: ['data'] };
    const fields = kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
    const keys = fields.flatMap((f) => (isObj(obj.body[f]) ? Object.keys(obj.body[f]) : []));
    const path = fields.find((f) => isObj(obj.body[f])) ?? fields[0]!;
    return { keys, from: obj, path: [path] };
  }
  if (kind !== 'Secret') return undefined;
  const sealed = graph.get('SealedSecret', ns, name);
  if (sealed) {
    const spec = isObj(sealed.body.spec) ? sealed.body.spec : {};
    const keys = [...(isObj(spec.encryptedData) ? Object.keys(spec.encryptedData) : []), ...(isObj(spec.template) && isObj(spec.template.data) ? Object.keys(spec.template.data) : [])];
    return { keys, from: sealed, path: ['spec', 'encryptedData'] };
  }
  const es = externalSecretFor(graph, ns, name);
  if (es) {
    const spec = isObj(es.body.spec) ? es.body.spec : {};
    const target = isObj(spec.target) ? spec.target : {};
    const template = isObj(target.template) ? target.template : {};
    if (isObj(template.data)) return { keys: Object.keys(template.data), from: es, path: ['spec', 'target', 'template', 'data'] };
    if (spec.dataFrom !== undefined) return { keys: undefined, from: es, path: ['spec', 'dataFrom'] };
    const keys = asArray(spec.data).map((d) => d.secretKey).filter((k): k is string => typeof k === 'string');
    return { keys, from: es, path: ['spec', 'data'] };
  }
  return undefined;
}

/** Does the scope hold any Secret, or anything that produces one? (Open world for "missing" rules.) */
export function scopeDefinesSecrets(graph: ResourceGraph): boolean {
  return graph.has('Secret', 'SealedSecret', 'ExternalSecret');
}

/** What Prometheus logs when the file of this field is missing (quoted in messages). */
export function missingFileError(field: string, file: string, tls?: Obj): string {
  if (field.endsWith('caFile')) return `unable to load specified CA cert ${file}: open ${file}: no such file or directory`;
  if (field.endsWith('certFile') || field.endsWith('keyFile')) {
    const cert = typeof tls?.certFile === 'string' ? tls.certFile : field.endsWith('certFile') ? file : '...';
    const key = typeof tls?.keyFile === 'string' ? tls.keyFile : field.endsWith('keyFile') ? file : '...';
    return `unable to use specified client cert (${cert}) & key (${key}): open ${file}: no such file or directory`;
  }
  return `unable to read authorization credentials file ${file}: open ${file}: no such file or directory`;
}

/** One file a selecting Prometheus would read from its operator-managed mounts. */
export interface MountedFileUse {
  monitor: Resource;
  endpoint: Obj;
  file: EndpointFile;
  mount: NonNullable<ReturnType<typeof operatorMount>>;
  prometheus: Resource;
  /** The Prometheus lists the name in spec.secrets / spec.configMaps. */
  listed: boolean;
}

/**
 * Every (ServiceMonitor endpoint file under /etc/prometheus/{secrets,configmaps}/<name>/, selecting
 * Prometheus) pair, skipping files a custom volume mount of that Prometheus covers. The walk the
 * mount rules share.
 */
export function* mountedFileUses(graph: ResourceGraph, selecting: (m: Resource) => readonly Resource[]): Generator<MountedFileUse> {
  // Only monitors with a tlsConfig or a bearerTokenFile name files.
  for (const monitor of securedMonitors(graph, 'ServiceMonitor')) {
    const proms = selecting(monitor);
    if (proms.length === 0) continue; // open world: nothing certain without the selecting Prometheus
    for (const { endpoint, files } of endpointsWithFiles(monitor)) {
      for (const file of files) {
        const mount = operatorMount(file.file);
        if (!mount) continue;
        for (const prometheus of proms) {
          if (customMountCovers(prometheus, file.file)) continue;
          yield { monitor, endpoint, file, mount, prometheus, listed: mountedNames(prometheus, mount.list).includes(mount.name) };
        }
      }
    }
  }
}
