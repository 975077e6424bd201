import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'etcd-client-cert-required';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of etcd-client-cert-required',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
