import { type Obj, type Resource, asArray, isObj, stringMap } from './resource.js';
import { type LabelSelector, type Labels, mapSelectorMatches, matchLabelsOf, selectorMatches } from './selector.js';
import type { NodePath } from './location.js';

/** A pod template inside a workload (or a bare Pod): what a Service or PodMonitor selects. */
export interface PodTemplate {
  owner: Resource;
  /** Path of the template inside the owner (e.g. ['spec','template']; [] for a Pod). */
  path: NodePath;
  namespace: string;
  labels: Labels;
  spec: Obj;
}

interface Bucket<T> {
  items: T[];
  /** label key -> label value -> items (nested maps: no key strings built per label). */
  byLabel: Map<string, Map<string, T[]>>;
  /** label key -> items that have it (for `Exists` and several-value `In` expressions). */
  withKey: Map<string, T[]>;
}

const WORKLOAD_TEMPLATE: Record<string, NodePath> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

function emptyBucket<T>(): Bucket<T> {
  return { items: [], byLabel: new Map(), withKey: new Map() };
}

function addToBucket<T>(map: Map<string, Bucket<T>>, ns: string, item: T, labels: Labels): void {
  let b = map.get(ns);
  if (!b) map.set(ns, (b = emptyBucket()));
  addItem(b, item, labels);
}

function addItem<T>(b: Bucket<T>, item: T, labels: Labels): void {
  b.items.push(item);
  for (const k in labels) {
    const v = labels[k]!;
    let byValue = b.byLabel.get(k);
    if (!byValue) b.byLabel.set(k, (byValue = new Map()));
    const list = byValue.get(v);
    if (list) list.push(item);
    else byValue.set(v, [item]);
    const keyed = b.withKey.get(k);
    if (keyed) keyed.push(item);
    else b.withKey.set(k, [item]);
  }
}

const NO_ITEMS: readonly never[] = Object.freeze([]);

/**
 * Candidates for a label selector from a bucket: the shortest of the posting lists its
 * requirements narrow to (a matchLabels pair or a one-value `In`: the objects with that label;
 * `Exists` or a several-value `In`: the objects with that key), else every object. Each list is a
 * subsequence of the bucket's items in their order, so filtering it gives the same objects in the
 * same order as filtering all of them.
 */
function candidates<T>(b: Bucket<T> | undefined, matchLabels: Record<string, string>, expressions?: unknown): readonly T[] {
  if (!b) return NO_ITEMS;
  // (No closure: this runs for every selector lookup.)
  let best: readonly T[] | undefined;
  for (const k in matchLabels) {
    const l = b.byLabel.get(k)?.get(matchLabels[k]!) ?? NO_ITEMS;
    if (l.length === 0) return l;
    if (!best || l.length < best.length) best = l;
  }
  if (Array.isArray(expressions)) {
    for (const req of expressions as unknown[]) {
      if (!req || typeof req !== 'object') continue;
      const { key, operator, values } = req as { key?: unknown; operator?: unknown; values?: unknown };
      if (typeof key !== 'string') continue;
      let l: readonly T[] | undefined;
      if (operator === 'In' && Array.isArray(values) && values.length === 1) l = b.byLabel.get(key)?.get(String(values[0])) ?? NO_ITEMS;
      else if (operator === 'In' || operator === 'Exists') l = b.withKey.get(key) ?? NO_ITEMS;
      else continue;
      if (!best || l.length < best.length) best = l;
    }
  }
  return best ?? b.items;
}

export interface Conflict {
  key: string;
  resources: Resource[];
}

/**
 * Every resource of one scope, with the indexes cross-checks need: by kind, by
 * kind/namespace/name, and by label within kind and namespace. Selector lookups read posting
 * lists, never every object.
 */
