/** fast-check run parameters shared by the property tests. */

/** CI runs a fixed seed (a red CI must be reproducible); local runs explore new cases (PROPERTY_SEED=<n> replays one). */
export const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : process.env.CI ? 20261123 : undefined;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 0);

/** `numRuns` unless PROPERTY_RUNS overrides it, and the seed when one is fixed. */
export const params = (numRuns: number) => ({ numRuns: RUNS || numRuns, ...(SEED !== undefined ? { seed: SEED } : {}) });
