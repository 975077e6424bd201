/**
 * Appends every item of `from` to `to`. `to.push(...from)` passes each item as an argument, and an
 * input-sized list (every document of a 600,000-document file, every file of a huge tree) then
 * overflows the call stack.
 */
export function pushAll<T>(to: T[], from: Iterable<T>): void {
  for (const x of from) to.push(x);
}
