import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The package's own directory (docs/, src/config/schema.json, src/schemas/ live there), found by
 * walking up from this module to the package.json named scrapelint. Works from dist/src/, from the
 * bundled action (dist/action/) and from an installed package alike.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scrapelint') return (root = dir);
      } catch {
        // not ours; keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return (root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
    dir = up;
  }
}
