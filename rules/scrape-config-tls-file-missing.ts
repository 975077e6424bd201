import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'scrape-config-tls-file-missing';

// STUB: being implemented. Replace the whole file.
export const rule = {
  id: ID,
  title: 'TODO title of scrape-config-tls-file-missing',
  category: 'selection',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: [],
  precision: 'high',
  rationale: 'TODO.',
  check() {},
} satisfies Rule;
