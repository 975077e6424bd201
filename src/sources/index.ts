import type { SourceAdapter } from './adapter.js';
import { helmAdapter } from './helm/index.js';
import { componentsAdapter } from './components/index.js';
import { prometheusConfigAdapter } from './prometheus-config/index.js';

/** The adapters run after every file is parsed, in this order. */
export const adapters: readonly SourceAdapter[] = [helmAdapter, componentsAdapter, prometheusConfigAdapter];
