import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'helm-values-unknown-key';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of helm-values-unknown-key',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
