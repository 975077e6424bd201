import { docsUrl, type Rule } from '../src/engine/rule.js';
import { type Resource, isObj } from '../src/model/resource.js';

const ID = 'helm-values-selector-mismatch';

const KINDS = [
  { kind: 'ServiceMonitor', key: 'serviceMonitor' },
  { kind: 'PodMonitor', key: 'podMonitor' },
  { kind: 'Probe', key: 'probe' },
] as const;

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** Objects rendered by a chart (kube-prometheus-stack itself, its subcharts) or synthesized from values are not the repo's own. */
function ownMonitor(r: Resource): boolean {
  if (r.annotations['scrapelint.io/synthesized-from'] !== undefined || r.helmSource !== undefined) return false;
  return r.labels.heritage !== 'Helm' && r.labels['app.kubernetes.io/managed-by'] !== 'Helm';
}

function hasKey(v: unknown, path: string[]): boolean {
  let cur: unknown = v;
  for (const seg of path) {
    if (!isObj(cur) || !(seg in cur)) return false;
    cur = cur[seg];
  }
  return true;
}

export const rule = {
  id: ID,
  title: 'Helm values select monitors by a release label the repository monitors lack',
  category: 'helm',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['helm', 'kube-prometheus-stack', 'selection', 'cross-check'],
  precision: 'high',
  rationale:
    'With prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues left true (the default) and no selector ' +
    'of its own, kube-prometheus-stack renders serviceMonitorSelector: {matchLabels: {release: <release name>}}. ' +
    'ServiceMonitors, PodMonitors and Probes written in the repo without that label are never scraped. An empty ' +
    'selector {} does not help: an empty map is false for Go templates.',
  check({ graph, targets, report }) {
    // A monitor another Prometheus of the scope selects is meant for that one.
    const selectedElsewhere = (m: Resource) =>
      targets.selection.selecting(m).some((p) => p.annotations['scrapelint.io/synthesized-from'] === undefined);
    // The repository's own monitors no other Prometheus selects, per kind, with a count per release
    // label: built once, not filtered again for every release (a fleet holds hundreds).
    const candidates = new Map<string, { list: Resource[]; perRelease: Map<string | undefined, Resource[]> }>();
    const candidatesOf = (kind: string) => {
      let c = candidates.get(kind);
      if (!c) {
        c = { list: graph.byKind(kind).filter((m) => ownMonitor(m) && !selectedElsewhere(m)), perRelease: new Map() };
        for (const m of c.list) {
          const list = c.perRelease.get(m.labels.release);
          if (list) list.push(m);
          else c.perRelease.set(m.labels.release, [m]);
        }
        candidates.set(kind, c);
      }
      return c;
    };
    /** The monitors that lack the release's label: how many, and the first ten, in scope order. */
    const lacking = (kind: string, release: string, releaseKnown: boolean): { count: number; first: Resource[] } => {
      const c = candidatesOf(kind);
      // With a release name that is only assumed, a monitor naming another release may be right.
      if (!releaseKnown) {
        const unlabelled = c.perRelease.get(undefined) ?? [];
        return { count: unlabelled.length, first: unlabelled.slice(0, 10) };
      }
      const first: Resource[] = [];
      for (const m of c.list) {
        if (m.labels.release === release) continue;
        first.push(m);
        if (first.length === 10) break;
      }
      return { count: c.list.length - (c.perRelease.get(release)?.length ?? 0), first };
    };
    for (const hv of graph.byKind('HelmValues')) {
      const b = hv.body;
      if (b.layerIndex !== b.layerCount - 1) continue; // once per release, on its last layer
      const spec = isObj(b.effective?.prometheus?.prometheusSpec) ? b.effective.prometheus.prometheusSpec : {};
      if (isObj(b.effective?.prometheus) && b.effective.prometheus.enabled === false) continue;
      const release = String(b.release);
      for (const { kind, key } of KINDS) {
        if (truthy(spec[`${key}Selector`]) || !truthy(spec[`${key}SelectorNilUsesHelmValues`])) continue;
        const missing = lacking(kind, release, Boolean(b.releaseKnown));
        if (missing.count === 0) continue;
        const names = missing.first.slice(0, 5).map((m) => m.ref).join(', ') + (missing.count > 5 ? ` and ${missing.count - 5} more` : '');
        // Point at the empty selector when the user wrote one (`{}` is false for Go templates), else at the switch.
        const selWritten = hasKey(b.values, ['prometheus', 'prometheusSpec', `${key}Selector`]);
        const nilPath = ['effective', 'prometheus', 'prometheusSpec', selWritten ? `${key}Selector` : `${key}SelectorNilUsesHelmValues`];
        report({
          message:
            `prometheus.prometheusSpec.${key}SelectorNilUsesHelmValues is true and ${key}Selector is empty` +
            `${selWritten ? ' (an empty map is false for Go templates, so {} does not mean "all")' : ''}, so the Prometheus of release ` +
            `"${release}"${b.releaseKnown ? '' : ' (release name assumed; set cluster.helm.releaseName)'} only selects ${kind}s labelled release: ${release}; ` +
            `${missing.count} of the repository's ${kind}s lack it (${names}) and are never scraped. Add the label to them, ` +
            `or set ${key}SelectorNilUsesHelmValues: false to select every ${kind}.`,
          at: hv.locate(nilPath),
          related: missing.first.map((m) => ({ at: m.locate(['metadata', 'labels']), message: `labels of ${m.ref}` })),
        });
      }
    }
  },
} satisfies Rule;
