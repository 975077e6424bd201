/**
 * Plugins: modules that export rules with exactly the built-in contract (`export const rules = [...]`,
 * or a default export `{ rules }`). Loaded only when the configuration lists them, never
 * implicitly from the linted repository. A plugin that fails to load, or a rule that does not
 * satisfy the contract, is reported and the run goes on without it.
 */
import { pathToFileURL } from 'node:url';
import type { Rule } from './rule.js';
import type { Notification } from './run.js';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)?$/;

function problemOf(r: unknown, taken: ReadonlySet<string>): string | undefined {
  if (!r || typeof r !== 'object') return 'is not an object';
  const x = r as Partial<Rule>;
  if (typeof x.id !== 'string' || !ID.test(x.id)) return `has an invalid id ${JSON.stringify(x.id)} (kebab-case, optionally "plugin/rule")`;
  if (taken.has(x.id)) return `id "${x.id}" is already taken`;
  if (typeof x.check !== 'function') return `"${x.id}" has no check(ctx) function`;
  if (!['error', 'warning', 'note'].includes(String(x.severity))) return `"${x.id}" has no severity (error, warning or note)`;
  if (typeof x.title !== 'string' || typeof x.rationale !== 'string') return `"${x.id}" needs a title and a rationale`;
  return undefined;
}

/**
 * `importModule`: how a plugin is imported (the bundled CLI passes an import() of its own: code
 * compiled through V8's code cache, src/cli/code-cache.ts, cannot import()).
 */
export async function loadPlugins(
  specs: readonly string[],
  builtins: readonly Rule[],
  importModule: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<{ rules: Rule[]; notifications: Notification[] }> {
  const rules: Rule[] = [];
  const notifications: Notification[] = [];
  const taken = new Set(builtins.map((r) => r.id));
  for (const spec of specs) {
    let mod: { rules?: unknown; default?: { rules?: unknown } };
    try {
      mod = (await importModule(spec.startsWith('/') ? pathToFileURL(spec).href : spec)) as typeof mod;
    } catch (err) {
      notifications.push({ message: `plugin ${spec} failed to load: ${(err as Error).message}` });
      continue;
    }
    const list = mod.rules ?? mod.default?.rules;
    if (!Array.isArray(list)) {
      notifications.push({ message: `plugin ${spec} exports no rules array` });
      continue;
    }
    for (const r of list) {
      const problem = problemOf(r, taken);
      if (problem) {
        notifications.push({ message: `plugin ${spec}: a rule ${problem}; it was not loaded` });
        continue;
      }
      const rule = r as Rule;
      taken.add(rule.id);
      rules.push(Object.assign({ tags: [], category: 'selection', precision: 'medium', docs: '' }, rule));
    }
  }
  return { rules, notifications };
}
