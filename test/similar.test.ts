/**
 * The banded, allocation-free edit distance (src/model/similar.ts) against the plain table it
 * replaced: the same distance whenever it is within `max`, and "more than max" otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { didYouMean, editDistance } from '../src/model/similar.js';
import { params } from './helpers/property.js';

/** Optimal string alignment distance, the whole table. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'e', 'l', 'r', 's', '-'), maxLength: 14 });

test('editDistance equals the full table within max, and says "more" beyond it', () => {
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
      const want = reference(a, b);
      const got = editDistance(a, b, max);
      if (want <= max) assert.equal(got, want);
      else assert.ok(got > max, `${a} / ${b}: ${got} for ${want} at max ${max}`);
    }),
    params(3000),
  );
});

test('editDistance: transpositions, long strings after short ones (reused rows), known pairs', () => {
  assert.equal(editDistance('relase', 'release', 2), 1);
  assert.equal(editDistance('abcd', 'acbd', 2), 1);
  assert.equal(editDistance('kube-prometheus-stack-prometheus', 'kube-prometheus-stack-prometheuz', 2), 1);
  assert.equal(editDistance('a', 'b', 1), 1);
  assert.equal(editDistance('', 'ab', 2), 2);
  assert.equal(editDistance('x'.repeat(200), `${'x'.repeat(199)}y`, 2), 1);
  assert.equal(editDistance('node-exporter', 'node_exporter', 2), 1);
  assert.equal(didYouMean('alertmanger', ['alertmanager', 'grafana']), 'alertmanager');
});

/** The definition didYouMean's shortcuts must agree with: case-only matches first, then the closest within max. */
function naiveDidYouMean(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const max = word.length <= 4 ? 1 : 2;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : reference(word, c) <= max ? reference(word, c) : max + 1;
    if (d <= max && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

test('didYouMean equals the plain definition, with letters whose case changes length or script', () => {
  const unit = fc.constantFrom('a', 'b', 'k', 'i', 'A', 'K', 'I', '-', 'İ', '\u212a', 'ß', 'ẞ');
  const w = fc.string({ unit, maxLength: 8 });
  fc.assert(
    fc.property(w, fc.array(w, { maxLength: 12 }), (word, candidates) => {
      assert.equal(didYouMean(word, candidates), naiveDidYouMean(word, candidates));
    }),
    params(3000),
  );
});
