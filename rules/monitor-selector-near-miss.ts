import { docsUrl, type Rule, type Resource, type RelatedLocation } from '../src/engine/rule.js';
import type { ResourceGraph } from '../src/model/graph.js';
import type { TargetModel } from '../src/targets/model.js';
import { type Correction, isPod, selectorTypos } from '../src/targets/near-miss.js';
import { isObj } from '../src/model/resource.js';
import { type LabelSelector, matchLabelsOf, selectorMatches, validateSelector } from '../src/model/selector.js';
import { MONITOR_KINDS } from '../src/targets/selection.js';
import { didYouMean } from '../src/targets/services.js';

const ID = 'monitor-selector-near-miss';

function describe(fix: Correction): string {
  return fix.what === 'key' ? `label key "${fix.from}" (did you mean "${fix.to}"?)` : `value "${fix.from}" for ${fix.key} (did you mean "${fix.to}"?)`;
}

function checkSelectors(graph: ResourceGraph, targets: TargetModel, report: (r: { message: string; at: ReturnType<Resource['locate']>; related: RelatedLocation[] }) => void): void {
  for (const [m, { fixes, matched, pods }] of selectorTypos(graph, targets)) {
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
    checkSelectors(graph, targets, report);
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
