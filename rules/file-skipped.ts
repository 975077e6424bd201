import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'file-skipped';

export const rule = {
  id: ID,
  title: 'File was not linted',
  category: 'input',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['input'],
  precision: 'very-high',
  rationale:
    'A file that cannot be read, is larger than the size limit, or a link that cannot be resolved is left out ' +
    'of the run, so its wiring is not checked; scrapelint says so instead of skipping it silently. Unrendered ' +
    'Helm templates and binary files are reported as notes.',
  check() {
    // Reported by the loader (src/load/load.ts) and the parser.
  },
} satisfies Rule;
