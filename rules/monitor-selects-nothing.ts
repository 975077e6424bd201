import { selectorTypos } from '../src/targets/near-miss.js';
import { docsUrl, type Rule } from '../src/engine/rule.js';
import { type Resource, isObj } from '../src/model/resource.js';
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
    const typos = selectorTypos(graph);
    // The first Services (in scope order) of the namespaces a monitor looks in, and of those the
    // first that carry one of its selector keys: memoized per namespaces and keys, so that many
    // broken monitors of one namespace do not each scan its Services (quadratic otherwise).
    const firstServices = new Map<string, { any: Resource[]; near: Resource[] }>();
    const servicesWhere = (nsList: readonly string[], keys: readonly string[]) => {
      const key = `${nsList.join('\u0000')}\u0001${[...keys].sort().join('\u0000')}`;
      let hit = firstServices.get(key);
      if (!hit) {
        hit = { any: [], near: [] };
        for (const n of nsList) {
          for (const svc of graph.inNamespace('Service', n)) {
            if (hit.any.length < 3) hit.any.push(svc);
            if (keys.some((k) => k in svc.labels)) hit.near.push(svc);
            if (hit.near.length === 3) break;
          }
          if (hit.near.length === 3) break;
        }
        firstServices.set(key, hit);
      }
      return hit;
    };
    for (const m of graph.byKind('ServiceMonitor')) {
      if (typos.has(m)) continue; // a typo away from matching: monitor-selector-near-miss says which label
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      if (!isObj(sel) || !validateSelector(sel).valid || selectsClusterProvidedService(sel)) continue; // invalid: the operator rejects the monitor
      const ns = monitorNamespaces(m);
      // Open world: only when the scope holds Services where the monitor looks. The common case
      // (it selects something) costs one cached lookup, before any list is built.
      if (targets.servicesFor(m).length > 0) continue;
      const nsList = ns === 'all' ? [...graph.namespaces()] : ns;
      if (!nsList.some((n) => graph.inNamespace('Service', n).length > 0)) continue;
      const { any: servicesThere, near } = servicesWhere(nsList, Object.keys(matchLabelsOf(sel)));
      // Services the selector does match, in namespaces the monitor does not look in: the usual
      // "forgot namespaceSelector" case.
      const elsewhere =
        ns === 'all'
          ? []
          : [...graph.namespaces()].filter((n) => !ns.includes(n)).flatMap((n) => graph.selectLabels('Service', n, sel as LabelSelector));
      // Pod templates the selector matches: the "pod labels instead of Service labels" mistake.
      const pods = elsewhere.length ? [] : nsList.flatMap((n) => graph.podsForLabelSelector(n, sel as LabelSelector));
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
      const related = [...elsewhere, ...(near.length ? near : servicesThere)].slice(0, 3);
      report({
        message:
          `${m.ref} selects Services with labels ${formatSelector(sel)} in ${where}, but no Service in scope there has ` +
          'them, so Prometheus discovers no target for it. The selector matches Service labels (not pod labels).' +
          hint,
        at: m.locate(['spec', 'selector']),
        related: related.map((s) => ({ at: s.locate(['metadata', 'labels']), message: `labels of ${s.ref}` })),
      });
    }
  },
} satisfies Rule;
