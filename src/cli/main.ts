import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint, type LintResult } from '../lint.js';
import { VERSION } from '../version.js';
import type { Rule } from '../engine/rule.js';
import { SEVERITY_RANK, type Severity } from '../model/finding.js';
import { formatText } from '../report/text.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import type { ReportInput } from '../report/types.js';
import { formatTargetsJson, formatTargetsText } from '../report/targets.js';
import { TargetModel } from '../targets/model.js';
import { rules as builtinRules } from '../../rules/index.js';

/** Where the package lives (docs/ is read from there). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  readStdin?: () => Promise<string>;
}

const USAGE = `Usage: scrapelint <command> [options]

Commands:
  lint [paths... | -]     Lint YAML/JSON manifests, Helm output and GitOps objects (default: .)
  targets [paths... | -]  Show what each Prometheus will scrape, and where a chain breaks
  rules                   List the rules (id, severity, title)

Options for lint:
  -f, --format <fmt>       text (default), json or sarif
  -o, --output <file>      Write the report to a file instead of standard output
      --fail-level <lvl>   error (default), warning, note or none: exit 1 when a finding reaches it
  -q, --quiet              Report errors only
      --no-color           No colours (also when NO_COLOR is set)
  -n, --namespace <ns>     Namespace of objects without metadata.namespace (default: default)
      --ignore <glob>      Leave out files matching a glob (repeatable)
      --max-file-size <n>  Skip files larger than n bytes (default: 10485760)
      --stats              Print files, documents, resources, time per stage and per rule to stderr

  -h, --help               Show this help
  -v, --version            Show the version

Exit codes: 0 no finding at the fail level, 1 findings at the fail level, 2 usage or internal error.
Docs: https://github.com/scrapelint/scrapelint
`;

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`scrapelint: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`scrapelint: internal error: ${e?.message ?? String(err)}\n`);
    return 2;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-level': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        'no-color': { type: 'boolean' },
        color: { type: 'boolean' },
        namespace: { type: 'string', short: 'n' },
        ignore: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        stats: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError('no command given');
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}" (expected ${FORMATS.join(', ')})`);
  const rules = builtinRules;

  if (command === 'rules') {
    if (rest.length) throw new UsageError(`"rules" takes no arguments`);
    if (format === 'json') io.stdout(JSON.stringify(rules.map(({ id, severity, title, category, docs }) => ({ id, severity, title, category, docs })), null, 2) + '\n');
    else {
      const w = Math.max(...rules.map((r) => r.id.length));
      io.stdout(rules.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + '\n');
    }
    return 0;
  }
  if (command !== 'lint' && command !== 'targets') throw new UsageError(`unknown command "${command}"`);
  if (command === 'targets' && format === 'sarif') throw new UsageError('targets prints text or json');

  const failLevel = (values['fail-level'] ?? 'error') as Severity | 'none';
  if (!(failLevel in SEVERITY_RANK)) throw new UsageError(`unknown fail level "${values['fail-level']}" (expected error, warning, note or none)`);
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxFileSize = Number(values['max-file-size']);
    if (!Number.isInteger(maxFileSize) || maxFileSize <= 0) throw new UsageError(`--max-file-size takes a positive number of bytes`);
  }
  if (rest.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be given once');

  const result = await lint({
    paths: rest,
    cwd: io.cwd,
    rules: command === 'targets' ? [] : rules,
    ...(values.ignore ? { ignore: values.ignore } : {}),
    ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
    ...(maxFileSize ? { maxFileSize } : {}),
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
  });
  if (result.fatal.length) {
    for (const f of result.fatal) io.stderr(`scrapelint: ${f}\n`);
    return 2;
  }
  const color = !values['no-color'] && !io.env.NO_COLOR && (values.color === true || (io.isTTY && !values.output));
  if (command === 'targets') {
    const report = new TargetModel(result.graph).report();
    const out = format === 'json' ? formatTargetsJson(report) : formatTargetsText(report, { color });
    if (values.output) writeFileSync(path.resolve(io.cwd, values.output), out);
    else io.stdout(out);
    return 0;
  }
  const shown = values.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const input = reportInput(result, rules, shown, io.cwd);
  const text =
    format === 'json' ? formatJson(input) : format === 'sarif' ? formatSarif(input) : formatText(input, { color });
  if (values.output) writeFileSync(path.resolve(io.cwd, values.output), text);
  else io.stdout(text);
  for (const n of result.notifications) io.stderr(`scrapelint: ${n.message}\n`);
  if (values.stats) io.stderr(formatStats(result));
  if (result.notifications.length) return 2;
  const threshold = SEVERITY_RANK[failLevel];
  return result.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

function readHelp(rules: readonly Rule[]): Map<string, string> {
  const help = new Map<string, string>();
  for (const r of rules) {
    const p = path.join(PACKAGE_ROOT, 'docs', 'rules', `${r.id}.md`);
    if (existsSync(p)) help.set(r.id, readFileSync(p, 'utf8'));
  }
  return help;
}

export function reportInput(result: LintResult, rules: readonly Rule[], findings: LintResult['findings'], cwd: string): ReportInput {
  const sources = new Map(result.files.map((f) => [f.path, f.text]));
  const secretsByFile = new Map<string, typeof result.graph.all>();
  for (const s of result.graph.byKind('Secret')) {
    const list = secretsByFile.get(s.file);
    if (list) list.push(s);
    else secretsByFile.set(s.file, [s]);
  }
  const hidden = new Map<string, Set<number>>();
  return {
    findings,
    notifications: result.notifications,
    rules,
    sources,
    root: cwd,
    toolVersion: VERSION,
    ruleHelp: readHelp(rules),
    stats: { files: result.stats.files, documents: result.stats.documents, resources: result.stats.resources },
    sensitiveLines: (file) => {
      let set = hidden.get(file);
      if (set) return set;
      set = new Set<number>();
      for (const s of secretsByFile.get(file) ?? []) {
        for (const field of ['data', 'stringData']) {
          if (s.body[field] === undefined) continue;
          const loc = s.locate([field]);
          for (let l = loc.line + 1; l <= loc.endLine; l++) set.add(l);
          if (loc.endLine === loc.line) set.add(loc.line);
        }
      }
      hidden.set(file, set);
      return set;
    },
  };
}

function formatStats(result: LintResult): string {
  const s = result.stats;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const lines = [
    `files ${s.files}, documents ${s.documents}, resources ${s.resources}, ${(s.bytes / 1048576).toFixed(1)} MiB`,
    `load ${ms(s.ms.load)}, parse ${ms(s.ms.parse)}, graph ${ms(s.ms.graph)}, rules ${ms(s.ms.rules)}`,
    ...[...s.rules].sort((a, b) => b[1] - a[1]).map(([id, t]) => `  ${id} ${ms(t)}`),
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  ];
  return lines.join('\n') + '\n';
}
