/**
 * Selector typos: a ServiceMonitor/PodMonitor selector that matches nothing, but would match once
 * a label key or value is corrected to one that exists (edit distance, case). Computed once per
 * graph; monitor-selector-near-miss reports them, and the "selects nothing" rules leave those
 * monitors to it, so one mistake gives one finding.
 */
import type { PodTemplate, ResourceGraph } from '../model/graph.js';
import { type Resource, isObj } from '../model/resource.js';
import { type LabelSelector, matchLabelsOf, selectorMatches, validateSelector } from '../model/selector.js';
import { didYouMean } from '../model/similar.js';
import { monitorNamespaces, selectsClusterProvidedService } from './services.js';
import { type LabelValues, labelValues, operatorPods, podLabelValues, requiresRuntimePodLabel } from './reverse.js';
import type { TargetModel } from './model.js';

export interface Correction {
  /** Path of the selector part inside the monitor. */
  path: (string | number)[];
  what: 'key' | 'value';
  key: string;
  from: string;
  to: string;
}

export type Target = Resource | PodTemplate;

export function isPod(t: Target): t is PodTemplate {
  return 'owner' in t;
}

function merge(indexes: LabelValues[]): LabelValues {
  if (indexes.length === 1) return indexes[0]!;
  const out: LabelValues = new Map();
  for (const idx of indexes) {
    for (const [k, vals] of idx) {
      let o = out.get(k);
      if (!o) out.set(k, (o = new Map()));
      for (const [v, it] of vals) if (!o.has(v)) o.set(v, it);
    }
  }
  return out;
}

/** Typos in a selector against the labels that exist, each with its correction. */
function corrections(sel: LabelSelector, labels: LabelValues): { fixes: Correction[]; fixed: LabelSelector } {
  const fixes: Correction[] = [];
  const ml: Record<string, string> = {};
  const keys = [...labels.keys()];
  for (const [k, v] of Object.entries(matchLabelsOf(sel))) {
    const vals = labels.get(k);
    if (vals) {
      if (!vals.has(v)) {
        const to = didYouMean(v, vals.keys());
        if (to !== undefined) fixes.push({ path: ['spec', 'selector', 'matchLabels', k], what: 'value', key: k, from: v, to });
        ml[k] = to ?? v;
      } else ml[k] = v;
      continue;
    }
    const to = didYouMean(k, keys);
    if (to !== undefined && ml[to] === undefined) {
      fixes.push({ path: ['spec', 'selector', 'matchLabels', k], what: 'key', key: k, from: k, to });
      const tv = labels.get(to)!;
      const value = tv.has(v) ? v : didYouMean(v, tv.keys());
      if (value !== undefined && value !== v) fixes.push({ path: ['spec', 'selector', 'matchLabels', k], what: 'value', key: to, from: v, to: value });
      ml[to] = value ?? v;
    } else ml[k] = v;
  }
  const exprs = (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).map((req, i) => {
    if (!req || typeof req !== 'object' || req.operator === 'NotIn' || req.operator === 'DoesNotExist') return req;
    let key = req.key;
    if (!labels.has(key)) {
      const to = didYouMean(key, keys);
      if (to === undefined) return req;
      fixes.push({ path: ['spec', 'selector', 'matchExpressions', i, 'key'], what: 'key', key, from: key, to });
      key = to;
    }
    if (req.operator !== 'In' || !Array.isArray(req.values)) return { ...req, key };
    const vals = labels.get(key)!;
    const values = req.values.map((raw, j) => {
      const v = String(raw);
      if (vals.has(v)) return v;
      const to = didYouMean(v, vals.keys());
      if (to === undefined) return v;
      fixes.push({ path: ['spec', 'selector', 'matchExpressions', i, 'values', j], what: 'value', key, from: v, to });
      return to;
    });
    return { ...req, key, values };
  });
  return { fixes, fixed: { matchLabels: ml, matchExpressions: exprs } };
}


export interface SelectorTypo {
  fixes: Correction[];
  /** What the corrected selector matches. */
  matched: Target[];
  pods: boolean;
}

const cache = new WeakMap<ResourceGraph, Map<Resource, SelectorTypo>>();

/** Monitors whose selector is a typo away from matching, with the corrections. */
export function selectorTypos(graph: ResourceGraph, targets: TargetModel): Map<Resource, SelectorTypo> {
  let m = cache.get(graph);
  if (!m) cache.set(graph, (m = detect(graph, targets)));
  return m;
}

