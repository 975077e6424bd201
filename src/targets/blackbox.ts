/**
 * The Probe side of the model (domain.md §6): blackbox exporter configurations found in
 * ConfigMaps and Secrets, the pods that mount them, and `prober.url` parsed and resolved to a
 * Service the way the Prometheus pod's DNS would.
 */
import { load } from 'js-yaml';
import type { PodTemplate, ResourceGraph } from '../model/graph.js';
import type { NodePath } from '../model/location.js';
import { type Resource, asArray, isObj } from '../model/resource.js';
import { servicePorts } from './services.js';
import { findService } from './reverse.js';

export interface BlackboxConfig {
  /** The ConfigMap or Secret. */
  source: Resource;
  key: string;
  /** Where the key is written in the source (`data.<key>` or `stringData.<key>`). */
  path: NodePath;
  /** Module names under `modules:`. */
  modules: string[];
}

const CONFIG_KEY = /\.ya?ml$/i;

/** Does this text hold a blackbox exporter configuration? Its module names if so. */
export function blackboxModules(text: string): string[] | undefined {
  if (!/^\s*["']?modules["']?\s*:/m.test(text)) return undefined;
  let v: unknown;
  try {
    v = load(text);
  } catch {
    return undefined;
  }
  if (!isObj(v) || !isObj(v.modules)) return undefined;
  const mods = v.modules;
  const names = Object.keys(mods);
  // snmp_exporter's snmp.yml also has `modules:`; blackbox modules name their `prober`.
  if (names.length > 0 && !names.some((n) => isObj(mods[n]) && typeof mods[n].prober === 'string')) return undefined;
  return names;
}

const cache = new WeakMap<ResourceGraph, BlackboxConfig[]>();

/** Every blackbox exporter configuration the scope holds (ConfigMaps and Secrets, parsed once). */
export function blackboxConfigs(graph: ResourceGraph): BlackboxConfig[] {
  const hit = cache.get(graph);
  if (hit) return hit;
  const out: BlackboxConfig[] = [];
  for (const kind of ['ConfigMap', 'Secret']) {
    for (const r of graph.byKind(kind)) {
      if (r.annotations['scrapelint.io/generated-by']) continue; // generator: the file content is not here
      for (const field of ['data', 'stringData'] as const) {
        const data = r.body[field];
        if (!isObj(data)) continue;
        for (const [key, value] of Object.entries(data)) {
          if (!CONFIG_KEY.test(key) || typeof value !== 'string') continue;
          const text = kind === 'Secret' && field === 'data' ? Buffer.from(value, 'base64').toString('utf8') : value;
          const modules = blackboxModules(text);
          if (modules) out.push({ source: r, key, path: [field, key], modules });
        }
      }
    }
  }
  cache.set(graph, out);
  return out;
}

/** The ConfigMap and Secret names a pod template mounts as volumes (projected sources included). */
export function mountedConfigNames(pod: PodTemplate): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const v of asArray(pod.spec.volumes)) {
    if (isObj(v.configMap) && typeof v.configMap.name === 'string') configMaps.add(v.configMap.name);
    if (isObj(v.secret) && typeof v.secret.secretName === 'string') secrets.add(v.secret.secretName);
    if (isObj(v.projected)) {
      for (const s of asArray(v.projected.sources)) {
        if (isObj(s.configMap) && typeof s.configMap.name === 'string') configMaps.add(s.configMap.name);
        if (isObj(s.secret) && typeof s.secret.name === 'string') secrets.add(s.secret.name);
      }
    }
  }
  return { configMaps, secrets };
}

/** The blackbox configurations mounted by these pod templates. */
export function configsMountedBy(graph: ResourceGraph, pods: readonly PodTemplate[]): BlackboxConfig[] {
  const all = blackboxConfigs(graph);
  const out = new Set<BlackboxConfig>();
  for (const pod of pods) {
    const { configMaps, secrets } = mountedConfigNames(pod);
    for (const c of all) {
      if ((c.source.namespace ?? '') !== pod.namespace && c.source.namespaceExplicit) continue;
      const names = c.source.kind === 'ConfigMap' ? configMaps : secrets;
      if (names.has(c.source.name)) out.add(c);
    }
  }
  return [...out];
}

export type ProberUrl =
  | { kind: 'scheme'; scheme: string; rest: string }
  | { kind: 'path'; hostPort: string }
  | { kind: 'hostport'; host: string; port: number | undefined }
  | { kind: 'invalid' };

