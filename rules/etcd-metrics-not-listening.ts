import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'etcd-metrics-not-listening';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of etcd-metrics-not-listening',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
