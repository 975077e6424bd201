/**
 * Which monitors set a tlsConfig, a credential or a file on an endpoint, read from the objects as
 * written (no endpoint records built). Most monitors of a large repository set none of these, and
 * the TLS and credential rules only ever read those that do.
 */
import type { ResourceGraph } from '../model/graph.js';
import { type Obj, type Resource, isObj } from '../model/resource.js';
import { exactSize } from '../model/arrays.js';

const NONE: readonly never[] = Object.freeze([]);

/**
 * Does an endpoint of the monitor (as written, before any record is built) set one of `keys` to
 * an object? The endpoints are those readScrapeEndpoints reads: each object of
 * `endpoints`/`podMetricsEndpoints`, or the spec of a Probe or ScrapeConfig.
 */
export function anyEndpointSets(m: Resource, keys: readonly string[]): boolean {
  const spec = m.body.spec;
  if (!isObj(spec)) return false;
  switch (m.kind) {
    case 'ServiceMonitor':
    case 'PodMonitor': {
      const raw: unknown = spec[m.kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints'];
      if (!Array.isArray(raw)) return false;
      for (const ep of raw) if (isObj(ep) && setsAny(ep, keys)) return true;
      return false;
    }
    case 'Probe':
    case 'ScrapeConfig':
      return setsAny(spec, keys);
    default:
      return false;
  }
}

function setsAny(ep: Obj, keys: readonly string[]): boolean {
  for (const k of keys) if (isObj(ep[k])) return true;
  return false;
}

/** Where an endpoint sets a tlsConfig: its own, or its oauth2's. */
export const TLS_KEYS = ['tlsConfig', 'oauth2'] as const;

/**
 * The endpoint fields that hold Secret or ConfigMap references (references.ts reads nothing else);
 * with the bearer token file's path, every field the TLS, credential and file rules read.
 */
export const REFERENCE_KEYS = ['tlsConfig', 'bearerTokenSecret', 'basicAuth', 'authorization', 'oauth2', 'proxyConnectHeader'] as const;

const secured = new WeakMap<ResourceGraph, { revision: number; byKind: Map<string, readonly Resource[]> }>();

/**
 * The monitors of a kind (in graph order) with an endpoint that sets a tlsConfig, a credential
 * or a file: the only ones the TLS and credential rules have anything to read in. Filtered once
 * per graph and kind, so that each of those rules does not visit every monitor of a large scope.
 */
export function securedMonitors(graph: ResourceGraph, kind: string): readonly Resource[] {
  let cached = secured.get(graph);
  // Made again when objects were added to the graph since.
  if (!cached || cached.revision !== graph.revision) secured.set(graph, (cached = { revision: graph.revision, byKind: new Map() }));
  const byKind = cached.byKind;
  let list = byKind.get(kind);
  if (!list) {
    const out: Resource[] = [];
    for (const m of graph.byKind(kind)) if (anyEndpointSets(m, REFERENCE_KEYS) || setsTokenFile(m)) out.push(m);
    byKind.set(kind, (list = out.length === 0 ? NONE : exactSize(out)));
  }
  return list;
}

/** A ServiceMonitor endpoint with a bearerTokenFile (the one file field outside tlsConfig). */
function setsTokenFile(m: Resource): boolean {
  if (m.kind !== 'ServiceMonitor' || !isObj(m.body.spec) || !Array.isArray(m.body.spec.endpoints)) return false;
  for (const ep of m.body.spec.endpoints as unknown[]) if (isObj(ep) && ep.bearerTokenFile !== undefined) return true;
  return false;
}
