import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'yaml-syntax';

export const rule = {
  id: ID,
  title: 'File does not parse as YAML',
  category: 'syntax',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['syntax'],
  precision: 'very-high',
  rationale:
    'A document that does not parse is rejected by kubectl, Helm and Argo CD alike, so none of the wiring it ' +
    'holds is deployed. The finding points at the line and column where parsing stopped; the other documents ' +
    'of the file are still linted.',
  check() {
    // Reported by the parser (src/parse/parse.ts), one finding per broken document.
  },
} satisfies Rule;
