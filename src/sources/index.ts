import type { SourceAdapter } from './adapter.js';

/** The adapters run after every file is parsed, in this order. */
export const adapters: readonly SourceAdapter[] = [];
