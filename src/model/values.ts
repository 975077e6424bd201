/**
 * Document values known to be trees. The fast reader (src/parse/fast-yaml.ts) only makes trees;
 * js-yaml and `yaml` turn YAML aliases into shared references, so a small document can hold an
 * exponential number of paths (a "billion laughs"), and synthesized objects may embed such values.
 * Code that walks a whole value without a node budget does so only for values marked here.
 */
const trees = new WeakSet<object>();

/** Marks a value (and, implicitly, everything inside it) as a tree. */
export function markTree(value: unknown): void {
  if (value !== null && typeof value === 'object') trees.add(value);
}

/** Was this value marked as a tree (see markTree)? */
export function isTree(value: unknown): boolean {
  return value !== null && typeof value === 'object' && trees.has(value);
}
