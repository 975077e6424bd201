import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lint, type LintResult } from '../lint.js';
import { VERSION } from '../version.js';
import type { Rule } from '../engine/rule.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.js';
import { formatText } from '../report/text.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatGithub } from '../report/github.js';
import type { ReportInput } from '../report/types.js';
import { formatTargetsJson, formatTargetsText, type JobFindings } from '../report/targets.js';
import type { Resource } from '../model/resource.js';
import { TargetModel } from '../targets/model.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { loadPlugins } from '../engine/plugins.js';
import { rules as builtinRules } from '../../rules/index.js';
import { packageRoot } from '../paths.js';
import { splitDocuments } from '../parse/parse.js';
import { LineIndex } from '../model/location.js';

/** Where the package lives (docs/ is read from there). */
export const PACKAGE_ROOT = packageRoot();

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  readStdin?: () => Promise<string>;
  /** Today (suppression expiry); injected by tests. */
  now?: Date;
  /** stderr is a terminal: a progress line may be drawn there on long runs. */
  stderrIsTTY?: boolean;
  /** Imports a plugin (see loadPlugins); default: this module's import(). */
  importModule?: (specifier: string) => Promise<unknown>;
}

const USAGE = `Usage: scrapelint <command> [options]

Commands:
  lint [paths... | -]     Lint YAML/JSON manifests, Helm output and GitOps objects (default: .)
  targets [paths... | -]  Show what each Prometheus will scrape, and where a chain breaks
  rules                   List the rules (id, severity, title)
  explain <rule-id>       Print a rule's documentation
  init                    Write a commented .scrapelint.yaml

Options for lint:
  -f, --format <fmt>       text (default), json, sarif or github; repeat as fmt=file for several outputs
  -o, --output <file>      Write the report to a file instead of standard output
      --fail-level <lvl>   error (default), warning, note or none: exit 1 when a finding reaches it
  -c, --config <file>      Configuration file (default: .scrapelint.yaml or .scrapelint.yml)
  -q, --quiet              Report errors only
      --no-color           No colours (also when NO_COLOR is set)
  -n, --namespace <ns>     Namespace of objects without metadata.namespace (default: default)
      --kube-version <v>   The cluster's Kubernetes version (e.g. 1.30), when the repository does not say
      --ignore <glob>      Leave out files matching a glob (repeatable)
      --max-file-size <n>  Skip files larger than n bytes (default: 10485760)
      --baseline <file>    Known findings (from --write-baseline) do not fail the run
      --write-baseline <f> Write the current findings as the baseline and exit 0
      --changed-since <ref> Lint everything, report only findings touching files changed since a git ref
      --changed <file>     Report only findings touching this file (repeatable)
      --pre-commit         Positional arguments are the changed files; the scope is the configured include (or .)
      --stats              Print files, documents, resources, time per stage and per rule to stderr

  -h, --help               Show this help
  -v, --version            Show the version

Exit codes: 0 no finding at the fail level, 1 findings at the fail level, 2 usage or internal error.
Docs: https://github.com/scrapelint/scrapelint
`;

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`scrapelint: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      const where = err.at ? `${err.at.file}:${err.at.line}:${err.at.column}: ` : '';
      io.stderr(`scrapelint: ${where}${err.message}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`scrapelint: internal error: ${e?.message ?? String(err)}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o' },
        'fail-level': { type: 'string' },
        config: { type: 'string', short: 'c' },
        quiet: { type: 'boolean', short: 'q' },
        'no-color': { type: 'boolean' },
        color: { type: 'boolean' },
        namespace: { type: 'string', short: 'n' },
        'kube-version': { type: 'string' },
        ignore: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'changed-since': { type: 'string' },
        changed: { type: 'string', multiple: true },
        'pre-commit': { type: 'boolean' },
        stats: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `--format text --format sarif=out.sarif` -> [{format:'text'}, {format:'sarif', file:'out.sarif'}] */
function outputs(formats: string[] | undefined, output: string | undefined): { format: Format; file?: string }[] {
  const list = (formats?.length ? formats : ['text']).map((f) => {
    const [name, file] = f.split(/=(.*)/s);
    if (!FORMATS.includes(name as Format)) throw new UsageError(`unknown format "${name}" (expected ${FORMATS.join(', ')})`);
    return { format: name as Format, ...(file ? { file } : {}) };
  });
  const toStdout = list.filter((o) => !o.file);
  if (output) {
    if (toStdout.length !== 1) throw new UsageError('--output goes with exactly one --format that has no =file');
    toStdout[0]!.file = output;
  } else if (toStdout.length > 1) throw new UsageError('only one format can go to standard output; write the others as fmt=file');
  return list;
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv);
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

  if (command === 'init') return init(io);
  const config = loadConfig(io.cwd, values.config);
  if (values['kube-version'] !== undefined) {
    if (!/^v?\d+\.\d+(\.\d+)?$/.test(values['kube-version'])) throw new UsageError(`--kube-version takes a version like 1.30 (got "${values['kube-version']}")`);
    config.kubernetesVersion = values['kube-version'];
    config.kubernetesVersionFrom = `--kube-version ${values['kube-version']}`;
  }
  const plugins = await loadPlugins(config.plugins, builtinRules, io.importModule);
  const rules = [...builtinRules, ...plugins.rules];

  if (command === 'rules') {
    if (rest.length) throw new UsageError(`"rules" takes no arguments`);
    if (values.format?.[0] === 'json') io.stdout(JSON.stringify(rules.map(({ id, severity, title, category, docs }) => ({ id, severity, title, category, docs })), null, 2) + '\n');
    else {
      const w = Math.max(...rules.map((r) => r.id.length));
      io.stdout(rules.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + '\n');
    }
    return 0;
  }
  if (command === 'explain') {
    const id = rest[0];
    if (!id || rest.length > 1) throw new UsageError('"explain" takes one rule id');
    const page = path.join(PACKAGE_ROOT, 'docs', 'rules', `${id}.md`);
    if (!rules.some((r) => r.id === id)) throw new UsageError(`unknown rule "${id}" (see scrapelint rules)`);
    if (!existsSync(page)) {
      const r = rules.find((x) => x.id === id)!;
      io.stdout(`# ${r.id}\n\n${r.title}\n\n${r.rationale}\n\n${r.docs}\n`);
    } else io.stdout(readFileSync(page, 'utf8'));
    return 0;
  }
  if (command !== 'lint' && command !== 'targets') throw new UsageError(`unknown command "${command}"`);

  const outs = outputs(values.format, values.output);
  if (command === 'targets' && outs.some((o) => o.format !== 'text' && o.format !== 'json')) throw new UsageError('targets prints text or json');
  const failLevel = (values['fail-level'] ?? 'error') as Severity | 'none';
  if (!(failLevel in SEVERITY_RANK)) throw new UsageError(`unknown fail level "${values['fail-level']}" (expected error, warning, note or none)`);
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxFileSize = Number(values['max-file-size']);
    if (!Number.isInteger(maxFileSize) || maxFileSize <= 0) throw new UsageError(`--max-file-size takes a positive number of bytes`);
  }
  let paths = rest;
  let changed: Set<string> | undefined;
  if (values['pre-commit']) {
    changed = new Set(rest.map((p) => path.relative(io.cwd, path.resolve(io.cwd, p)).split(path.sep).join('/')));
    paths = [];
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be given once');
  if (values.changed?.length) {
    changed ??= new Set();
    for (const c of values.changed) changed.add(path.relative(io.cwd, path.resolve(io.cwd, c)).split(path.sep).join('/'));
  }
  if (values['changed-since']) {
    changed ??= new Set();
    for (const c of gitChanged(io.cwd, values['changed-since'])) changed.add(c);
  }

  const gcObserver = values.stats ? observeGc() : undefined;
  const result = await lint({
    paths,
    cwd: io.cwd,
    rules,
    config,
    ...(values.ignore ? { ignore: values.ignore } : {}),
    ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
    ...(maxFileSize ? { maxFileSize } : {}),
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
    ...(io.now ? { now: io.now } : {}),
    ...(io.stderrIsTTY ? { onProgress: progress(io) } : {}),
  });
  if (io.stderrIsTTY) io.stderr('\r\x1b[K');
  if (result.fatal.length) {
    for (const f of result.fatal) io.stderr(`scrapelint: ${f}\n`);
    return 2;
  }
  // Colours go to a terminal (or when forced with --color), never into a file.
  const color = !values['no-color'] && !io.env.NO_COLOR && (values.color === true || io.isTTY);
  const emit = (file: string | undefined, text: string) => {
    if (file) writeFileSync(path.resolve(io.cwd, file), text);
    else io.stdout(text);
  };
  if (command === 'targets') {
    // Findings of the rules land on the jobs whose monitor endpoint they point at.
    const active = result.findings.filter((f) => !f.suppression && f.severity !== 'note');
    const byFile = new Map<string, Finding[]>();
    for (const f of active) {
      const list = byFile.get(f.at.file);
      if (list) list.push(f);
      else byFile.set(f.at.file, [f]);
    }
    const jobFindings: JobFindings = (job) => {
      const list = byFile.get(job.monitor.file);
      if (!list) return [];
      const field = job.monitor.kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints';
      const at = job.monitor.kind === 'ServiceMonitor' || job.monitor.kind === 'PodMonitor' ? job.monitor.locate(['spec', field, job.endpoint]) : job.monitor.locate([]);
      // The model already says why a job has no target; the rules that say the same are not repeated.
      const same = job.broken.length ? new Set(['monitor-port-not-found', 'monitor-selects-nothing', 'podmonitor-selects-nothing']) : new Set<string>();
      return list.filter((f) => f.at.line >= at.line && f.at.line <= at.endLine && !same.has(f.ruleId));
    };
    for (const { format, file } of outs) {
      const parts = result.graphs.map(({ name, graph }) => {
        const model = new TargetModel(graph);
        const why = (m: Resource) => model.selection.verdicts(m).map((v) => `${v.prometheus.ref}: ${v.why}`).join('; ') || 'no Prometheus in scope';
        return { name, report: model.report(), why };
      });
      if (format === 'json') emit(file, parts.length === 1 ? formatTargetsJson(parts[0]!.report, jobFindings) : `[${parts.map((p) => formatTargetsJson(p.report, jobFindings)).join(',')}]\n`);
      else emit(file, parts.map((p) => (parts.length > 1 ? `== scope ${p.name}\n` : '') + formatTargetsText(p.report, { color: color && !file, findings: jobFindings, why: p.why })).join('\n'));
    }
    return 0;
  }

  let findings = result.findings;
  for (const p of plugins.notifications) result.notifications.push(p);
  if (changed) {
    const set = changed;
    findings = findings.filter((f) => set.has(f.at.file) || f.related.some((r) => set.has(r.at.file)));
  }
  if (values['write-baseline']) {
    const known = findings.filter((f) => !f.suppression);
    writeFileSync(
      path.resolve(io.cwd, values['write-baseline']),
      JSON.stringify({ tool: 'scrapelint', version: 1, findings: known.map((f) => ({ ruleId: f.ruleId, file: f.at.file, fingerprint: f.fingerprint, message: f.message })) }, null, 2) + '\n',
    );
    io.stderr(`scrapelint: wrote ${known.length} finding${known.length === 1 ? '' : 's'} to ${values['write-baseline']}\n`);
    return 0;
  }
  if (values.baseline) findings = applyBaseline(findings, io.cwd, values.baseline);
  if (values.quiet) findings = findings.filter((f) => f.severity === 'error');
  const input = reportInput(result, rules, findings, io.cwd);
  for (const { format, file } of outs) {
    const text =
      format === 'json' ? formatJson(input) : format === 'sarif' ? formatSarif(input) : format === 'github' ? formatGithub(input) : formatText(input, { color: color && !file });
    emit(file, text);
  }
  for (const n of result.notifications) io.stderr(`scrapelint: ${n.message}\n`);
  if (gcObserver) io.stderr(formatStats(result, await gcObserver.stop()));
  if (result.notifications.length) return 2;
  return failing(findings, failLevel).length ? 1 : 0;
}

