/**
 * In-source suppressions, accountable as in ESLint and pint:
 *
 *   # scrapelint-disable-next-line <id>[, <id>] -- <reason> [until=YYYY-MM-DD]
 *   # scrapelint-disable <id>[, <id>] -- <reason>        (the rest of its document; the whole file above the first one)
 *   # scrapelint-disable-file <id>[, <id>] -- <reason>   (the whole file)
 *   metadata.annotations: scrapelint.io/ignore: "<id>[,<id>] -- <reason>"   (the object; survives `helm template`)
 *
 * A reason is required; `until=` makes the finding come back after that day; a suppression that
 * silences nothing, or names an unknown rule, is itself reported.
 */
import type { Finding, InputProblem } from '../model/finding.js';
import type { LineIndex, Location, SourceFile } from '../model/location.js';
import type { Resource } from '../model/resource.js';
import { didYouMean } from '../targets/services.js';

export interface Directive {
  kind: 'next-line' | 'document' | 'file' | 'annotation';
  rules: string[];
  reason: string | undefined;
  /** YYYY-MM-DD: the suppression ends after this day. */
  until: string | undefined;
  at: Location;
  fromLine: number;
  toLine: number;
  /** Problems found while parsing the directive (then it suppresses nothing). */
  invalid?: string;
}

const DIRECTIVE = /#\s*scrapelint-(disable-next-line|disable-file|disable)\b(.*)$/;
const ANNOTATION = 'scrapelint.io/ignore';

