/**
 * The GitHub Action (action.yml, bundled into dist/action/index.js by src/action/build.ts).
 *
 * It runs the CLI's own main() in-process, so configuration, suppressions and the baseline behave
 * exactly as on the command line: `lint <paths> --format sarif=<file> --format json=<tmp>
 * --format github`. The github format goes to standard output, where the runner turns the
 * `::error file=...` lines into annotations; the JSON is read back to write the job summary
 * ($GITHUB_STEP_SUMMARY) and the step outputs ($GITHUB_OUTPUT).
 *
 * Inputs come from the environment as the runner passes them: INPUT_<NAME>, upper case, spaces
 * as underscores, hyphens kept (INPUT_FAIL-LEVEL).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../cli/main.js';

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The JSON report, as far as the summary needs it (docs/json-format.md). */
interface JsonReport {
  summary: { errors: number; warnings: number; notes: number; suppressed?: number; baseline?: number; files?: number };
  findings: {
    ruleId: string;
    severity: 'error' | 'warning' | 'note';
    message: string;
    file: string;
    line: number;
    docs?: string;
    suppressed?: unknown;
    baselineState?: string;
  }[];
}

/** Rows of the findings table; the rest are counted in a note (the step summary is capped at 1 MiB). */
export const MAX_ROWS = 200;

const SEVERITIES = ['error', 'warning', 'note'] as const;

/** `core.getInput`: INPUT_<NAME> with spaces as underscores, upper case, trimmed. */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** `core.getBooleanInput`: the YAML 1.2 core schema booleans; anything else is an error. */
function getBooleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = getInput(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new InputError(`input "${name}" must be true or false, not "${v}"`);
}

class InputError extends Error {}

