import { docsUrl, type Rule } from '../src/engine/rule.js';

const ID = 'unused-suppression';

export const rule = {
  id: ID,
  title: 'Suppression comment or annotation silences nothing',
  category: 'input',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['suppression'],
  precision: 'very-high',
  rationale:
    'A suppression that no longer matches a finding hides nothing today but would hide a future regression ' +
    'on that line without anyone deciding so again. Remove it once the wiring it excused is fixed.',
  check() {
    // Reported by the engine (src/engine/suppress.ts) after all rules ran.
  },
} satisfies Rule;
