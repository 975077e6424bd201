import { docsUrl, type Rule } from '../src/engine/rule.js';
import { typeProblems } from '../src/sources/helm/types.js';

const ID = 'helm-values-type';

export const rule = {
  id: ID,
  title: 'Value of the wrong type for a kube-prometheus-stack key',
  category: 'helm',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['helm', 'kube-prometheus-stack'],
  precision: 'high',
  rationale:
    'Helm does not type-check kube-prometheus-stack values. Go templates treat every non-empty string as true, so ' +
    '`enabled: "false"` switches a component on and `enabled: ture` only works by accident; a map where the chart ' +
    'expects a list renders an object Kubernetes rejects, and a list where it expects a map is dropped with a ' +
    'coalesce warning nobody reads.',
  check({ graph, report }) {
    for (const hv of graph.byKind('HelmValues')) {
      for (const p of typeProblems(hv.body.values, String(hv.body.version))) {
        report({ message: p.message, at: hv.locate(['values', ...p.path]), ...(p.severity === 'warning' ? { severity: 'warning' } : {}) });
      }
    }
  },
} satisfies Rule;
