import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { formatSelector, matchLabelsOf } from '../src/model/selector.js';
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
    for (const m of graph.byKind('ServiceMonitor')) {
      const sel = isObj(m.body.spec) ? m.body.spec.selector : undefined;
      if (!isObj(sel) || selectsClusterProvidedService(sel)) continue;
      const ns = monitorNamespaces(m);
      // Open world: only when the scope holds Services where the monitor looks.
      const nsList = ns === 'all' ? [...graph.namespaces()] : ns;
      const servicesThere = nsList.flatMap((n) => graph.inNamespace('Service', n));
      if (servicesThere.length === 0) continue;
      if (targets.servicesFor(m).length > 0) continue;
      const keys = Object.keys(matchLabelsOf(sel));
      const near = servicesThere.filter((s) => keys.some((k) => k in s.labels)).slice(0, 3);
      const where = ns === 'all' ? 'any namespace' : `namespace${ns.length > 1 ? 's' : ''} ${ns.map((n) => `"${n}"`).join(', ')}`;
      report({
        message:
          `${m.ref} selects Services with labels ${formatSelector(sel)} in ${where}, but no Service in scope has ` +
          'them, so Prometheus discovers no target for it. The selector matches Service labels (not pod labels); ' +
          'fix the labels, or set spec.namespaceSelector if the Service lives in another namespace.',
        at: m.locate(['spec', 'selector']),
        related: near.map((s) => ({ at: s.locate(['metadata', 'labels']), message: `labels of ${s.ref}` })),
      });
    }
  },
} satisfies Rule;