export class ResourceGraph {
  readonly all: Resource[] = [];
  private readonly kinds = new Map<string, Resource[]>();
  /** kind -> namespace ('' when cluster-scoped) -> name -> the objects of that identity. */
  private readonly keys = new Map<string, Map<string, Map<string, Resource[]>>>();
  /** kind -> namespace -> label index, built for a kind when a selector first asks about it (most kinds are never selected). */
  private readonly labelIndex = new Map<string, Map<string, Bucket<Resource>>>();
  private readonly pods = new Map<string, Bucket<PodTemplate>>();
  private readonly nsNames = new Set<string>();
  private added = 0;
  private readonly podsBySelector = new WeakMap<object, { namespace: string; pods: readonly PodTemplate[] }[]>();
  /** Objects defined more than once with different bodies (a hint that the scope mixes clusters). */
  readonly conflicts: Conflict[] = [];
  private readonly conflictKinds = new Set<string>();
  private readonly conflictKeys = new Set<string>();
  /** The distinct bodies of each identity defined more than once. */
  private readonly copies = new WeakMap<Resource[], DistinctBodies>();
  /**
   * For monitors that look in every namespace (`namespaceSelector: {any: true}`): the namespaces
   * in scope order with their positions, and label indexes across namespaces, built on first use
   * (and dropped when an object is added), so such a monitor costs one lookup, not one per namespace.
   */
  private across: { order: Map<string, number>; list: string[]; kinds: Map<string, Bucket<Resource>>; pods?: Bucket<PodTemplate> } | undefined;

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.add(r);
  }

  /** Counts the objects added: a cache of what the graph holds is stale when it changes. */
  get revision(): number {
    return this.added;
  }

  add(r: Resource): void {
    this.added++;
    this.across = undefined;
    if (r.kind === 'Namespace') this.nsLabels = undefined;
    let byNs = this.keys.get(r.kind);
    if (!byNs) this.keys.set(r.kind, (byNs = new Map()));
    let byName = byNs.get(r.namespace ?? '');
    if (!byName) byNs.set(r.namespace ?? '', (byName = new Map()));
    const same = byName.get(r.name);
    if (same) {
      // Compared through a structural hash: many copies of one object (per-cluster folders of a
      // fleet repository) are not compared pairwise.
      let bodies = this.copies.get(same);
      if (!bodies) {
        this.copies.set(same, (bodies = new DistinctBodies()));
        for (const o of same) bodies.add(o.body);
      }
      const differs = bodies.add(r.body);
      same.push(r);
      if (!differs) return; // an exact duplicate adds nothing
      const key = `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;
      if (!this.conflictKeys.has(key)) {
        this.conflictKeys.add(key);
        this.conflicts.push({ key, resources: same });
      }
      this.conflictKinds.add(r.kind);
    } else byName.set(r.name, [r]);
    this.all.push(r);
    const list = this.kinds.get(r.kind);
    if (list) list.push(r);
    else this.kinds.set(r.kind, [r]);
    const ns = r.namespace ?? '';
    if (r.namespace) this.nsNames.add(r.namespace);
    if (r.kind === 'Namespace') this.nsNames.add(r.name);
    const buckets = this.labelIndex.get(r.kind);
    if (buckets) addToBucket(buckets, ns, r, r.labels); // already built: kept up to date
    const tpath = WORKLOAD_TEMPLATE[r.kind];
    if (tpath && r.namespace) {
      let t: unknown = r.body;
      for (const seg of tpath) t = isObj(t) ? t[seg as string] : undefined;
      if (isObj(t)) {
        const labels = stringMap(isObj(t.metadata) ? t.metadata.labels : undefined);
        const spec = isObj(t.spec) ? t.spec : {};
        addToBucket(this.pods, r.namespace, { owner: r, path: tpath, namespace: r.namespace, labels, spec }, labels);
      }
    }
  }

  byKind(kind: string): readonly Resource[] {
    return this.kinds.get(kind) ?? [];
  }

  has(...kinds: string[]): boolean {
    return kinds.some((k) => (this.kinds.get(k)?.length ?? 0) > 0);
  }

  get(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.keys.get(kind)?.get(namespace ?? '')?.get(name)?.[0];
  }

  /** Was any object of this kind defined twice with different bodies? */
  hasConflicts(kind: string): boolean {
    return this.conflictKinds.has(kind);
  }

  /** The label index of a kind, built on first use from the kind's objects (in the order they were added). */
  private kindIndex(kind: string): Map<string, Bucket<Resource>> | undefined {
    let buckets = this.labelIndex.get(kind);
    if (buckets) return buckets;
    const list = this.kinds.get(kind);
    if (!list) return undefined;
    buckets = new Map();
    for (const r of list) addToBucket(buckets, r.namespace ?? '', r, r.labels);
    this.labelIndex.set(kind, buckets);
    return buckets;
  }

  inNamespace(kind: string, namespace: string): readonly Resource[] {
    return this.kindIndex(kind)?.get(namespace)?.items ?? [];
  }

  /** Every namespace the scope mentions (objects' namespaces and Namespace objects). */
  namespaces(): ReadonlySet<string> {
    return this.nsNames;
  }

  private nsLabels: Map<string, { labels: Labels; known: boolean }> | undefined;

  /**
   * Labels of a namespace: its Namespace object's, plus the automatic kubernetes.io/metadata.name.
   * One answer per namespace (asked for every monitor and Prometheus pair): do not modify it.
   */
  namespaceLabels(ns: string): { labels: Labels; known: boolean } {
    let hit = this.nsLabels?.get(ns);
    if (hit) return hit;
    const obj = this.get('Namespace', undefined, ns);
    hit = Object.freeze({ labels: Object.freeze({ ...(obj?.labels ?? {}), 'kubernetes.io/metadata.name': ns }), known: obj !== undefined });
    (this.nsLabels ??= new Map()).set(ns, hit);
    return hit;
  }

  /** The namespaces of the scope in order, as a list (shared: do not modify). */
  namespaceList(): readonly string[] {
    return this.acrossIndex().list;
  }

  private acrossIndex() {
    if (!this.across) {
      const list = [...this.nsNames];
      this.across = { order: new Map(list.map((n, i) => [n, i])), list, kinds: new Map() };
    }
    return this.across;
  }

  /**
   * `selectLabels` over several namespaces, or every namespace of the scope ('all'), in namespace
   * order: what `namespaces.flatMap((n) => selectLabels(kind, n, sel))` gives.
   */
  selectLabelsIn(kind: string, namespaces: readonly string[] | 'all', sel: LabelSelector): Resource[] {
    if (namespaces !== 'all') return namespaces.length === 1 ? this.selectLabels(kind, namespaces[0]!, sel) : namespaces.flatMap((n) => this.selectLabels(kind, n, sel));
    const idx = this.acrossIndex();
    let b = idx.kinds.get(kind);
    if (!b) {
      b = emptyBucket();
      for (const r of this.kinds.get(kind) ?? []) if (r.namespace !== undefined && idx.order.has(r.namespace)) addItem(b, r, r.labels);
      idx.kinds.set(kind, b);
    }
    const hits = candidates(b, matchLabelsOf(sel), sel.matchExpressions).filter((r) => selectorMatches(sel, r.labels));
    return inNamespaceOrder(hits, (r) => idx.order.get(r.namespace!)!);
  }

  /** `podsForLabelSelector` over several namespaces, or every namespace ('all'), in namespace order. */
  podsForLabelSelectorIn(namespaces: readonly string[] | 'all', sel: LabelSelector): PodTemplate[] {
    if (namespaces !== 'all') return namespaces.flatMap((n) => this.podsForLabelSelector(n, sel));
    const idx = this.acrossIndex();
    if (!idx.pods) {
      const b = emptyBucket<PodTemplate>();
      for (const n of idx.list) for (const p of this.pods.get(n)?.items ?? []) addItem(b, p, p.labels);
      idx.pods = b;
    }
    return candidates(idx.pods, matchLabelsOf(sel), sel.matchExpressions).filter((p) => selectorMatches(sel, p.labels));
  }

  /** Objects of a kind in a namespace whose labels match a LabelSelector (`{}` = all). */
  selectLabels(kind: string, namespace: string, sel: LabelSelector): Resource[] {
    const b = this.kindIndex(kind)?.get(namespace);
    return candidates(b, matchLabelsOf(sel), sel.matchExpressions).filter((r) => selectorMatches(sel, r.labels));
  }

  /** Objects of a kind in a namespace matched by a plain map selector (Service `spec.selector`). */
  selectMap(kind: string, namespace: string, sel: Record<string, unknown>): Resource[] {
    const b = this.kindIndex(kind)?.get(namespace);
    return candidates(b, stringMap(sel)).filter((r) => mapSelectorMatches(sel, r.labels));
  }

  /** Pod templates in a namespace whose labels match a Service's map selector (cached per selector object: several rules ask). */
  podsForServiceSelector(namespace: string, sel: Record<string, unknown>): readonly PodTemplate[] {
    // A selector object belongs to one Service, so to one namespace: one entry, rarely more.
    const entries = this.podsBySelector.get(sel);
    if (entries) for (const e of entries) if (e.namespace === namespace) return e.pods;
    let empty = true;
    for (const _ in sel) {
      empty = false;
      break;
    }
    const pods = empty ? [] : candidates(this.pods.get(namespace), stringMap(sel)).filter((p) => mapSelectorMatches(sel, p.labels));
    this.podsBySelector.set(sel, entries ? [...entries, { namespace, pods }] : [{ namespace, pods }]);
    return pods;
  }

  /** Pod templates in a namespace matched by a LabelSelector (PodMonitor `spec.selector`). */
  podsForLabelSelector(namespace: string, sel: LabelSelector): PodTemplate[] {
    return candidates(this.pods.get(namespace), matchLabelsOf(sel), sel.matchExpressions).filter((p) => selectorMatches(sel, p.labels));
  }

  podTemplatesIn(namespace: string): readonly PodTemplate[] {
    return this.pods.get(namespace)?.items ?? [];
  }
}

/**
 * A set of object bodies under structural equality (sameBody): each body is hashed once (key order
 * does not count, as in sameBody) and compared only with the bodies of the same hash.
 */
export class DistinctBodies {
  private readonly byHash = new Map<number, unknown[]>();

  /** Adds a body; true when it equals none added before. */
  add(body: unknown): boolean {
    const h = bodyHash(body);
    const list = this.byHash.get(h);
    if (!list) {
      this.byHash.set(h, [body]);
      return true;
    }
    if (list.some((o) => sameBody(o, body))) return false;
    list.push(body);
    return true;
  }
}

/** Mixes a 32-bit value (murmur3's finalizer). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/**
 * A structural hash agreeing with sameBody: equal bodies hash alike (object keys in any order).
 * Bounded like sameBody: past its node budget every body hashes to one value (and sameBody, over
 * budget, calls them different).
 */
function bodyHash(body: unknown): number {
  let budget = 200_000;
  const walk = (x: unknown, depth: number): number => {
    if (--budget < 0) return 0;
    if (x === null || typeof x !== 'object') return mix(stringHash(`${typeof x}:${String(x)}`));
    // Deeper than any document the parsers accept: a YAML alias cycle. A constant keeps equal bodies equal.
    if (depth > MAX_BODY_DEPTH) return 1;
    if (Array.isArray(x)) {
      let h = 0x9e3779b9 ^ x.length;
      for (const v of x) h = mix(h ^ walk(v, depth + 1));
      return h;
    }
    let h = 0x7f4a7c15;
    for (const k of Object.keys(x)) h = (h + mix(stringHash(k) ^ walk((x as Obj)[k], depth + 1))) | 0; // a sum: order-free
    return mix(h);
  };
  const h = walk(body, 0);
  return budget < 0 ? 0 : h;
}

/** Items grouped by their namespace's position, each group in its own order (a stable sort). */
function inNamespaceOrder<T>(items: T[], position: (t: T) => number): T[] {
  for (let i = 1; i < items.length; i++) if (position(items[i]!) < position(items[i - 1]!)) return items.map((t, j) => ({ t, j, p: position(t) })).sort((a, b) => a.p - b.p || a.j - b.j).map((x) => x.t);
  return items;
}

/** Structural equality with a node budget, so alias-heavy documents cannot blow up the check (over budget = different). */
export function sameBody(a: unknown, b: unknown): boolean {
  let budget = 200_000;
  const eq = (x: unknown, y: unknown, depth: number): boolean => {
    if (--budget < 0) return false;
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (depth > MAX_BODY_DEPTH) return false; // an alias cycle: over budget, so different
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ya = y as unknown[];
      return x.length === ya.length && x.every((v, i) => eq(v, ya[i], depth + 1));
    }
    const xk = Object.keys(x);
    const yo = y as Obj;
    return xk.length === Object.keys(yo).length && xk.every((k) => eq((x as Obj)[k], yo[k], depth + 1));
  };
  return eq(a, b, 0);
}

/** Deeper than the 256 levels the parsers accept: only YAML alias cycles nest further. */
const MAX_BODY_DEPTH = 512;

export { asArray };
