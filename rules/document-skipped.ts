import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'document-skipped';

export const rule = {
  id: ID,
  title: 'Document looks like a Kubernetes object but is incomplete',
  category: 'input',
  severity: 'note',
  docs: docsUrl(ID),
  tags: ['input'],
  precision: 'very-high',
  rationale:
    'A document with apiVersion and kind but no metadata.name cannot be applied as is (it is a snippet, a ' +
    'patch or a template fragment), so it takes no part in the cross-checks. The note makes that visible.',
  check() {
    // Reported by the Kubernetes source adapter (src/sources/kubernetes.ts).
  },
} satisfies Rule;
