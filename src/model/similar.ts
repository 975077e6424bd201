/**
 * "Did you mean": bounded edit distance (optimal string alignment: insertions, deletions,
 * substitutions and adjacent transpositions each count one, so `relase` is one edit from
 * `release`), and the closest candidate.
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rows of the table, reused across calls (no allocation per comparison). Cells farther
  // than `max` from the diagonal cannot hold a distance within `max`: they are left at max + 1.
  if (rows[0].length < n + 1) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows;
  const over = max + 1;
  for (let j = 0; j <= n; j++) prev[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    cur[0] = i <= max ? i : over;
    if (lo > 1) cur[lo - 1] = over;
    let rowMin = cur[0]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      if (v > over) v = over;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < n) cur[hi + 1] = over;
    if (rowMin > max) return over;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, over);
}

let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

const ASCII = /^[\x00-\x7f]*$/;

/** The closest candidate within a small edit distance (a case-only difference counts as closer). */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const max = word.length <= 4 ? 1 : 2;
  const lower = word.toLowerCase();
  // When the word is ASCII, a candidate that equals it but for case has its length: the only
  // lower-casing that changes a length ("İ" to "i̇") gives a non-ASCII result. So a candidate of
  // another length is only an edit-distance candidate, and one too far by length alone is skipped.
  const ascii = ASCII.test(word);
  for (const c of candidates) {
    if (c === word) continue;
    const diff = Math.abs(c.length - word.length);
    if (ascii && diff > max) continue;
    const d = (!ascii || diff === 0) && c.toLowerCase() === lower ? 0.5 : editDistance(word, c, max);
    if (d <= max && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
