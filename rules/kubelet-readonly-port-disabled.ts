import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'kubelet-readonly-port-disabled';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of kubelet-readonly-port-disabled',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
