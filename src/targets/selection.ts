import type { ResourceGraph } from '../model/graph.js';
import { type Resource, isObj } from '../model/resource.js';
import { type LabelSelector, explainMismatch, isEmptySelector, selectorMatches, validateSelector } from '../model/selector.js';

export const MONITOR_KINDS = ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];
export const PROMETHEUS_KINDS = ['Prometheus', 'PrometheusAgent'] as const;

/** The Prometheus fields that select each monitor kind (CommonPrometheusFields). */
export const SELECTOR_FIELDS: Record<MonitorKind, { labels: string; namespaces: string }> = {
  ServiceMonitor: { labels: 'serviceMonitorSelector', namespaces: 'serviceMonitorNamespaceSelector' },
  PodMonitor: { labels: 'podMonitorSelector', namespaces: 'podMonitorNamespaceSelector' },
  Probe: { labels: 'probeSelector', namespaces: 'probeNamespaceSelector' },
  ScrapeConfig: { labels: 'scrapeConfigSelector', namespaces: 'scrapeConfigNamespaceSelector' },
};

export type Tri = 'yes' | 'no' | 'unknown';

export interface SelectionVerdict {
  prometheus: Resource;
  selected: Tri;
  /** Why not (when `selected` is no or unknown), in words, and which Prometheus field decides. */
  why?: string;
  field?: string;
  /** What the monitor lacks, e.g. ["the label `release: kps`"] (for label mismatches). */
  missing?: string[];
}

/**
 * Which Prometheus selects which monitor, as the operator decides it
 * (`pkg/prometheus/resource_selector.go`): namespaces first (nil = the Prometheus' own namespace,
 * `{}` = all, otherwise Namespace labels), then the monitor's labels (nil selects nothing,
 * `{}` selects all). Unknown namespace labels give "unknown", never "no".
 */
export class Selection {
  private readonly cache = new Map<Resource, SelectionVerdict[]>();
  private forward: Map<Resource, Resource[]> | undefined;
  readonly prometheuses: readonly Resource[];

  constructor(private readonly graph: ResourceGraph) {
    this.prometheuses = PROMETHEUS_KINDS.flatMap((k) => graph.byKind(k));
  }

  /**
   * Monitor -> the Prometheus objects that certainly select it, computed forward from each
   * Prometheus through the graph's label index (no Prometheus x monitor scan).
   */
  private selectedBy(): Map<Resource, Resource[]> {
    if (this.forward) return this.forward;
    const map = new Map<Resource, Resource[]>();
    for (const prom of this.prometheuses) {
      const spec = isObj(prom.body.spec) ? prom.body.spec : {};
      for (const kind of MONITOR_KINDS) {
        const fields = SELECTOR_FIELDS[kind];
        const sel = spec[fields.labels] as unknown;
        if (!isObj(sel) || !validateSelector(sel).valid) continue;
        const nsSel = spec[fields.namespaces] as unknown;
        let namespaces: string[];
        if (nsSel === undefined || nsSel === null) namespaces = prom.namespace ? [prom.namespace] : [];
        else if (!isObj(nsSel) || !validateSelector(nsSel).valid) continue;
        else if (isEmptySelector(nsSel)) namespaces = [...this.graph.namespaces()];
        else namespaces = [...this.graph.namespaces()].filter((ns) => selectorMatches(nsSel as LabelSelector, this.graph.namespaceLabels(ns).labels));
        for (const ns of namespaces) {
          for (const m of this.graph.selectLabels(kind, ns, sel as LabelSelector)) {
            const list = map.get(m);
            if (list) list.push(prom);
            else map.set(m, [prom]);
          }
        }
      }
    }
    this.forward = map;
    return map;
  }

  /** One verdict per Prometheus/PrometheusAgent in scope. */
  verdicts(monitor: Resource): SelectionVerdict[] {
    let v = this.cache.get(monitor);
    if (!v) {
      v = this.prometheuses.map((p) => this.verdict(p, monitor));
      this.cache.set(monitor, v);
    }
    return v;
  }

