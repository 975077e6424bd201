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

function addToBucket<T>(map: Map<string, Bucket<T>>, ns: string, item: T, labels: Labels): void {
  let b = map.get(ns);
  if (!b) map.set(ns, (b = { items: [], byLabel: new Map() }));
  b.items.push(item);
  for (const k in labels) {
    const v = labels[k]!;
    let byValue = b.byLabel.get(k);
    if (!byValue) b.byLabel.set(k, (byValue = new Map()));
    const list = byValue.get(v);
    if (list) list.push(item);
    else byValue.set(v, [item]);
  }
}

/** Candidates for a label selector from a bucket: the shortest posting list of its matchLabels. */
function candidates<T>(b: Bucket<T> | undefined, matchLabels: Record<string, string>): T[] {
  if (!b) return [];
  let best: T[] | undefined;
  for (const k in matchLabels) {
    const list = b.byLabel.get(k)?.get(matchLabels[k]!) ?? [];
    if (!best || list.length < best.length) best = list;
    if (best.length === 0) break;
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
  private readonly labelIndex = new Map<string, Map<string, Bucket<Resource>>>();
  private readonly pods = new Map<string, Bucket<PodTemplate>>();
  private readonly nsNames = new Set<string>();
  private readonly podsBySelector = new WeakMap<object, { namespace: string; pods: readonly PodTemplate[] }[]>();
  /** Objects defined more than once with different bodies (a hint that the scope mixes clusters). */
  readonly conflicts: Conflict[] = [];
  private readonly conflictKinds = new Set<string>();
  private readonly conflictKeys = new Set<string>();

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.add(r);
  }

  add(r: Resource): void {
    let byNs = this.keys.get(r.kind);
    if (!byNs) this.keys.set(r.kind, (byNs = new Map()));
    let byName = byNs.get(r.namespace ?? '');
    if (!byName) byNs.set(r.namespace ?? '', (byName = new Map()));
    const same = byName.get(r.name);
    if (same) {
      const differs = same.every((o) => !sameBody(o.body, r.body));
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
    let buckets = this.labelIndex.get(r.kind);
    if (!buckets) this.labelIndex.set(r.kind, (buckets = new Map()));
    addToBucket(buckets, ns, r, r.labels);
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

  inNamespace(kind: string, namespace: string): readonly Resource[] {
    return this.labelIndex.get(kind)?.get(namespace)?.items ?? [];
  }

  /** Every namespace the scope mentions (objects' namespaces and Namespace objects). */
  namespaces(): ReadonlySet<string> {
    return this.nsNames;
  }

  /** Labels of a namespace: its Namespace object's, plus the automatic kubernetes.io/metadata.name. */
  namespaceLabels(ns: string): { labels: Labels; known: boolean } {
    const obj = this.get('Namespace', undefined, ns);
    return { labels: { ...(obj?.labels ?? {}), 'kubernetes.io/metadata.name': ns }, known: obj !== undefined };
  }

  /** Objects of a kind in a namespace whose labels match a LabelSelector (`{}` = all). */
  selectLabels(kind: string, namespace: string, sel: LabelSelector): Resource[] {
    const b = this.labelIndex.get(kind)?.get(namespace);
    return candidates(b, matchLabelsOf(sel)).filter((r) => selectorMatches(sel, r.labels));
  }

  /** Objects of a kind in a namespace matched by a plain map selector (Service `spec.selector`). */
  selectMap(kind: string, namespace: string, sel: Record<string, unknown>): Resource[] {
    const b = this.labelIndex.get(kind)?.get(namespace);
    return candidates(b, stringMap(sel)).filter((r) => mapSelectorMatches(sel, r.labels));
  }

  /** Pod templates in a namespace whose labels match a Service's map selector (cached per selector object: several rules ask). */
  podsForServiceSelector(namespace: string, sel: Record<string, unknown>): readonly PodTemplate[] {
    // A selector object belongs to one Service, so to one namespace: one entry, rarely more.
    const entries = this.podsBySelector.get(sel);
    if (entries) for (const e of entries) if (e.namespace === namespace) return e.pods;
    const pods = Object.keys(sel).length === 0 ? [] : candidates(this.pods.get(namespace), stringMap(sel)).filter((p) => mapSelectorMatches(sel, p.labels));
    this.podsBySelector.set(sel, entries ? [...entries, { namespace, pods }] : [{ namespace, pods }]);
    return pods;
  }

  /** Pod templates in a namespace matched by a LabelSelector (PodMonitor `spec.selector`). */
  podsForLabelSelector(namespace: string, sel: LabelSelector): PodTemplate[] {
    return candidates(this.pods.get(namespace), matchLabelsOf(sel)).filter((p) => selectorMatches(sel, p.labels));
  }

  podTemplatesIn(namespace: string): readonly PodTemplate[] {
    return this.pods.get(namespace)?.items ?? [];
  }
}

/** Structural equality with a node budget, so alias-heavy documents cannot blow up the check (over budget = different). */
export function sameBody(a: unknown, b: unknown): boolean {
  let budget = 200_000;
  const eq = (x: unknown, y: unknown): boolean => {
    if (--budget < 0) return false;
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ya = y as unknown[];
      return x.length === ya.length && x.every((v, i) => eq(v, ya[i]));
    }
    const xk = Object.keys(x);
    const yo = y as Obj;
    return xk.length === Object.keys(yo).length && xk.every((k) => eq((x as Obj)[k], yo[k]));
  };
  return eq(a, b);
}

export { asArray };
