import { docsUrl, type Rule } from '../src/engine/rule.js';
import { unknownKeys } from '../src/sources/helm/keys.js';

const ID = 'helm-values-unknown-key';

export const rule = {
  id: ID,
  title: 'Key that kube-prometheus-stack does not read',
  category: 'helm',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['helm', 'kube-prometheus-stack', 'typo'],
  precision: 'high',
  rationale:
    'kube-prometheus-stack has no values schema, so Helm accepts any key and silently ignores the ones its templates ' +
    'never read: a misspelled key (service.enable, exterrnalUrl) or a block under the wrong parent (a top-level ' +
    'prometheusSpec) leaves the chart default in force while the file looks right.',
  check({ graph, report }) {
    for (const hv of graph.byKind('HelmValues')) {
      const b = hv.body;
      const versionText = b.versionKnown ? String(b.version).replace(/^legacy-/, '') : `${String(b.version).replace(/^legacy-/, '')} (version not pinned, newest known assumed)`;
      for (const u of unknownKeys(b.values, String(b.version), String(b.chart), versionText)) {
        const severity =
          u.kind === 'typo' || u.kind === 'wrong-switch' || (u.kind === 'misplaced' && u.path.length === 1 && /Spec$/.test(String(u.path[0])))
            ? undefined
            : u.kind === 'other-version' && !b.versionKnown
              ? 'note'
              : 'warning';
        report({ message: u.message, at: hv.locate(['values', ...u.path]), ...(severity ? { severity } : {}) });
      }
    }
  },
} satisfies Rule;