  /** The Prometheus objects that certainly select this monitor. */
  selecting(monitor: Resource): Resource[] {
    return this.selectedBy().get(monitor) ?? [];
  }

  private verdict(prom: Resource, monitor: Resource): SelectionVerdict {
    const kind = monitor.kind as MonitorKind;
    const fields = SELECTOR_FIELDS[kind];
    const spec = isObj(prom.body.spec) ? prom.body.spec : {};
    if (!fields) return { prometheus: prom, selected: 'no', why: `${prom.kind} does not select ${kind} objects` };
    // Namespace first. The reasons are words for messages: built when a message reads them (a
    // scope of many Prometheus objects has a verdict for every pair, and few are ever shown).
    const nsSel = spec[fields.namespaces] as unknown;
    const monitorNs = monitor.namespace ?? '';
    let nsOk: Tri;
    let nsWhy: () => string = () => '';
    if (nsSel === undefined || nsSel === null) {
      nsOk = monitorNs === prom.namespace ? 'yes' : 'no';
      nsWhy = () => `${fields.namespaces} is not set, so ${prom.ref} only looks in its own namespace "${prom.namespace}"`;
    } else if (!validateSelector(nsSel).valid || !isObj(nsSel)) {
      nsOk = 'no';
      nsWhy = () => `${fields.namespaces} is not a valid label selector`;
    } else if (isEmptySelector(nsSel)) nsOk = 'yes';
    else {
      const { labels, known } = this.graph.namespaceLabels(monitorNs);
      if (selectorMatches(nsSel as LabelSelector, labels)) nsOk = 'yes';
      else if (!known && !onlyAutomaticLabel(nsSel as LabelSelector)) {
        nsOk = 'unknown';
        nsWhy = () => `the scope holds no Namespace object for "${monitorNs}", so its labels are unknown`;
      } else {
        nsOk = 'no';
        nsWhy = () => `Namespace "${monitorNs}" lacks ${explainMismatch(nsSel as LabelSelector, labels).join(' and ')} required by ${fields.namespaces}`;
      }
    }
    if (nsOk === 'no') return lazyVerdict(prom, 'no', fields.namespaces, nsWhy);
    // Then the monitor's labels.
    const sel = spec[fields.labels] as unknown;
    if (sel === undefined || sel === null) {
      return {
        prometheus: prom,
        selected: 'no',
        why: `${prom.ref} has no ${fields.labels}; a nil selector selects no ${kind}`,
        field: fields.labels,
      };
    }
    const valid = validateSelector(sel);
    if (!valid.valid || !isObj(sel)) {
      return { prometheus: prom, selected: 'no', why: `${fields.labels} is invalid (${valid.valid ? 'not a mapping' : valid.reason})`, field: fields.labels };
    }
    if (!selectorMatches(sel as LabelSelector, monitor.labels)) {
      const missing = explainMismatch(sel as LabelSelector, monitor.labels);
      return { prometheus: prom, selected: 'no', why: `it lacks ${missing.join(' and ')}`, field: fields.labels, missing };
    }
    if (nsOk === 'unknown') return lazyVerdict(prom, 'unknown', fields.namespaces, nsWhy);
    return { prometheus: prom, selected: 'yes' };
  }
}

/** A verdict whose reason is put into words on first read. */
function lazyVerdict(prometheus: Resource, selected: Tri, field: string, explain: () => string): SelectionVerdict {
  let why: string | undefined;
  return {
    prometheus,
    selected,
    get why() {
      return (why ??= explain());
    },
    field,
  };
}

/** Does a namespace selector only read `kubernetes.io/metadata.name`, which every namespace has? */
function onlyAutomaticLabel(sel: LabelSelector): boolean {
  const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
  return keys.length > 0 && keys.every((k) => k === 'kubernetes.io/metadata.name');
}
