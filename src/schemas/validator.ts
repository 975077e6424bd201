/**
 * The CRD validator a run uses: load.ts's CrdValidator with the validators compiled ahead of time
 * (validators.generated.ts, from precompile.ts). Apart from load.ts so that the generator, which
 * imports load.ts, never loads the file it writes.
 */
import { CrdValidator, type Precompiled, crdSchemasDigest, loadCrdSchemas } from './load.js';
import { COMPILED_FROM, precompiledValidators } from './validators.generated.js';

let shared: CrdValidator | undefined;

/**
 * One validator per process, with the validators compiled ahead of time from this very schema
 * file; if the file changed since (regenerate with `npm run build:schemas`), every validator is
 * compiled at run time instead.
 */
export function crdValidator(): CrdValidator {
  if (shared) return shared;
  const file = loadCrdSchemas();
  return (shared = new CrdValidator(file, COMPILED_FROM === crdSchemasDigest() ? (precompiledValidators() as Precompiled) : new Map()));
}
