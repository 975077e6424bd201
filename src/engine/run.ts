import type { Finding, InputProblem, Report, Severity } from '../model/finding.js';
import { SEVERITY_RANK } from '../model/finding.js';
import type { Location } from '../model/location.js';
import type { ResourceGraph } from '../model/graph.js';
import { TargetModel } from '../targets/model.js';
import type { Rule } from './rule.js';

/** A problem of the tool itself (a rule that threw or reported garbage): SARIF toolExecutionNotifications. */
export interface Notification {
  ruleId?: string;
  message: string;
}

export interface RunOptions {
  rules: readonly Rule[];
  graph: ResourceGraph;
  /** Findings from loading and parsing; they go through the same severity and validation. */
  problems?: readonly InputProblem[];
  /** Line counts of the loaded files, to validate that every location lies inside its file. */
  fileLines?: Pick<ReadonlyMap<string, number>, 'get'>;
  /** Throw on an invalid report instead of turning it into a notification (tests). */
  strict?: boolean;
  ruleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The configured level of a rule for a file ('off' drops the finding); default: the rule's. */
  levelFor?: (ruleId: string, ruleSeverity: Severity, file: string) => Severity | 'off';
  /** Skip running rules (input problems are still processed). */
  skipChecks?: boolean;
}

export interface RunResult {
  findings: Finding[];
  notifications: Notification[];
  /** Milliseconds per rule. */
  timings: Map<string, number>;
}

export function validateReport(r: Report, fileLines?: Pick<ReadonlyMap<string, number>, 'get'>): string | undefined {
  if (typeof r.message !== 'string' || r.message.trim() === '') return 'empty message';
  if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(r.message)) return `message contains a placeholder leak: ${r.message}`;
  const bad = (l: Location | undefined): string | undefined => {
    if (!l || typeof l.file !== 'string' || l.file === '') return 'location without file';
    for (const k of ['line', 'column', 'endLine', 'endColumn'] as const)
      if (!Number.isInteger(l[k]) || l[k] < 1) return `location ${k} is ${String(l[k])}`;
    if (l.endLine < l.line || (l.endLine === l.line && l.endColumn < l.column)) return 'location ends before it starts';
    const n = fileLines?.get(l.file);
    if (n !== undefined && l.line > Math.max(n, 1)) return `line ${l.line} is past the end of ${l.file} (${n} lines)`;
    return undefined;
  };
  const e = bad(r.at);
  if (e) return e;
  for (const rel of r.related ?? []) {
    const er = bad(rel.at);
    if (er) return `related location: ${er}`;
    if (!rel.message) return 'related location without message';
  }
  return undefined;
}

function withTemplate(message: string, at: Location): string {
  return at.template ? `${message} (rendered from ${at.template})` : message;
}

/** Runs every rule over one scope. A rule that throws is reported and the run goes on. */
export function runRules(opts: RunOptions): RunResult {
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const timings = new Map<string, number>();
  const byId = new Map(opts.rules.map((r) => [r.id, r]));
  const seen = new Set<string>();

  const accept = (ruleId: string, base: Severity, r: Report) => {
    const problem = validateReport(r, opts.fileLines);
    if (problem) {
      if (opts.strict) throw new Error(`rule ${ruleId} made an invalid report: ${problem}`);
      notifications.push({ ruleId, message: `invalid report dropped: ${problem}` });
      return;
    }
    const level = opts.levelFor ? opts.levelFor(ruleId, base, r.at.file) : base;
    if (level === 'off') return;
    // A report lowered below the rule's level (weaker evidence) is lowered the same way under a configured level.
    const lowered = r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[base] ? SEVERITY_RANK[base] - SEVERITY_RANK[r.severity] : 0;
    const rank = Math.max(1, SEVERITY_RANK[level] - lowered);
    const severity = (['note', 'warning', 'error'] as const)[rank - 1]!;
    const f: Finding = {
      ruleId,
      severity,
      message: withTemplate(r.message, r.at),
      at: r.at,
      related: r.related ?? [],
    };
    const key = `${ruleId}\u0000${f.at.file}\u0000${f.at.line}\u0000${f.at.column}\u0000${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };

  for (const p of opts.problems ?? []) {
    const rule = byId.get(p.ruleId);
    if (!rule) continue; // the rule is switched off
    accept(p.ruleId, rule.severity, p);
  }

  const targets = new TargetModel(opts.graph);
  for (const rule of opts.skipChecks ? [] : opts.rules) {
    const t0 = performance.now();
    try {
      rule.check({
        graph: opts.graph,
        targets,
        options: Object.freeze({ ...(opts.ruleOptions?.[rule.id] ?? {}) }),
        report: (r) => accept(rule.id, rule.severity, r),
      });
    } catch (err) {
      if (opts.strict) throw err;
      const e = err as Error;
      notifications.push({ ruleId: rule.id, message: `rule ${rule.id} failed: ${e?.message ?? String(err)}` });
    }
    timings.set(rule.id, (timings.get(rule.id) ?? 0) + performance.now() - t0);
  }
  findings.sort(compareFindings);
  return { findings, notifications, timings };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.at.file < b.at.file ? -1 : a.at.file > b.at.file ? 1 : 0) ||
    a.at.line - b.at.line ||
    a.at.column - b.at.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
