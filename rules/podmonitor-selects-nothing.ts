import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'podmonitor-selects-nothing';

// STUB: being implemented (see issue 4). Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of podmonitor-selects-nothing',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