/**
 * `prober.url` as the operator reads it: `host` or `host:port`, no scheme, no path
 * (validateProberURL: net.SplitHostPort, then govalidator IsHost/IsPort).
 */
export function parseProberUrl(url: string): ProberUrl {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  if (scheme) return { kind: 'scheme', scheme: scheme[1]!.toLowerCase(), rest: scheme[2]! };
  const slash = url.indexOf('/');
  if (slash >= 0) return { kind: 'path', hostPort: url.slice(0, slash) };
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(url);
  if (v6) return { kind: 'hostport', host: v6[1]!, port: v6[2] ? Number(v6[2]) : undefined };
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(url);
  if (!m) return { kind: 'invalid' };
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return { kind: 'invalid' };
  return { kind: 'hostport', host: m[1]!, port };
}

export type ProberHost =
  | { kind: 'ip' }
  | { kind: 'external' }
  /** A Service name; `namespace` when the name says it, else the DNS search path decides. */
  | { kind: 'service'; name: string; namespace: string | undefined };

/**
 * What a host name means inside the cluster: `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc[.<domain>]`,
 * `<pod>.<svc>.<ns>.svc[.<domain>]`. A two-label name is a Service only when its second label
 * is a namespace the scope knows (otherwise it is as likely an outside host).
 */
export function classifyProberHost(graph: ResourceGraph, host: string): ProberHost {
  const h = host.toLowerCase().replace(/\.$/, '');
  // A prober sidecar in the Prometheus pod is reached on localhost.
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(h) || h.includes(':') || h === 'localhost') return { kind: 'ip' };
  const parts = h.split('.');
  if (parts.length === 1) return { kind: 'service', name: parts[0]!, namespace: undefined };
  const svcAt = parts.indexOf('svc');
  if (svcAt >= 2) return { kind: 'service', name: parts[svcAt - 2]!, namespace: parts[svcAt - 1]! };
  if (parts.length === 2 && graph.namespaces().has(parts[1]!)) return { kind: 'service', name: parts[0]!, namespace: parts[1]! };
  return { kind: 'external' };
}

/**
 * Does a client reach something on this port of the Service? A ClusterIP Service answers on its
 * `port`s. A headless one resolves to pod IPs, so the client connects to the pods directly and
 * any port they listen on works: that cannot be judged (undefined).
 */
export function serviceServesPort(svc: Resource, port: number): boolean | undefined {
  const ports = servicePorts(svc);
  if (ports.length === 0) return undefined;
  const spec = isObj(svc.body.spec) ? svc.body.spec : {};
  if (spec.clusterIP === 'None' || spec.type === 'ExternalName') return ports.some((p) => p.port === port || p.targetPort === port) ? true : undefined;
  return ports.some((p) => p.port === port);
}

/** Resolve a prober host to a Service of the scope, looking in these namespaces (DNS search path). */
export function proberService(graph: ResourceGraph, host: ProberHost, searchNamespaces: string[]): Resource | undefined {
  if (host.kind !== 'service') return undefined;
  const namespaces = host.namespace ? [host.namespace] : searchNamespaces;
  for (const ns of namespaces) {
    const s = findService(graph, ns, host.name);
    if (s) return s;
  }
  return undefined;
}

export interface ProberRef {
  url: string;
  parsed: ProberUrl;
  host: ProberHost | undefined;
  /** Namespaces a bare host name resolves in: those of the Prometheus objects that select the Probe, else the Probe's. */
  search: string[];
  /** Whether `search` comes from selecting Prometheus objects (else it is the Probe's namespace, a guess). */
  searchKnown: boolean;
  service: Resource | undefined;
}

/** A Probe's `spec.prober.url`, parsed and resolved; undefined when it has none. */
export function proberOf(graph: ResourceGraph, selecting: readonly Resource[], probe: Resource): ProberRef | undefined {
  const spec = isObj(probe.body.spec) ? probe.body.spec : {};
  const url = isObj(spec.prober) ? spec.prober.url : undefined;
  if (typeof url !== 'string' || url === '') return undefined;
  const parsed = parseProberUrl(url);
  const proms = [...new Set(selecting.map((p) => p.namespace ?? '').filter(Boolean))];
  const search = proms.length ? proms : [probe.namespace ?? ''];
  const host = parsed.kind === 'hostport' ? classifyProberHost(graph, parsed.host) : undefined;
  // Lenient: the Probe's own namespace is tried too (the Prometheus may live elsewhere).
  const service = host ? proberService(graph, host, [...new Set([...search, probe.namespace ?? ''])]) : undefined;
  return { url, parsed, host, search, searchKnown: proms.length > 0, service };
}