function detect(graph: ResourceGraph, targets: TargetModel): Map<Resource, SelectorTypo> {
  const out = new Map<Resource, SelectorTypo>();
  // Monitors with the same namespaces (any: true, above all) share one merged label index.
  const merged = new Map<string, LabelValues>();
  const nonEmpty = (list: readonly string[], pods: boolean) => list.filter((n) => (pods ? graph.podTemplatesIn(n).length : graph.inNamespace('Service', n).length) > 0);
  let allServices: string[] | undefined;
  let allPods: string[] | undefined;
  const everyServices = () => (allServices ??= nonEmpty(graph.namespaceList(), false));
  const everyPods = () => (allPods ??= nonEmpty(graph.namespaceList(), true));
  for (const kind of ['ServiceMonitor', 'PodMonitor'] as const) {
    const pods = kind === 'PodMonitor';
    for (const m of graph.byKind(kind)) {
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      if (!isObj(sel) || !validateSelector(sel).valid) continue;
      const selector = sel as LabelSelector;
      if (!pods && selectsClusterProvidedService(selector)) continue;
      if (pods && requiresRuntimePodLabel(selector)) continue;
      // It matches something: not a typo (most monitors; the Services are the target model's, already selected).
      if (!pods && targets.servicesFor(m).length > 0) continue;
      const ns = monitorNamespaces(m);
      const select = (s: LabelSelector): Target[] => (pods ? graph.podsForLabelSelectorIn(ns, s) : graph.selectLabelsIn('Service', ns, s));
      // The namespaces that hold something to compare with (once for every monitor of any namespace).
      const candidates = ns === 'all' ? (pods ? everyPods : everyServices)() : nonEmpty(ns, pods);
      if (candidates.length === 0) continue; // nothing to compare with
      if (pods && select(selector).length > 0) continue; // it matches something: not a typo
      if (pods && (ns === 'all' ? graph.namespaceList() : ns).some((n) => operatorPods(graph, n).some((p) => selectorMatches(selector, p.labels)))) continue;
      const cacheKey = ns === 'all' ? `${kind}\u0001all` : `${kind}\u0000${candidates.join('\u0000')}`;
      let labels = merged.get(cacheKey);
      if (!labels) {
        labels = merge(candidates.map((n) => (pods ? podLabelValues(graph, n) : labelValues(graph, 'Service', n))));
        merged.set(cacheKey, labels);
      }
      const { fixes, fixed } = corrections(selector, labels);
      if (fixes.length === 0) continue;
      const matched = select(fixed);
      if (matched.length === 0) continue; // correcting it would not help either: monitor-selects-nothing's business
      out.set(m, { fixes, matched, pods });
    }
  }
  return out;
}

/**
 * For the related locations of "selects nothing" findings: the objects a monitor could have meant,
 * in the namespaces it looks in. `itemsIn` lists a namespace's objects (Services, pod templates).
 * Answers are kept per namespaces and selector keys, so that many broken monitors of one
 * namespace (or of every namespace) do not each walk its objects.
 */
export function relatedObjects<T>(graph: ResourceGraph, itemsIn: (namespace: string) => readonly T[], labelsOf: (t: T) => Record<string, string>) {
  const memo = new Map<string, { first: T[]; near: T[] }>();
  let inAny: boolean | undefined;
  const listOf = (ns: readonly string[] | 'all') => (ns === 'all' ? graph.namespaceList() : ns);
  return {
    /** Does any of the namespaces ('all': of the scope) hold such objects? */
    exist(ns: readonly string[] | 'all'): boolean {
      if (ns === 'all') return (inAny ??= graph.namespaceList().some((n) => itemsIn(n).length > 0));
      return ns.some((n) => itemsIn(n).length > 0);
    },
    /**
     * The first three objects of the namespaces, and the first three that carry one of the
     * selector's keys (in scope order): stops once three near ones are found.
     */
    where(ns: readonly string[] | 'all', keys: readonly string[]): { first: T[]; near: T[] } {
      const key = JSON.stringify([ns === 'all' ? null : ns, [...keys].sort()]);
      let hit = memo.get(key);
      if (hit) return hit;
      hit = { first: [], near: [] };
      done: for (const n of listOf(ns)) {
        for (const t of itemsIn(n)) {
          if (hit.first.length < 3) hit.first.push(t);
          const labels = labelsOf(t);
          if (keys.some((k) => k in labels)) hit.near.push(t);
          if (hit.near.length === 3) break done;
        }
      }
      memo.set(key, hit);
      return hit;
    },
  };
}
