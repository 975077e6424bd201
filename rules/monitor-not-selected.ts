import { docsUrl, type Rule } from '../src/engine/rule.js';
import { MONITOR_KINDS, SELECTOR_FIELDS, type MonitorKind, type SelectionVerdict } from '../src/targets/selection.js';
import { type Resource, isObj } from '../src/model/resource.js';
import { type LabelSelector, explainMismatch, matchLabelsOf } from '../src/model/selector.js';

const RELEASE_KEYS = ['release', 'app.kubernetes.io/instance'];

function releaseOf(r: Resource): string | undefined {
  return r.annotations['meta.helm.sh/release-name'] ?? RELEASE_KEYS.map((k) => r.labels[k]).find((v) => v !== undefined);
}

/**
 * Evidence that the monitor was meant for this Prometheus: it comes from the same Helm release,
 * or it carries a selector key with another value (a near miss, not a stranger).
 */
function meantFor(prom: Resource, m: Resource): boolean {
  const rel = releaseOf(m);
  if (rel !== undefined && rel === releaseOf(prom)) return true;
  const field = SELECTOR_FIELDS[m.kind as MonitorKind]?.labels;
  const sel = field && isObj(prom.body.spec) ? prom.body.spec[field] : undefined;
  return Object.entries(matchLabelsOf(isObj(sel) ? sel : undefined)).some(([k, v]) => m.labels[k] !== undefined && m.labels[k] !== v);
}

const ID = 'monitor-not-selected';

export const rule = {
  id: ID,
  title: 'No Prometheus selects this monitor',
  category: 'selection',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['selection', 'cross-check'],
  precision: 'high',
  rationale:
    'The operator only turns ServiceMonitors, PodMonitors, Probes and ScrapeConfigs into scrape jobs when a ' +
    'Prometheus selects them by label and namespace. A monitor that no Prometheus selects is silently ignored: ' +
    'it never appears under Status > Targets and nothing logs an error. kube-prometheus-stack selects only ' +
    'monitors labelled `release: <release name>` by default.',
  check({ graph, targets, report }) {
    const proms = targets.selection.prometheuses;
    if (proms.length === 0) return; // open world: the Prometheus lives elsewhere
    const mixed = graph.hasConflicts('Prometheus') || graph.hasConflicts('PrometheusAgent');
    for (const kind of MONITOR_KINDS) {
      for (const m of graph.byKind(kind)) {
        if (targets.selection.selecting(m).length > 0) continue;
        const verdicts = targets.selection.verdicts(m);
        if (verdicts.some((v) => v.selected !== 'no')) continue;
        const byLabels = verdicts.filter((v) => v.missing);
        const onlyNamespace = byLabels.length === 0 && verdicts.every((v) => v.field?.endsWith('NamespaceSelector'));
        // Certain only when the scope is one coherent cluster with one Prometheus, or the monitor
        // shows it was meant for one of them; otherwise it may belong to a Prometheus elsewhere.
        const certain = !mixed && (proms.length === 1 || verdicts.some((v) => meantFor(v.prometheus, m)));
        // Each Prometheus says why; with many (a fleet of releases in one scope) only the first few,
        // or every message and its related locations would grow with the number of Prometheus objects.
        const first = byLabels[0];
        // The Prometheus the fix names is always among those shown.
        const shown = verdicts.length <= SHOWN || !first || verdicts.indexOf(first) < SHOWN ? verdicts.slice(0, SHOWN) : [...verdicts.slice(0, SHOWN - 1), first];
        const reasons =
          shown.map((v) => `${v.prometheus.ref}: ${withoutRef(v)}`).join('; ') +
          (verdicts.length > SHOWN ? `; and ${verdicts.length - SHOWN} more Prometheus object${verdicts.length - SHOWN === 1 ? ' that does' : 's that do'} not select it either` : '');
        const v0 = verdicts[0]!;
        const nsSel = onlyNamespace ? specField(v0) : undefined;
        const nsObj = isObj(nsSel) ? graph.get('Namespace', undefined, m.namespace ?? '') : undefined;
        const fix = first
          ? `${labelFix(first.missing!)} in metadata.labels of ${m.ref}, or widen spec.${first.field} of ${first.prometheus.ref}.`
          : nsObj
            ? `Add ${explainMismatch(nsSel as LabelSelector, graph.namespaceLabels(nsObj.name).labels).map(bare).join(' and ')} ` +
              `to the labels of ${nsObj.ref}, or widen spec.${v0.field} of ${v0.prometheus.ref}.`
            : onlyNamespace
              ? `Move ${m.ref} into a namespace that ${v0.prometheus.ref} watches, or set its spec.${v0.field} (\`{}\` selects every namespace).`
              : `Set spec.${v0.field ?? 'serviceMonitorSelector'} of ${v0.prometheus.ref} to a selector that matches ${m.ref} (\`{}\` selects every ${m.kind}).`;
        report({
          message:
            `${m.ref} is selected by no Prometheus in scope, so it is never scraped (it is missing from Status > ` +
            `Targets and no error is logged). ${reasons}. ${fix}` +
            (mixed
              ? ' The scope defines the same Prometheus more than once with different bodies; if it mixes clusters, lint them separately.'
              : certain
                ? ''
                : ' (A warning: the scope holds several Prometheus objects and nothing ties this monitor to one of them; it may be meant for a Prometheus outside this repository.)'),
          at: m.locate(onlyNamespace ? ['metadata', 'namespace'] : ['metadata', 'labels']),
          related: [
            ...shown.map((v) => ({
              at: v.prometheus.locate(v.field ? ['spec', v.field] : ['spec']),
              message: `${v.field ?? 'selectors'} of ${v.prometheus.ref}`,
            })),
            ...(nsObj ? [{ at: nsObj.locate(['metadata', 'labels']), message: `labels of ${nsObj.ref}` }] : []),
          ],
          ...(certain ? {} : { severity: 'warning' as const }),
        });
      }
    }
  },
} satisfies Rule;

/** Prometheus objects named in one finding (message and related locations). */
const SHOWN = 5;

function specField(v: SelectionVerdict): unknown {
  const spec = v.prometheus.body.spec;
  return v.field && isObj(spec) ? spec[v.field] : undefined;
}

/** The verdict's reason without a leading repetition of the Prometheus' name. */
function withoutRef(v: SelectionVerdict): string {
  const why = v.why ?? 'it does not select this monitor';
  return why.startsWith(`${v.prometheus.ref} `) ? why.slice(v.prometheus.ref.length + 1) : why;
}

/** "the label `k: v`" and "`k: v` (it has `k: w`)" become "`k: v`". */
function bare(missing: string): string {
  return missing.replace(/^the label /, '').replace(/ \(it has [^)]*\)$/, '');
}

/** The fix for missing monitor labels: set plain pairs, satisfy expressions. */
function labelFix(missing: string[]): string {
  const wanted = missing.map(bare);
  const pairs = wanted.filter((w) => /^`[^`]+: [^`]*`$/.test(w));
  const exprs = wanted.filter((w) => !pairs.includes(w));
  const text = [...(pairs.length ? [`set ${pairs.join(' and ')}`] : []), ...(exprs.length ? [`satisfy ${exprs.join(' and ')}`] : [])].join(' and ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
