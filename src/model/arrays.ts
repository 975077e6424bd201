/**
 * Appends every item of `from` to `to`. `to.push(...from)` passes each item as an argument, and an
 * input-sized list (every document of a 600,000-document file, every file of a huge tree) then
 * overflows the call stack.
 */
export function pushAll<T>(to: T[], from: Iterable<T>): void {
  for (const x of from) to.push(x);
}

/**
 * The list at its exact size, for lists that live as long as the run: an array grown by `push`
 * keeps room for 17 items from the first push on, and most such lists (YAML sequences, a
 * monitor's endpoints, a pod's ports) hold one or two. Long lists are returned as they are.
 */
export function exactSize<T>(list: T[]): T[] {
  return list.length < 64 ? list.slice() : list;
}

/** The items grouped by key, each group in the items' order; items whose key is undefined are left out. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}
