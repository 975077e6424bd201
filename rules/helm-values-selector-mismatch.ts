import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'helm-values-selector-mismatch';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of helm-values-selector-mismatch',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
