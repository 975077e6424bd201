/**
 * "Did you mean": bounded edit distance (optimal string alignment: insertions, deletions,
 * substitutions and adjacent transpositions each count one, so `relase` is one edit from
 * `release`), and the closest candidate.
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The closest candidate within a small edit distance (a case-only difference counts as closer). */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const max = word.length <= 4 ? 1 : 2;
  const lower = word.toLowerCase();
  // Lower-casing keeps the length of ASCII text (not of every letter: "İ" becomes two characters).
  const ascii = ASCII.test(word);
  for (const c of candidates) {
    if (c === word) continue;
    if (Math.abs(c.length - word.length) > max && ascii && ASCII.test(c)) continue; // too far apart by length alone
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(word, c, max);
    if (d <= max && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
