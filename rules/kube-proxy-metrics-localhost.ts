import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'kube-proxy-metrics-localhost';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of kube-proxy-metrics-localhost',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