/** A progress line on stderr, drawn only once a run has taken more than half a second. */
function progress(io: Io): (what: string) => void {
  const start = Date.now();
  return (what) => {
    if (Date.now() - start > 500) io.stderr(`\r\x1b[Kscrapelint: ${what}...`);
  };
}

/** Findings that fail the run: at or above the level, not suppressed, not in the baseline. */
export function failing(findings: readonly Finding[], level: Severity | 'none'): Finding[] {
  const threshold = SEVERITY_RANK[level];
  return findings.filter((f) => !f.suppression && f.baselineState !== 'unchanged' && SEVERITY_RANK[f.severity] >= threshold);
}

function applyBaseline(findings: Finding[], cwd: string, file: string): Finding[] {
  let known: Set<string>;
  try {
    const data = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8')) as { findings?: { fingerprint?: string }[] };
    known = new Set((data.findings ?? []).map((f) => String(f.fingerprint)));
  } catch (err) {
    throw new UsageError(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  return findings.map((f) => ({ ...f, baselineState: f.fingerprint && known.has(f.fingerprint) ? ('unchanged' as const) : ('new' as const) }));
}

/** Files changed since a git ref (committed, staged, unstaged and untracked), relative to cwd. */
function gitChanged(cwd: string, ref: string): string[] {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new UsageError('--changed-since needs git, which is not installed');
      throw new UsageError(`git ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
    }
  };
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const names = [
    ...git(['diff', '--name-only', ref]).split('\n'),
    ...git(['ls-files', '--others', '--exclude-standard', '--full-name']).split('\n'),
  ].filter(Boolean);
  return names.map((n) => path.relative(cwd, path.join(top, n)).split(path.sep).join('/'));
}

const STARTER = `# yaml-language-server: $schema=./node_modules/scrapelint/src/config/schema.json
# scrapelint configuration. Every key is optional; see docs/configuration.md.

# Paths linted when the command line names none.
# include: [deploy/, charts/]

# Files to leave out (globs relative to this file).
# ignore:
#   - "**/charts/*/templates/**"

# Namespace of objects without metadata.namespace (kubectl's default: default).
# namespace: default

# Rule levels: off, note, warning, error (scrapelint rules lists the ids).
rules: {}
#   monitor-selects-nothing: off
#   insecure-skip-verify: warning

# Different levels for some paths.
# overrides:
#   - files: ["legacy/**"]
#     rules: { monitor-not-selected: warning }

# Split a monorepo into clusters: cross-checks run inside one scope.
# scopes:
#   - name: prod
#     files: ["clusters/prod/**", "base/**"]

# Facts the repository does not hold.
# cluster:
#   kubernetesVersion: "1.30"
#   prometheus:             # a Prometheus that lives elsewhere (platform repo)
#     - name: k8s
#       namespace: monitoring
#       serviceMonitorSelector: { matchLabels: { release: kps } }
#       serviceMonitorNamespaceSelector: {}
#       secrets: [etcd-client-cert]

# Plugin modules exporting \`rules\` (only these are loaded).
# plugins: [./scrapelint-rules.mjs]
`;

function init(io: Io): number {
  const target = path.join(io.cwd, '.scrapelint.yaml');
  if (existsSync(target) || existsSync(path.join(io.cwd, '.scrapelint.yml'))) {
    io.stderr('scrapelint: a .scrapelint.yaml already exists here; not overwriting it\n');
    return 2;
  }
  writeFileSync(target, STARTER);
  io.stdout('wrote .scrapelint.yaml\n');
  return 0;
}

/** Each rule's doc page (docs/rules/<id>.md), read when a report asks for it (SARIF does; text and JSON do not). */
function readHelp(rules: readonly Rule[]): Pick<ReadonlyMap<string, string>, 'get'> {
  const known = new Set(rules.map((r) => r.id));
  const help = new Map<string, string | undefined>();
  return {
    get(id: string): string | undefined {
      if (!known.has(id)) return undefined;
      if (!help.has(id)) {
        const p = path.join(PACKAGE_ROOT, 'docs', 'rules', `${id}.md`);
        help.set(id, existsSync(p) ? readFileSync(p, 'utf8') : undefined);
      }
      return help.get(id);
    },
  };
}

export function reportInput(result: LintResult, rules: readonly Rule[], findings: LintResult['findings'], cwd: string): ReportInput {
  const sources = new Map(result.files.map((f) => [f.path, f.text]));
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
      if (!set) hidden.set(file, (set = sensitiveLinesOf(sources.get(file) ?? '')));
      return set;
    },
  };
}

const SECRET_KIND = /^kind:\s*["']?(?:Secret|SealedSecret)["']?\s*$/m;
const SECRET_KEY = /^\s*(?:-\s+)?["']?(?:password|passwd|bearer_token|bearerToken|token|credentials|client_secret|clientSecret|secret|apiKey|api_key)["']?\s*:/i;

/**
 * Lines whose values a code frame must never show: every line of a Secret or SealedSecret
 * document (parsed or not), and any line that sets a password, token or credentials key.
 */
export function sensitiveLinesOf(text: string): Set<number> {
  const set = new Set<number>();
  if (!text) return set;
  const lines = new LineIndex(text);
  const lineOf = (offset: number) => lines.position(offset).line;
  if (SECRET_KIND.test(text)) {
    for (const seg of splitDocuments(text)) {
      if (!SECRET_KIND.test(text.slice(seg.start, seg.end))) continue;
      for (let l = lineOf(seg.start); l <= lineOf(Math.max(seg.start, seg.end - 1)); l++) set.add(l);
    }
  }
  text.split('\n').forEach((line, i) => {
    if (SECRET_KEY.test(line)) set.add(i + 1);
  });
  return set;
}

/** Collects garbage-collection pauses (PerformanceObserver 'gc' entries) until stopped. */
function observeGc(): { stop(): Promise<PerformanceEntry[]> } {
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push(e);
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 0)); // entries are delivered on a later timer turn
      obs.disconnect();
      return entries;
    },
  };
}

function formatStats(result: LintResult, gc: PerformanceEntry[]): string {
  const s = result.stats;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  // Garbage-collection pauses, by the stage they fell in (parse and sources share one span).
  const m = s.marks;
  const pause = (from: number, to: number) => gc.filter((e) => e.startTime >= from && e.startTime < to).reduce((n, e) => n + e.duration, 0);
  const lines = [
    `files ${s.files}, documents ${s.documents}, resources ${s.resources}, ${(s.bytes / 1048576).toFixed(1)} MiB`,
    `load ${ms(s.ms.load)}, parse ${ms(s.ms.parse)}, sources ${ms(s.ms.sources)}, graph ${ms(s.ms.graph)}, rules ${ms(s.ms.rules)}`,
    `of which garbage collection: load ${ms(pause(m.load, m.parse))}, parse and sources ${ms(pause(m.parse, m.graph))}, ` +
      `graph ${ms(pause(m.graph, m.rules))}, rules ${ms(pause(m.rules, m.end))}; after ${ms(pause(m.end, Infinity))}`,
    ...[...s.rules].sort((a, b) => b[1] - a[1]).map(([id, t]) => `  ${id} ${ms(t)}`),
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  ];
  return lines.join('\n') + '\n';
}
