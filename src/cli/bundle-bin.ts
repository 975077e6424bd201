#!/usr/bin/env node
/**
 * The one-file CLI's entry (dist/action/cli.js, which the pre-commit hook and the npm bin run):
 * loads the bundled CLI (dist/action/scrapelint.cjs, built from src/cli/run.ts) through V8's code
 * cache (src/cli/code-cache.ts) and runs it.
 */
import path from 'node:path';
import { loadBundle } from './code-cache.js';

const cli = loadBundle(path.join(import.meta.dirname, 'scrapelint.cjs')) as { runCli(importModule: (specifier: string) => Promise<unknown>): Promise<void> };
// Plugins are imported from here, a real module next to the bundle: code from the cache cannot import().
await cli.runCli((specifier) => import(specifier));
