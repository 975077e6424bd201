import { relatedObjects, selectorTypos } from '../src/targets/near-miss.js';
import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { type LabelSelector, formatSelector, matchLabelsOf, validateSelector } from '../src/model/selector.js';
import { monitorNamespaces, selectsClusterProvidedService } from '../src/targets/services.js';

const ID = 'monitor-selects-nothing';

export const rule = {
  id: ID,
  title: 'ServiceMonitor selects no Service',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['selection', 'cross-check'],
  precision: 'medium',
  rationale:
    'A ServiceMonitor selects Services by their labels, in the namespaces of its namespaceSelector (its own ' +
    'namespace by default). When no Service matches, Prometheus discovers no target for it and shows nothing, ' +
    'not even a Down target. Selecting pod labels instead of Service labels, or forgetting namespaceSelector, ' +
    'are the usual causes.',
  check({ graph, targets, report }) {
    const typos = selectorTypos(graph, targets);
    const services = relatedObjects(graph, (n) => graph.inNamespace('Service', n), (s) => s.labels);
    for (const m of graph.byKind('ServiceMonitor')) {
      if (typos.has(m)) continue; // a typo away from matching: monitor-selector-near-miss says which label
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      if (!isObj(sel) || !validateSelector(sel).valid || selectsClusterProvidedService(sel)) continue; // invalid: the operator rejects the monitor
      const ns = monitorNamespaces(m);
      // Open world: only when the scope holds Services where the monitor looks. The common case
      // (it selects something) costs one cached lookup, before any list is built.
      if (targets.servicesFor(m).length > 0) continue;
      if (!services.exist(ns)) continue;
      const { first: servicesThere, near } = services.where(ns, Object.keys(matchLabelsOf(sel)));
      // Services the selector does match, in namespaces the monitor does not look in: the usual
      // "forgot namespaceSelector" case.
      const elsewhere =
        ns === 'all' ? [] : graph.selectLabelsIn('Service', 'all', sel as LabelSelector).filter((s) => !ns.includes(s.namespace!));
      // Pod templates the selector matches: the "pod labels instead of Service labels" mistake.
      const pods = elsewhere.length ? [] : graph.podsForLabelSelectorIn(ns, sel as LabelSelector);
      const where = ns === 'all' ? 'any namespace' : `namespace${ns.length > 1 ? 's' : ''} ${ns.map((n) => `"${n}"`).join(', ')}`;
      const hint = elsewhere.length
        ? ` ${elsewhere[0]!.ref} has these labels: list its namespace in spec.namespaceSelector ` +
          `(matchNames: [${[...new Set(elsewhere.map((s) => s.namespace))].join(', ')}]).`
        : pods.length
          ? ` The pods of ${pods[0]!.owner.ref} carry these labels: match the Service's own metadata.labels instead, or add these labels to the Service.`
          : ns === 'all'
            ? ' Fix the selector or the Service labels.'
            : ' Fix the selector or the Service labels, or set spec.namespaceSelector if the Service lives in another namespace.';
      // Always point at the other side: the Services that match elsewhere, else those sharing a
      // selector key, else the Services where the monitor looks.
      const shown = [...elsewhere, ...(near.length ? near : servicesThere)].slice(0, 3);
      report({
        message:
          `${m.ref} selects Services with labels ${formatSelector(sel)} in ${where}, but no Service in scope there has ` +
          'them, so Prometheus discovers no target for it. The selector matches Service labels (not pod labels).' +
          hint,
        at: m.locate(['spec', 'selector']),
        related: shown.map((s) => ({ at: s.locate(['metadata', 'labels']), message: `labels of ${s.ref}` })),
      });
    }
  },
} satisfies Rule;