function parseBody(body: string): { rules: string[]; reason: string | undefined; until: string | undefined; invalid?: string } {
  const ids = /^\s*([a-z0-9/-]+(?:\s*,\s*[a-z0-9/-]+)*)/i.exec(body);
  const rules = (ids?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const after = body.slice(ids?.[0].length ?? 0);
  const reasonText = /^\s*--(?:\s|$)(.*)$/.exec(after)?.[1]?.trim() ?? '';
  const until = /\buntil=(\S+)/.exec(reasonText)?.[1];
  const reason = reasonText.replace(/\buntil=\S+/, '').trim() || undefined;
  if (rules.length === 0) return { rules, reason, until, invalid: 'names no rule id' };
  if (!reason) return { rules, reason, until, invalid: 'has no reason (write `-- <why>` after the rule ids)' };
  if (until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(until)) return { rules, reason, until, invalid: `has an invalid until= date "${until}" (expected YYYY-MM-DD)` };
  return { rules, reason, until };
}

/** Directives written as comments in a file. Cheap: only files that mention scrapelint-disable are scanned. */
export function commentDirectives(file: SourceFile, lines: LineIndex, segments: readonly { start: number; end: number }[]): Directive[] {
  if (!file.text.includes('scrapelint-disable')) return [];
  const out: Directive[] = [];
  const total = lines.lineCount;
  const segLines = segments.map((s) => ({ from: lines.position(s.start).line, to: lines.position(Math.max(s.start, s.end - 1)).line }));
  let segAt = 0;
  for (let n = 1; n <= total; n++) {
    const text = lines.lineText(n);
    if (!text.includes('scrapelint-disable')) continue;
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const kindWord = m[1]!;
    const parsed = parseBody(m[2]!.trim());
    const col = text.indexOf('#') + 1;
    const at: Location = { file: file.path, line: n, column: col, endLine: n, endColumn: text.length + 1 };
    let fromLine = 1;
    let toLine = total;
    let kind: Directive['kind'] = 'file';
    if (kindWord === 'disable-next-line') {
      kind = 'next-line';
      fromLine = toLine = n + 1;
    } else if (kindWord === 'disable') {
      // Lines only grow: the segment pointer only moves forward (no scan of every segment per directive).
      while (segAt < segLines.length && segLines[segAt]!.to < n) segAt++;
      const seg = segAt < segLines.length && segLines[segAt]!.from <= n ? segLines[segAt] : undefined;
      if (seg) {
        kind = 'document';
        fromLine = n;
        toLine = seg.to;
      }
    }
    out.push({ kind, ...parsed, at, fromLine, toLine, ...(parsed.invalid ? { invalid: parsed.invalid } : {}) });
  }
  return out;
}

/** `scrapelint.io/ignore` annotations: they cover the object's whole document. */
export function annotationDirectives(resources: readonly Resource[]): Directive[] {
  const out: Directive[] = [];
  for (const r of resources) {
    const value = r.annotations[ANNOTATION];
    if (value === undefined) continue;
    const parsed = parseBody(value.trim());
    const whole = r.locate([]);
    const at = r.locate(['metadata', 'annotations', ANNOTATION]);
    out.push({ kind: 'annotation', ...parsed, at, fromLine: whole.line, toLine: whole.endLine, ...(parsed.invalid ? { invalid: parsed.invalid } : {}) });
  }
  return out;
}

export interface SuppressionResult {
  findings: Finding[];
  /** unused-suppression and invalid-suppression reports. */
  problems: InputProblem[];
}

/** Lines a directive may cover and still be indexed line by line (whole-file directives are not). */
const INDEXED_SPAN = 2000;

/**
 * The directives of one file that cover a line, in their order, without testing every directive
 * for every finding: directives with a short span are indexed by line, the others (whole-file ones)
 * are few and always candidates.
 */
function byLine(directives: readonly Directive[]): (line: number) => readonly Directive[] {
  if (directives.length <= 8) return () => directives;
  const wide: Directive[] = [];
  const lines = new Map<number, Directive[]>();
  const order = new Map<Directive, number>();
  let budget = 4_000_000; // line entries: beyond it, directives are tested one by one as before
  directives.forEach((d, i) => {
    order.set(d, i);
    if (d.toLine - d.fromLine >= INDEXED_SPAN || (budget -= d.toLine - d.fromLine + 1) < 0) {
      wide.push(d);
      return;
    }
    for (let n = d.fromLine; n <= d.toLine; n++) {
      const list = lines.get(n);
      if (list) list.push(d);
      else lines.set(n, [d]);
    }
  });
  return (line) => {
    const narrow = lines.get(line);
    if (!narrow) return wide;
    if (wide.length === 0) return narrow;
    return [...wide, ...narrow].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

/**
 * Marks findings that a valid, unexpired directive covers, and reports directives that are
 * invalid or silence nothing. `today` is injected (YYYY-MM-DD), so rules and tests stay pure.
 */
export function applySuppressions(
  findings: readonly Finding[],
  directives: readonly Directive[],
  opts: { today: string; knownRules: ReadonlySet<string>; enabledRules: ReadonlySet<string> },
): SuppressionResult {
  const problems: InputProblem[] = [];
  const byFile = new Map<string, Directive[]>();
  const usable: Directive[] = [];
  for (const d of directives) {
    const unknown = d.rules.filter((id) => !opts.knownRules.has(id));
    if (d.invalid || unknown.length) {
      const hint = unknown.map((u) => didYouMean(u, opts.knownRules)).find(Boolean);
      const what =
        d.invalid ??
        `names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}${hint ? ` (did you mean "${hint}"?)` : ' (see `scrapelint rules`)'}`;
      problems.push({
        ruleId: 'invalid-suppression',
        at: d.at,
        message: `This suppression is ignored because it ${what}; the findings it meant to silence still count.`,
      });
      continue;
    }
    usable.push(d);
    const list = byFile.get(d.at.file);
    if (list) list.push(d);
    else byFile.set(d.at.file, [d]);
  }
  const used = new Map<Directive, Set<string>>();
  const lookups = new Map<string, (line: number) => readonly Directive[]>();
  const out = findings.map((f) => {
    const inFile = byFile.get(f.at.file);
    if (!inFile) return f;
    let lookup = lookups.get(f.at.file);
    if (!lookup) lookups.set(f.at.file, (lookup = byLine(inFile)));
    for (const d of lookup(f.at.line)) {
      if (!d.rules.includes(f.ruleId) || f.at.line < d.fromLine || f.at.line > d.toLine) continue;
      let set = used.get(d);
      if (!set) used.set(d, (set = new Set()));
      set.add(f.ruleId);
      if (d.until !== undefined && d.until < opts.today) continue; // expired: the finding comes back
      return { ...f, suppression: { kind: 'inSource' as const, justification: d.reason ?? '', at: d.at } };
    }
    return f;
  });
  for (const d of usable) {
    const hit = used.get(d) ?? new Set<string>();
    const idle = d.rules.filter((id) => !hit.has(id) && opts.enabledRules.has(id));
    if (idle.length === 0) continue;
    problems.push({
      ruleId: 'unused-suppression',
      at: d.at,
      message: `This suppression of ${idle.map((i) => `"${i}"`).join(', ')} silences no finding; remove it (or the ids that no longer fire).`,
    });
  }
  return { findings: out, problems };
}
