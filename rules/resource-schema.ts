import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'resource-schema';

// STUB: being implemented (see issue 4). Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of resource-schema',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
