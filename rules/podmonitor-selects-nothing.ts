import { relatedObjects, selectorTypos } from '../src/targets/near-miss.js';
import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import type { PodTemplate } from '../src/model/graph.js';
import { type LabelSelector, formatSelector, matchLabelsOf, selectorMatches, validateSelector } from '../src/model/selector.js';
import { monitorNamespaces } from '../src/targets/services.js';
import { customResourcesIn, operatorPods, requiresRuntimePodLabel } from '../src/targets/reverse.js';

const ID = 'podmonitor-selects-nothing';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

export const rule = {
  id: ID,
  title: 'PodMonitor selects no pod template',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['selection', 'cross-check'],
  precision: 'medium',
  rationale:
    'A PodMonitor selects pods by the labels of their pod template, in the namespaces of its namespaceSelector ' +
    '(its own namespace by default). When no pod matches, Prometheus discovers no target for it and shows ' +
    'nothing, not even a Down target. Selecting the Service or Deployment labels instead of the pod template ' +
    'labels, or forgetting namespaceSelector, are the usual causes.',
  check({ graph, targets, report }) {
    const typos = selectorTypos(graph, targets);
    const templates = relatedObjects(graph, (n) => graph.podTemplatesIn(n), (p) => p.labels);
    for (const m of graph.byKind('PodMonitor')) {
      if (typos.has(m)) continue; // a typo away from matching: monitor-selector-near-miss says which label
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      // A missing or invalid selector is the schema's business (the operator rejects the monitor).
      if (!isObj(sel) || !validateSelector(sel).valid) continue;
      const selector = sel as LabelSelector;
      // Labels added at run time (pod-template-hash, Istio's security.istio.io/tlsMode...): unknown.
      if (requiresRuntimePodLabel(selector)) continue;
      const ns = monitorNamespaces(m);
      const nsList = ns === 'all' ? graph.namespaceList() : ns;
      // Open world: only when the scope holds workloads where the monitor looks.
      if (!templates.exist(ns)) continue;
      if (graph.podsForLabelSelectorIn(ns, selector).length > 0) continue;
      // Pods the operator (or another operator) creates at run time are not in the repository.
      if (nsList.some((n) => operatorPods(graph, n).some((p) => selectorMatches(selector, p.labels)))) continue;
      const values = new Set(Object.values(matchLabelsOf(selector)));
      if (nsList.some((n) => customResourcesIn(graph, n).some((r) => values.has(r.name)))) continue;

      const { first: podsThere, near } = templates.where(ns, Object.keys(matchLabelsOf(selector)));
      // Pod templates the selector matches in namespaces the monitor does not look in.
      const elsewhere: PodTemplate[] = ns === 'all' ? [] : graph.podsForLabelSelectorIn('all', selector).filter((p) => !ns.includes(p.namespace));
      // The usual confusions: the labels are the Service's, or the workload's own metadata.labels.
      const services = elsewhere.length ? [] : graph.selectLabelsIn('Service', ns, selector);
      const owners =
        elsewhere.length || services.length ? [] : nsList.flatMap((n) => WORKLOAD_KINDS.flatMap((k) => graph.selectLabels(k, n, selector)));
      const where = ns === 'all' ? 'any namespace' : `namespace${ns.length > 1 ? 's' : ''} ${ns.map((n) => `"${n}"`).join(', ')}`;
      const hint = elsewhere.length
        ? ` The pods of ${elsewhere[0]!.owner.ref} have these labels: list its namespace in spec.namespaceSelector ` +
          `(matchNames: [${[...new Set(elsewhere.map((p) => p.namespace))].join(', ')}]).`
        : services.length
          ? ` ${services[0]!.ref} has these labels: a PodMonitor matches pod labels, not Service labels. Select the labels of ` +
            'the pod template the Service selects, or use a ServiceMonitor.'
          : owners.length
            ? ` ${owners[0]!.ref} has these labels on its own metadata, but a PodMonitor matches the labels of its pod ` +
              `template (${owners[0]!.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template'}.metadata.labels): select those, or add the labels to the template.`
            : ns === 'all'
              ? ' Fix the selector or the pod template labels.'
              : ' Fix the selector or the pod template labels, or set spec.namespaceSelector if the pods run in another namespace.';
      const related = [
        ...elsewhere.slice(0, 3).map((p) => ({ at: p.owner.locate([...p.path, 'metadata', 'labels']), message: `pod labels of ${p.owner.ref}` })),
        ...services.slice(0, 2).map((s) => ({ at: s.locate(['metadata', 'labels']), message: `labels of ${s.ref}` })),
        ...owners.slice(0, 2).map((o) => ({ at: o.locate(['metadata', 'labels']), message: `labels of ${o.ref} itself (not of its pods)` })),
        ...(near.length ? near : podsThere)
          .slice(0, 3)
          .map((p) => ({ at: p.owner.locate([...p.path, 'metadata', 'labels']), message: `pod labels of ${p.owner.ref}` })),
      ].slice(0, 4);
      report({
        message:
          `${m.ref} selects pods with labels ${formatSelector(selector)} in ${where}, but no pod template in scope there ` +
          'has them, so Prometheus discovers no target for it (its job shows 0/0 up).' +
          hint,
        at: m.locate(['spec', 'selector']),
        related,
      });
    }
  },
} satisfies Rule;
