import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'control-plane-insecure-port-disabled';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of control-plane-insecure-port-disabled',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
