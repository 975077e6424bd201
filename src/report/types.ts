import type { Finding } from '../model/finding.js';
import type { Notification } from '../engine/run.js';
import type { Rule } from '../engine/rule.js';

/** Everything a formatter may use. Formatters are pure: input -> string. */
export interface ReportInput {
  findings: readonly Finding[];
  notifications: readonly Notification[];
  /** Metadata of every rule that ran (ESLint's rulesMeta). */
  rules: readonly Rule[];
  /** Text of each linted file, for code frames. */
  sources: ReadonlyMap<string, string>;
  /** Lines that must never be shown (Secret values). */
  sensitiveLines?: (file: string) => ReadonlySet<number>;
  /** The lint root as an absolute path (SARIF originalUriBaseIds). */
  root: string;
  toolVersion: string;
  /** Each rule's docs page (Markdown), for SARIF help.markdown. */
  ruleHelp?: Pick<ReadonlyMap<string, string>, 'get'>;
  stats?: { files: number; documents: number; resources: number };
}

/** Counts of the findings that are in force (not suppressed, not known from the baseline). */
export function counts(findings: readonly Finding[]): { error: number; warning: number; note: number; suppressed: number; baseline: number } {
  const c = { error: 0, warning: 0, note: 0, suppressed: 0, baseline: 0 };
  for (const f of findings) {
    if (f.suppression) c.suppressed++;
    else if (f.baselineState === 'unchanged') c.baseline++;
    else c[f.severity]++;
  }
  return c;
}
