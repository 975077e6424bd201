import type { ResourceGraph } from '../model/graph.js';
import { type Resource, isObj } from '../model/resource.js';
import { type LabelSelector, type Labels, explainMismatch, isEmptySelector, selectorMatches, validateSelector } from '../model/selector.js';

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

  /**
   * One verdict per Prometheus/PrometheusAgent in scope, made on each call (not kept: with many
   * Prometheus objects there is one per pair). `why` and `missing` may be accessors that put the
   * reason into words when read: copy them by name (`{ ...v, why: v.why }`), not by spreading.
   */
  verdicts(monitor: Resource): SelectionVerdict[] {
    // Keeping them all for the run cost more in garbage collection than making them again for the second rule that asks.
    return this.prometheuses.map((p) => this.verdict(p, monitor));
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
    // Namespace first. The reasons are words for messages, built when a message reads them: a
    // scope of many Prometheus objects has a verdict for every pair, and few are ever shown.
    const nsSel = spec[fields.namespaces] as unknown;
    const monitorNs = monitor.namespace ?? '';
    if (nsSel === undefined || nsSel === null) {
      if (monitorNs !== prom.namespace) return new NamespaceVerdict(prom, 'no', fields.namespaces, 'unset', monitorNs);
    } else if (!validateSelector(nsSel).valid || !isObj(nsSel)) return new NamespaceVerdict(prom, 'no', fields.namespaces, 'invalid', monitorNs);
    else if (!isEmptySelector(nsSel)) {
      const { labels, known } = this.graph.namespaceLabels(monitorNs);
      if (!selectorMatches(nsSel as LabelSelector, labels)) {
        if (known || onlyAutomaticLabel(nsSel as LabelSelector)) return new NamespaceVerdict(prom, 'no', fields.namespaces, 'lacks', monitorNs, nsSel as LabelSelector, labels);
        return this.labelVerdict(prom, monitor, spec, new NamespaceVerdict(prom, 'unknown', fields.namespaces, 'unknown', monitorNs));
      }
    }
    return this.labelVerdict(prom, monitor, spec, undefined);
  }

  /** The verdict of the monitor's labels, once its namespace is in (or unknown: `unknownNamespace`). */
  private labelVerdict(prom: Resource, monitor: Resource, spec: Record<string, unknown>, unknownNamespace: NamespaceVerdict | undefined): SelectionVerdict {
    const kind = monitor.kind as MonitorKind;
    const fields = SELECTOR_FIELDS[kind];
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
    if (!selectorMatches(sel as LabelSelector, monitor.labels)) return new LabelVerdict(prom, fields.labels, sel as LabelSelector, monitor.labels);
    return unknownNamespace ?? { prometheus: prom, selected: 'yes' };
  }
}

/**
 * A namespace that keeps a monitor out (or whose labels are unknown). The reason is put into words
 * when `why` is read; JSON gives the same fields as a plain verdict.
 */
class NamespaceVerdict implements SelectionVerdict {
  readonly #reason: 'unset' | 'invalid' | 'lacks' | 'unknown';
  readonly #namespace: string;
  readonly #selector: LabelSelector | undefined;
  readonly #labels: Labels | undefined;
  #text: string | undefined;

  constructor(
    readonly prometheus: Resource,
    readonly selected: Tri,
    readonly field: string,
    reason: 'unset' | 'invalid' | 'lacks' | 'unknown',
    namespace: string,
    selector?: LabelSelector,
    labels?: Labels,
  ) {
    this.#reason = reason;
    this.#namespace = namespace;
    this.#selector = selector;
    this.#labels = labels;
  }

  get why(): string {
    if (this.#text !== undefined) return this.#text;
    const p = this.prometheus;
    switch (this.#reason) {
      case 'unset':
        return (this.#text = `${this.field} is not set, so ${p.ref} only looks in its own namespace "${p.namespace}"`);
      case 'invalid':
        return (this.#text = `${this.field} is not a valid label selector`);
      case 'unknown':
        return (this.#text = `the scope holds no Namespace object for "${this.#namespace}", so its labels are unknown`);
      default:
        return (this.#text = `Namespace "${this.#namespace}" lacks ${explainMismatch(this.#selector!, this.#labels!).join(' and ')} required by ${this.field}`);
    }
  }

  toJSON(): SelectionVerdict {
    return { prometheus: this.prometheus, selected: this.selected, why: this.why, field: this.field };
  }
}

/**
 * Monitor labels that a Prometheus selector does not match. What they lack (never empty) is put into
 * words when `missing` or `why` is read; JSON gives the same fields as a plain verdict.
 */
class LabelVerdict implements SelectionVerdict {
  readonly selected = 'no' as const;
  readonly #selector: LabelSelector;
  readonly #labels: Labels;
  #missing: string[] | undefined;

  constructor(
    readonly prometheus: Resource,
    readonly field: string,
    selector: LabelSelector,
    labels: Labels,
  ) {
    this.#selector = selector;
    this.#labels = labels;
  }

  get missing(): string[] {
    return (this.#missing ??= explainMismatch(this.#selector, this.#labels));
  }

  get why(): string {
    return `it lacks ${this.missing.join(' and ')}`;
  }

  toJSON(): SelectionVerdict {
    return { prometheus: this.prometheus, selected: this.selected, why: this.why, field: this.field, missing: this.missing };
  }
}

/** Does a namespace selector only read `kubernetes.io/metadata.name`, which every namespace has? */
function onlyAutomaticLabel(sel: LabelSelector): boolean {
  const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
  return keys.length > 0 && keys.every((k) => k === 'kubernetes.io/metadata.name');
}
