import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'invalid-suppression';

export const rule = {
  id: ID,
  title: 'Suppression without a reason, with an unknown rule id or a bad date',
  category: 'input',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['suppression'],
  precision: 'very-high',
  rationale:
    'Every suppression must say why (`-- <reason>`), name rules that exist, and write an expiry as ' +
    '`until=YYYY-MM-DD`. A suppression that does not is ignored, so the finding it meant to silence still ' +
    'shows, and this rule says why.',
  check() {
    // Reported by the engine (src/engine/suppress.ts).
  },
} satisfies Rule;
