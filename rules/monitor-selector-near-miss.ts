import { docsUrl, type Rule, type Resource, type RelatedLocation } from '../src/engine/rule.js';
import type { PodTemplate, ResourceGraph } from '../src/model/graph.js';
import { isObj } from '../src/model/resource.js';
import { type LabelSelector, matchLabelsOf, selectorMatches, validateSelector } from '../src/model/selector.js';
import { MONITOR_KINDS } from '../src/targets/selection.js';
import { didYouMean, monitorNamespaces, selectsClusterProvidedService } from '../src/targets/services.js';
import { type LabelValues, labelValues, operatorPods, podLabelValues, requiresRuntimePodLabel } from '../src/targets/reverse.js';

const ID = 'monitor-selector-near-miss';

interface Correction {
  /** Path of the selector part inside the monitor. */
  path: (string | number)[];
  what: 'key' | 'value';
  key: string;
  from: string;
  to: string;
}

type Target = Resource | PodTemplate;

function isPod(t: Target): t is PodTemplate {
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

function describe(fix: Correction): string {
  return fix.what === 'key' ? `label key "${fix.from}" (did you mean "${fix.to}"?)` : `value "${fix.from}" for ${fix.key} (did you mean "${fix.to}"?)`;
}

function checkSelectors(graph: ResourceGraph, report: (r: { message: string; at: ReturnType<Resource['locate']>; related: RelatedLocation[] }) => void): void {
  // Monitors with the same namespaces (any: true, above all) share one merged label index.
  const merged = new Map<string, LabelValues>();
  for (const kind of ['ServiceMonitor', 'PodMonitor'] as const) {
    const pods = kind === 'PodMonitor';
    for (const m of graph.byKind(kind)) {
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      if (!isObj(sel) || !validateSelector(sel).valid) continue;
      const selector = sel as LabelSelector;
      if (!pods && selectsClusterProvidedService(selector)) continue;
      if (pods && requiresRuntimePodLabel(selector)) continue;
      const ns = monitorNamespaces(m);
      const nsList = ns === 'all' ? [...graph.namespaces()] : ns;
      const select = (s: LabelSelector): Target[] =>
        nsList.flatMap((n): Target[] => (pods ? graph.podsForLabelSelector(n, s) : graph.selectLabels('Service', n, s)));
      const candidates = nsList.filter((n) => (pods ? graph.podTemplatesIn(n).length : graph.inNamespace('Service', n).length) > 0);
      if (candidates.length === 0) continue; // nothing to compare with
      if (select(selector).length > 0) continue; // it matches something: not a typo
      if (pods && nsList.some((n) => operatorPods(graph, n).some((p) => selectorMatches(selector, p.labels)))) continue;
      const cacheKey = `${kind}\u0000${candidates.join('\u0000')}`;
      let labels = merged.get(cacheKey);
      if (!labels) {
        labels = merge(candidates.map((n) => (pods ? podLabelValues(graph, n) : labelValues(graph, 'Service', n))));
        merged.set(cacheKey, labels);
      }
      const { fixes, fixed } = corrections(selector, labels);
      if (fixes.length === 0) continue;
      const matched = select(fixed);
      if (matched.length === 0) continue; // correcting it would not help either: monitor-selects-nothing's business
      const first = matched[0]!;
      const what = pods ? 'pod template' : 'Service';
      const related = matched.slice(0, 3).map((t) =>
        isPod(t)
          ? { at: t.owner.locate([...t.path, 'metadata', 'labels']), message: `pod labels of ${t.owner.ref}` }
          : { at: t.locate(['metadata', 'labels']), message: `labels of ${t.ref}` },
      );
      const whom = isPod(first) ? `The pods of ${first.owner.ref}` : first.ref;
      for (const fix of fixes) {
        report({
          message:
            `${m.ref} selects the ${describe(fix)}, which no ${what} in its namespaces has, so it selects nothing and ` +
            `Prometheus discovers no target for it (0/0 up). ${whom} ${matched.length > 1 ? `(and ${matched.length - 1} more) ` : ''}` +
            `would match with \`${fix.what === 'key' ? `${fix.to}` : `${fix.key}: ${fix.to}`}\`: fix the selector ` +
            `(or the ${what} labels, if the selector is right).`,
          at: m.locate(fix.path),
          related,
        });
      }
    }
  }
}

export const rule = {
  id: ID,
  title: 'Selector label differs by a typo from a label that exists',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['selection', 'cross-check'],
  precision: 'high',
  rationale:
    'Label selectors match exactly: `app.kubernetes.io/name: node-exporter` does not select `node_exporter`, ' +
    'and a monitor labelled `relase: kps` is not selected by `release: kps`. Nothing reports the miss; the ' +
    'targets just never appear. When a one- or two-character change would make the selector match, the typo ' +
    'is almost certainly the cause.',
  check({ graph, targets, report }) {
    checkSelectors(graph, report);
    // Monitor labels vs the Prometheus *MonitorSelector: only for monitors that nobody selects.
    if (targets.selection.prometheuses.length === 0) return;
    for (const kind of MONITOR_KINDS) {
      for (const m of graph.byKind(kind)) {
        if (targets.selection.selecting(m).length > 0) continue;
        const done = new Set<string>();
        for (const v of targets.selection.verdicts(m)) {
          if (!v.missing || !v.field) continue;
          const sel = isObj(v.prometheus.body.spec) ? v.prometheus.body.spec[v.field] : undefined;
          if (!isObj(sel) || !validateSelector(sel).valid) continue;
          const fixed: Record<string, string> = { ...m.labels };
          const found: { label: string; text: string }[] = [];
          for (const [k, want] of Object.entries(matchLabelsOf(sel as LabelSelector))) {
            const have = m.labels[k];
            if (have === want) continue;
            if (have !== undefined) {
              if (didYouMean(have, [want]) === undefined) continue;
              fixed[k] = want;
              found.push({ label: k, text: `the label \`${k}: ${have}\`, but ${v.prometheus.ref} selects ${kind}s with \`${k}: ${want}\`: did you mean "${want}"?` });
              continue;
            }
            const typo = Object.keys(m.labels).find((mk) => mk !== k && didYouMean(mk, [k]) === k && !(mk in matchLabelsOf(sel as LabelSelector)));
            if (typo === undefined) continue;
            const value = m.labels[typo]!;
            fixed[k] = value === want || didYouMean(value, [want]) ? want : value;
            found.push({
              label: typo,
              text: `the label \`${typo}: ${value}\`, but ${v.prometheus.ref} selects ${kind}s with \`${k}: ${want}\`: did you mean "${k}"?`,
            });
          }
          if (found.length === 0 || !selectorMatches(sel as LabelSelector, fixed)) continue;
          for (const f of found) {
            if (done.has(f.label)) continue;
            done.add(f.label);
            report({
              message:
                `${m.ref} carries ${f.text} As written no Prometheus in scope selects it (${v.field}), so it is never ` +
                'scraped and nothing logs an error. Fix the label in metadata.labels.',
              at: m.locate(['metadata', 'labels', f.label]),
              related: [{ at: v.prometheus.locate(['spec', v.field]), message: `${v.field} of ${v.prometheus.ref}` }],
            });
          }
        }
      }
    }
  },
} satisfies Rule;