/** Workflow-command escaping (toolkit/core escapeData). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Runs the action; returns the process exit code (main()'s, or 2 for a bad input). */
export async function runAction(io: ActionIo): Promise<number> {
  const { env } = io;
  const cwd = env.GITHUB_WORKSPACE || process.cwd();

  let args: string[];
  const sarifFile = getInput(env, 'sarif-file') || 'scrapelint.sarif';
  try {
    const paths = getInput(env, 'paths').split(/\s+/).filter(Boolean);
    const config = getInput(env, 'config');
    const failLevel = getInput(env, 'fail-level') || 'error';
    const onlyChanged = getBooleanInput(env, 'only-changed', false);
    args = ['lint', ...(paths.length ? paths : ['.']), '--fail-level', failLevel, '--no-color', '--format', `sarif=${sarifFile}`];
    if (config) args.push('--config', config);
    if (onlyChanged) {
      const ref = baseRef(env, cwd, io);
      if (ref) args.push('--changed-since', ref);
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.stdout(`::error::scrapelint: ${escapeData(err.message)}\n`);
    return 2;
  }

  const tmp = mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), 'scrapelint-'));
  const jsonFile = path.join(tmp, 'report.json');
  const errors: string[] = [];
  let code: number;
  try {
    args.push('--format', `json=${jsonFile}`, '--format', 'github');
    code = await main(args, {
      cwd,
      env,
      stdout: io.stdout,
      stderr: (s) => {
        errors.push(s);
        io.stderr(s);
      },
      isTTY: false,
    });
    const report = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as JsonReport) : undefined;
    if (code === 2) {
      const first = errors.join('').split('\n').find((l) => l.trim()) ?? 'failed';
      io.stdout(`::error::${escapeData(first)}\n`);
    }
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summaryMarkdown(report, env, code, errors.join('')));
    if (env.GITHUB_OUTPUT) {
      const lines = [`sarif-file=${sarifFile}`];
      if (report) lines.push(`errors=${report.summary.errors}`, `warnings=${report.summary.warnings}`);
      appendFileSync(env.GITHUB_OUTPUT, lines.join('\n') + '\n');
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return code;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * `origin/$GITHUB_BASE_REF` for --changed-since on pull request events, fetched when the checkout
 * does not have it (a shallow fetch in a shallow clone). Undefined, with a warning, when it cannot
 * be had: then everything is reported.
 */
function baseRef(env: NodeJS.ProcessEnv, cwd: string, io: ActionIo): string | undefined {
  const base = env.GITHUB_BASE_REF;
  if (!PR_EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !base) {
    io.stdout(`only-changed applies to pull_request events; ${env.GITHUB_EVENT_NAME || 'this event'} is linted and reported in full\n`);
    return undefined;
  }
  const ref = `origin/${base}`;
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const has = () => {
    try {
      git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  };
  try {
    git(['rev-parse', '--show-toplevel']);
    if (!has()) {
      const shallow = git(['rev-parse', '--is-shallow-repository']) === 'true';
      git(['fetch', '--no-tags', '--quiet', ...(shallow ? ['--depth=1'] : []), 'origin', `+refs/heads/${base}:refs/remotes/${ref}`]);
    }
    if (!has()) throw new Error(`${ref} not found after fetching it`);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const why = (e.stderr || e.message || String(err)).trim().split('\n')[0];
    io.stdout(`::warning::only-changed: cannot compare with ${ref} (${escapeData(why ?? '')}); reporting findings in all files\n`);
    return undefined;
  }
  io.stdout(`only-changed: reporting findings that touch files changed since ${ref}\n`);
  return ref;
}

/** Markdown table cell: no pipes, no line breaks, no HTML. */
function cell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The job summary: counts per rule and severity, then the findings with links to the code. */
export function summaryMarkdown(report: JsonReport | undefined, env: NodeJS.ProcessEnv, code: number, stderr = ''): string {
  const out: string[] = ['## scrapelint', ''];
  if (!report) {
    out.push(`scrapelint failed (exit code ${code}) before it could report:`, '', '```text', stderr.trim(), '```', '');
    return out.join('\n') + '\n';
  }
  const s = report.summary;
  const shown = report.findings.filter((f) => !f.suppressed && f.baselineState !== 'unchanged');
  const extra = [s.suppressed ? `${s.suppressed} suppressed` : '', s.baseline ? `${s.baseline} known from the baseline` : ''].filter(Boolean);
  out.push(
    `${code === 1 ? ':x:' : code === 0 ? ':white_check_mark:' : ':warning:'} ` +
      `**${plural(s.errors, 'error')}**, ${plural(s.warnings, 'warning')}, ${plural(s.notes, 'note')}` +
      (extra.length ? ` (${extra.join(', ')})` : '') +
      (s.files !== undefined ? ` in ${plural(s.files, 'file')}` : '') +
      '.',
    '',
  );
  if (code === 2) out.push('scrapelint exited with code 2:', '', '```text', stderr.trim(), '```', '');
  if (!shown.length) return out.join('\n') + '\n';

  const docs = new Map<string, string | undefined>();
  const perRule = new Map<string, Record<(typeof SEVERITIES)[number], number>>();
  for (const f of shown) {
    docs.set(f.ruleId, f.docs);
    const c = perRule.get(f.ruleId) ?? { error: 0, warning: 0, note: 0 };
    c[f.severity]++;
    perRule.set(f.ruleId, c);
  }
  const rule = (id: string) => (docs.get(id) ? `[${id}](${docs.get(id)})` : id);
  out.push('| rule | errors | warnings | notes |', '|---|---:|---:|---:|');
  const byCount = [...perRule].sort(
    ([a, x], [b, y]) => y.error - x.error || y.warning - x.warning || y.note - x.note || a.localeCompare(b),
  );
  for (const [id, c] of byCount) out.push(`| ${rule(id)} | ${c.error} | ${c.warning} | ${c.note} |`);
  out.push('');

  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const blob = env.GITHUB_REPOSITORY && env.GITHUB_SHA ? `${server}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/` : undefined;
  const rank = { error: 0, warning: 1, note: 2 };
  const rows = [...shown].sort((a, b) => rank[a.severity] - rank[b.severity]);
  out.push('### Findings', '', '| severity | rule | message | location |', '|---|---|---|---|');
  for (const f of rows.slice(0, MAX_ROWS)) {
    const where = `${f.file}:${f.line}`;
    const loc = blob && f.file !== '-' ? `[${cell(where)}](${blob}${f.file.split('/').map(encodeURIComponent).join('/')}#L${f.line})` : cell(where);
    out.push(`| ${f.severity} | ${rule(f.ruleId)} | ${cell(f.message)} | ${loc} |`);
  }
  if (rows.length > MAX_ROWS) {
    out.push('', `_${rows.length - MAX_ROWS} more findings are not listed here: see the annotations, the SARIF file or code scanning._`);
  }
  return out.join('\n') + '\n';
}
