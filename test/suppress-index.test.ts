/**
 * applySuppressions looks directives up by line (src/engine/suppress.ts) once a file has more
 * than a few: random directives (whole-file, next-line, document spans, expired ones, several
 * rules) and random findings of one file must give exactly what testing every directive in order
 * for every finding gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applySuppressions, type Directive } from '../src/engine/suppress.js';
import type { Finding } from '../src/model/finding.js';
import { params } from './helpers/property.js';

const RULES = ['a-rule', 'b-rule', 'c-rule'];
const TODAY = '2026-11-23';
const at = (line: number) => ({ file: 'big.yaml', line, column: 1, endLine: line, endColumn: 2 });

const directiveArb: fc.Arbitrary<Directive> = fc
  .record({
    kind: fc.constantFrom('next-line', 'document', 'file', 'annotation'),
    from: fc.integer({ min: 1, max: 5000 }),
    span: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1990, max: 2010 })),
    rules: fc.subarray(RULES, { minLength: 1 }),
    until: fc.constantFrom(undefined, '2026-01-01', '2027-01-01'),
    line: fc.integer({ min: 1, max: 5000 }),
  })
  .map(({ kind, from, span, rules, until, line }) => ({
    kind: kind as Directive['kind'],
    rules,
    reason: 'why',
    until,
    at: at(line),
    fromLine: kind === 'file' ? 1 : from,
    toLine: kind === 'file' ? 5000 : kind === 'next-line' ? from : from + span,
  }));

const findingArb: fc.Arbitrary<Finding> = fc
  .record({ rule: fc.constantFrom(...RULES), line: fc.integer({ min: 1, max: 5000 }) })
  .map(({ rule, line }) => ({ ruleId: rule, severity: 'error', message: `m${line}`, at: at(line), related: [] }));

/** The definition: the first directive, in order, that covers the finding's line and names its rule. */
function naive(findings: readonly Finding[], directives: readonly Directive[]) {
  const used = new Map<Directive, Set<string>>();
  const out = findings.map((f) => {
    for (const d of directives) {
      if (!d.rules.includes(f.ruleId) || f.at.line < d.fromLine || f.at.line > d.toLine) continue;
      let set = used.get(d);
      if (!set) used.set(d, (set = new Set()));
      set.add(f.ruleId);
      if (d.until !== undefined && d.until < TODAY) continue;
      return directives.indexOf(d);
    }
    return -1;
  });
  const unused = directives.filter((d) => RULES.some((r) => d.rules.includes(r) && !used.get(d)?.has(r))).length;
  return { out, unused };
}

test('suppressions looked up by line equal testing every directive in order', () => {
  fc.assert(
    fc.property(fc.array(directiveArb, { maxLength: 60 }), fc.array(findingArb, { maxLength: 200 }), (directives, findings) => {
      const r = applySuppressions(findings, directives, { today: TODAY, knownRules: new Set(RULES), enabledRules: new Set(RULES) });
      const expected = naive(findings, directives);
      assert.deepEqual(
        r.findings.map((f) => (f.suppression ? directives.findIndex((d) => d.at === f.suppression!.at) : -1)),
        expected.out,
      );
      assert.equal(r.problems.filter((p) => p.ruleId === 'unused-suppression').length, expected.unused);
    }),
    params(300),
  );
});
