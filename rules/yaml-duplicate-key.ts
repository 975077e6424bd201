import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'yaml-duplicate-key';

export const rule = {
  id: ID,
  title: 'Mapping has the same key twice',
  category: 'syntax',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['syntax'],
  precision: 'very-high',
  rationale:
    'Kubernetes rejects an object whose mapping repeats a key, while Helm and many YAML tools keep the last ' +
    'value silently, so what is reviewed and what is applied can differ. The document is still linted with ' +
    'the last value, as Helm would render it.',
  check() {
    // Reported by the parser (src/parse/parse.ts).
  },
} satisfies Rule;
