import { styleText } from 'node:util';
import { counts, type ReportInput } from './types.js';
import type { Location } from '../model/location.js';

export interface TextOptions {
  color: boolean;
  /** Lines of context above and below the offending lines. */
  context?: number;
}

type Style = Parameters<typeof styleText>[0];

/** file:line:col  severity  message  rule-id, a code frame, related locations, and a summary. */
export function formatText(input: ReportInput, opts: TextOptions): string {
  const paint = (style: Style, s: string) => (opts.color ? styleText(style, s, { validateStream: false }) : s);
  const sevStyle = { error: 'red', warning: 'yellow', note: 'blue' } as const;
  const out: string[] = [];
  for (const f of input.findings) {
    if (f.suppression || f.baselineState === 'unchanged') continue;
    out.push(
      `${paint('bold', `${f.at.file}:${f.at.line}:${f.at.column}`)}  ${paint(sevStyle[f.severity], f.severity)}  ${f.message}  ${paint('dim', f.ruleId)}`,
    );
    const frame = codeFrame(input, f.at, opts.context ?? 1);
    if (frame) out.push(frame);
    for (const r of f.related) out.push(`    ${paint('dim', 'related:')} ${r.at.file}:${r.at.line}:${r.at.column}  ${r.message}`);
    out.push('');
  }
  for (const n of input.notifications) out.push(`${paint('red', 'internal error')}  ${n.message}${n.ruleId ? `  ${paint('dim', n.ruleId)}` : ''}`);
  const c = counts(input.findings);
  const total = c.error + c.warning + c.note;
  const hiddenNote = [c.suppressed ? `${c.suppressed} suppressed` : '', c.baseline ? `${c.baseline} in the baseline` : ''].filter(Boolean).join(', ');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (total === 0) out.push(paint('green', `No problems found.${hiddenNote ? ` (${hiddenNote})` : ''}`));
  else
    out.push(
      paint(
        c.error ? 'red' : c.warning ? 'yellow' : 'blue',
        `${plural(total, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')})${hiddenNote ? `; ${hiddenNote}` : ''}`,
      ),
    );
  return out.join('\n') + '\n';
}

const MAX_FRAME_LINES = 6;

function codeFrame(input: ReportInput, at: Location, context: number): string | undefined {
  const text = input.sources.get(at.file);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  if (at.line > lines.length) return undefined;
  const hidden = input.sensitiveLines?.(at.file) ?? new Set<number>();
  const last = Math.min(at.endLine, at.line + MAX_FRAME_LINES - 1);
  const from = Math.max(1, at.line - context);
  const to = Math.min(lines.length, last + (at.endLine === at.line ? context : 0));
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    let src = (lines[n - 1] ?? '').replace(/\r$/, '');
    if (hidden.has(n)) src = redact(src);
    if (src.length > 160) src = src.slice(0, 157) + '...';
    const mark = n >= at.line && n <= last ? '>' : ' ';
    out.push(`  ${mark} ${String(n).padStart(width)} | ${src}`);
    if (n === at.line && at.endLine === at.line) {
      const len = Math.max(1, Math.min(at.endColumn - at.column, src.length - at.column + 1));
      out.push(`    ${' '.repeat(width)} | ${' '.repeat(at.column - 1)}${'^'.repeat(len)}`);
    }
  }
  return out.join('\n');
}

/** Keep the key (and list dash), drop the value: `  tls.key: <redacted>`. Lines without a key are dropped whole. */
function redact(line: string): string {
  const m = /^(\s*(?:-\s+)?[^:#\s][^:#]*:)(\s*).*$/.exec(line);
  if (m) return /^\s*(?:-\s+)?[^:#]+:\s*$/.test(line) ? line : `${m[1]} <redacted>`;
  return line.trim() === '' || line.trim() === '---' ? line : line.replace(/\S.*$/, '<redacted>');
}
