/**
 * The command line, through the real binary (`node dist/src/cli/bin.js`): exit codes, options,
 * output formats, standard input, input that must not crash the run, and the exact findings of
 * examples/ (see examples/README.md).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { BIN, ROOT } from './helpers/paths.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without colour switches from the caller, so results do not depend on the shell. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'CI']) delete env[k];
  return { ...env, ...extra };
}

function run(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return spawnAsync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: cleanEnv(opts.env), ...(opts.input !== undefined ? { input: opts.input } : {}) });
}

/** spawn, collecting the output; the tests run concurrently, so no spawnSync. */
function spawnAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 15_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {}); // the binary may exit before reading its input (usage errors)
    child.stdin.end(opts.input ?? '');
  });
}

interface JsonRelated {
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
interface JsonFinding extends JsonRelated {
  ruleId: string;
  severity: 'error' | 'warning' | 'note';
  template?: string;
  related: JsonRelated[];
  docs: string;
}
interface JsonReport {
  tool: string;
  version: string;
  summary: { errors: number; warnings: number; notes: number; files: number; documents: number; resources: number };
  findings: JsonFinding[];
  notifications: unknown[];
}

function json(r: Run): JsonReport {
  assert.equal(r.stderr, '', `unexpected stderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonReport;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;
const STACK = /^\s+at .+[:(]\d+/m;
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The planted problems of examples/ (examples/README.md): rule, file, line. */
const EXAMPLE_FINDINGS = [
  'endpoints-overwritten-by-selector examples/control-plane/kube-controller-manager.yaml:14',
  'monitor-not-selected examples/apps/payments/service.yaml:26',
  'monitor-port-not-found examples/apps/checkout/checkout.yaml:58',
  'scheme-port-mismatch examples/control-plane/etcd.yaml:40',
  'tls-secret-not-mounted examples/control-plane/etcd-events.yaml:58',
  'tls-secret-not-mounted examples/control-plane/etcd-events.yaml:59',
  'tls-secret-not-mounted examples/control-plane/etcd-events.yaml:60',
].sort();

const key = (f: JsonFinding) => `${f.ruleId} ${f.file}:${f.line}`;

// --- Small scopes written to a temp dir --------------------------------------------------------

/** Only a warning: a ServiceMonitor whose selector matches no Service of its namespace. */
const WARNING_ONLY = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  labels:
    app.kubernetes.io/name: api
spec:
  selector:
    app: api
  ports:
    - name: metrics
      port: 9090
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  endpoints:
    - port: metrics
`;

/** Only a note: an object without metadata.name. */
const NOTE_ONLY = `apiVersion: v1
kind: Service
spec:
  ports:
    - port: 80
`;

/** Only an error: a port-name typo. */
const ERROR_ONLY = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
    - name: http-metrics
      port: 9102
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  endpoints:
    - port: http-metric
`;

/** `helm template shop ./shop` output: each document starts with its template path. */
const HELM_OUTPUT = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
  namespace: shop
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
  labels:
    app.kubernetes.io/name: shop
spec:
  selector:
    app.kubernetes.io/name: shop
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: http-metrics
      port: 9102
---
# Source: shop/templates/servicemonitor.yaml
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: shop
  namespace: shop
  labels:
    release: kps
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: shop
  endpoints:
    - port: metrics
      interval: 30s
`;

/** Inputs that must never crash the linter. */
const BAD_INPUTS: Record<string, string | Buffer> = {
  'invalid.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: {a: 1\n',
  'tabs.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabs\n',
  'broken.json': '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": ',
  'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x10, 0x3a, 0x0a]),
  'empty.yaml': '',
  'only-comments.yaml': '# nothing here yet\n---\n# still nothing\n',
  'scalar.yaml': 'just a string\n',
  'number.yaml': '42\n',
  'list.yaml': '- apiVersion: v1\n  kind: Service\n- b\n',
  'null-doc.yaml': '---\n---\n~\n',
  'no-kind.yaml': 'apiVersion: v1\nmetadata:\n  name: nokind\n',
  'no-metadata.yaml': 'apiVersion: v1\nkind: Service\nspec:\n  ports: [{port: 80}]\n',
  'metadata-scalar.yaml': 'apiVersion: v1\nkind: Service\nmetadata: oops\n',
  'weird-types.yaml':
    'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: weird\n  labels: [a, b]\nspec:\n  selector: 7\n  endpoints: {port: x}\n',
  'aliases.yaml': 'a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n',
};

/** 2000 nested flow sequences: parsed alone it is a yaml-syntax finding. */
const DEEP = `${'['.repeat(2000)}${']'.repeat(2000)}\n`;
/** An unclosed flow mapping: the file that, linted before DEEP, crashes the process. */
const UNCLOSED = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": ';

let tmp: string;

// Every test spawns the binary; they run concurrently to keep the file fast.
describe('scrapelint CLI', { concurrency: Math.max(4, os.availableParallelism()) }, () => {
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-cli-'));
    const write = (rel: string, text: string | Buffer) => {
      const p = path.join(tmp, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
    };
    write('warning/monitor.yaml', WARNING_ONLY);
    write('note/snippet.yaml', NOTE_ONLY);
    write('error/web.yaml', ERROR_ONLY);
    write('mixed/monitor.yaml', WARNING_ONLY);
    write('mixed/snippet.yaml', NOTE_ONLY);
    write('mixed/web.yaml', ERROR_ONLY);
    write('clean/ledger.yaml', readFileSync(path.join(ROOT, 'examples/apps/ledger/ledger.yaml')));
    for (const [name, text] of Object.entries(BAD_INPUTS)) write(`bad/${name}`, text);
    write('deep/deep.yaml', DEEP);
    write('crash/a-unclosed.json', UNCLOSED);
    write('crash/b-deep.yaml', DEEP);
    // A real problem next to the bad inputs: it must still be found.
    write('bad/web.yaml', ERROR_ONLY);
    // A broken document followed by a good one in the same file.
    write('bad/second-doc.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n---\n${NOTE_ONLY}`);
  });

  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  // --- Exit codes --------------------------------------------------------------------------------

  describe('exit codes', () => {
    test('0 when nothing is found', async () => {
      const r = await run(['lint', path.join(tmp, 'clean')]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /No problems found\./);
      assert.equal(r.stderr, '');
    });

    test('1 when a finding reaches the fail level (error by default)', async () => {
      const r = await run(['lint', 'examples']);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /7 problems \(7 errors, 0 warnings, 0 notes\)/);
      assert.equal(r.stderr, '');
    });

    test('defaults to the current directory', async () => {
      const r = await run(['lint'], { cwd: path.join(tmp, 'error') });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^web\.yaml:25:7 {2}error/m);
    });

    const usage: [string, string[], RegExp][] = [
      ['no command', [], /no command given/],
      ['unknown command', ['check', '.'], /unknown command "check"/],
      ['unknown option', ['lint', '--bogus', 'examples'], /--bogus/],
      ['unknown format', ['lint', '--format', 'xml', 'examples'], /unknown format "xml" \(expected text, json, sarif/],
      ['unknown fail level', ['lint', '--fail-level', 'fatal', 'examples'], /unknown fail level "fatal"/],
      ['bad --max-file-size', ['lint', '--max-file-size', 'lots', 'examples'], /--max-file-size takes a positive number/],
      ['option without its value', ['lint', 'examples', '--format'], /--format/],
      ['stdin twice', ['lint', '-', '-'], /standard input \(-\) can be given once/],
      ['rules with arguments', ['rules', 'extra'], /"rules" takes no arguments/],
    ];
    for (const [name, args, reason] of usage) {
      test(`2 on a usage error: ${name}`, async () => {
        const r = await run(args, { input: '' });
        assert.equal(r.status, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^scrapelint: /);
        assert.match(r.stderr, reason);
        assert.match(r.stderr, /Usage: scrapelint <command> \[options\]/);
        assert.doesNotMatch(r.stderr, STACK);
      });
    }

    test('2 for a path that does not exist, and nothing is reported', async () => {
      const r = await run(['lint', 'examples', 'no/such/dir']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /scrapelint: no\/such\/dir: no such file or directory/);
      assert.doesNotMatch(r.stderr, STACK);
    });
  });

  describe('--fail-level', () => {
    const cases: [string, string, number][] = [
      ['error', 'warning', 0],
      ['warning', 'warning', 1],
      ['note', 'warning', 1],
      ['none', 'warning', 0],
      ['error', 'note', 0],
      ['warning', 'note', 0],
      ['note', 'note', 1],
      ['none', 'note', 0],
      ['error', 'error', 1],
      ['warning', 'error', 1],
      ['note', 'error', 1],
      ['none', 'error', 0],
    ];
    for (const [level, scope, code] of cases) {
      test(`--fail-level ${level} on a scope with only ${scope}s exits ${code}`, async () => {
        const r = await run(['lint', '--fail-level', level, '-f', 'json', path.join(tmp, scope)]);
        const report = json(r);
        assert.ok(report.findings.length > 0);
        assert.ok(report.findings.every((f) => f.severity === scope), JSON.stringify(report.findings.map((f) => f.severity)));
        assert.equal(r.status, code);
      });
    }

    test('--fail-level none on examples exits 0 and still prints the findings', async () => {
      const r = await run(['lint', 'examples', '--fail-level', 'none']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /7 problems/);
    });
  });

  // --- Output formats ----------------------------------------------------------------------------

  describe('--format json', () => {
    test('shape: tool, version, summary, findings with locations and related locations', async () => {
      const r = await run(['lint', 'examples', '--format', 'json']);
      assert.equal(r.status, 1);
      const report = json(r);
      // docs/json-format.md: stable, fields are only ever added. Check the ones consumers rely on.
      for (const k of ['tool', 'version', 'summary', 'findings', 'notifications']) assert.ok(k in report, `no ${k}`);
      assert.equal(report.tool, 'scrapelint');
      assert.equal(report.version, PKG.version);
      const { errors, warnings, notes, files } = report.summary;
      assert.deepEqual({ errors, warnings, notes, files }, { errors: 7, warnings: 0, notes: 0, files: 12 });
      assert.ok(report.summary.documents >= 20, `documents: ${report.summary.documents}`);
      assert.ok(report.summary.resources === report.summary.documents, 'every document of examples/ is one object');
      assert.deepEqual(report.notifications, []);
      for (const f of report.findings) {
        for (const k of ['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'related', 'docs']) {
          assert.ok(k in f, `finding without ${k}: ${JSON.stringify(f)}`);
        }
        assert.ok(['error', 'warning', 'note'].includes(f.severity));
        assert.equal(f.file, f.file.split(path.sep).join('/'), 'paths use forward slashes');
        assert.ok(!path.isAbsolute(f.file), 'paths are relative to the cwd');
        assert.equal(typeof f.message, 'string');
        assert.ok(rules.some((x) => x.id === f.ruleId));
        for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) assert.ok(Number.isInteger(f[k]) && f[k] >= 1, `${k} of ${key(f)}`);
        assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column));
        assert.match(f.docs, new RegExp(`/docs/rules/${f.ruleId}\\.md$`));
        assert.ok(f.related.length > 0, `cross-check finding without related location: ${key(f)}`);
        for (const rel of f.related) {
          for (const k of ['message', 'file', 'line', 'column', 'endLine', 'endColumn']) assert.ok(k in rel, `related location without ${k}`);
          assert.ok(existsSync(path.join(ROOT, rel.file)), rel.file);
        }
      }
      const counts = { error: 0, warning: 0, note: 0 };
      for (const f of report.findings) counts[f.severity]++;
      assert.deepEqual([counts.error, counts.warning, counts.note], [report.summary.errors, report.summary.warnings, report.summary.notes]);
    });
  });

  describe('--format sarif', () => {
    test('a SARIF 2.1.0 log with every rule and one result per finding', async () => {
      const r = await run(['lint', 'examples', '-f', 'sarif']);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, '');
      const log = JSON.parse(r.stdout);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const run0 = log.runs[0];
      assert.equal(run0.tool.driver.name, 'scrapelint');
      assert.equal(run0.tool.driver.version, PKG.version);
      assert.deepEqual(run0.tool.driver.rules.map((x: { id: string }) => x.id), rules.map((x) => x.id));
      const got = run0.results
        .map((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) => {
          const pl = x.locations[0]!.physicalLocation;
          return `${x.ruleId} ${pl.artifactLocation.uri}:${pl.region.startLine}`;
        })
        .sort();
      assert.deepEqual(got, EXAMPLE_FINDINGS);
      for (const x of run0.results) {
        assert.equal(x.level, 'error');
        assert.equal(run0.tool.driver.rules[x.ruleIndex].id, x.ruleId);
      }
    });
  });

  describe('--output', () => {
    test('writes the report to the file, nothing to stdout, same exit code', async () => {
      const out = path.join(tmp, 'report.json');
      const r = await run(['lint', 'examples', '-f', 'json', '--output', out]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '');
      assert.equal(readFileSync(out, 'utf8'), (await run(['lint', 'examples', '-f', 'json'])).stdout);
    });

    test('text to a file has no colours, and a relative path is resolved against the cwd', async () => {
      const r = await run(['lint', path.join(tmp, 'error'), '-o', 'report.txt', '--color'], { cwd: tmp });
      assert.equal(r.status, 1);
      const text = readFileSync(path.join(tmp, 'report.txt'), 'utf8');
      assert.match(text, /monitor-port-not-found/);
      assert.doesNotMatch(text, ANSI);
    });
  });

  describe('--quiet', () => {
    test('shows errors only', async () => {
      const all = json(await run(['lint', '-f', 'json', path.join(tmp, 'mixed')]));
      assert.deepEqual([...new Set(all.findings.map((f) => f.severity))].sort(), ['error', 'note', 'warning']);
      for (const flag of ['--quiet', '-q']) {
        const r = await run(['lint', flag, '-f', 'json', path.join(tmp, 'mixed')]);
        assert.equal(r.status, 1);
        const quiet = json(r);
        assert.ok(quiet.findings.length > 0);
        assert.deepEqual(quiet.findings, all.findings.filter((f) => f.severity === 'error'));
        assert.deepEqual([quiet.summary.errors, quiet.summary.warnings, quiet.summary.notes], [all.summary.errors, 0, 0]);
      }
      const text = (await run(['lint', '-q', path.join(tmp, 'mixed')])).stdout;
      assert.doesNotMatch(text, / {2}(warning|note) {2}/);
      assert.match(text, / {2}error {2}/);
      const warningsOnly = await run(['lint', '-q', '--fail-level', 'warning', path.join(tmp, 'warning')]);
      assert.match(warningsOnly.stdout, /No problems found\./);
      assert.doesNotMatch(warningsOnly.stdout, /monitor-selects-nothing/);
    });
  });

  // --- Colours -----------------------------------------------------------------------------------

  /** Runs the binary under a pseudo-terminal (util-linux `script`), where colours are on by default. */
  function runInTty(args: string[], env: Record<string, string> = {}): Promise<string> {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return spawnAsync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: cleanEnv({ TERM: 'xterm', ...env }) }).then((r) => r.stdout);
  }
  const hasScript = spawnSync('script', ['-qec', 'true', '/dev/null'], { encoding: 'utf8' }).status === 0;

  describe('colours', () => {
    test('piped output has no ANSI escapes; --no-color and NO_COLOR win over --color', async () => {
      for (const [args, env] of [
        [['lint', 'examples'], {}],
        [['lint', 'examples', '--no-color'], {}],
        [['lint', 'examples', '--color', '--no-color'], {}],
        [['lint', 'examples', '--color'], { NO_COLOR: '1' }],
      ] as [string[], Record<string, string>][]) {
        const r = await run(args, { env });
        assert.equal(r.status, 1);
        assert.match(r.stdout, /monitor-not-selected/);
        assert.doesNotMatch(r.stdout, ANSI, `${args.join(' ')} ${JSON.stringify(env)}`);
        assert.doesNotMatch(r.stderr, ANSI);
      }
    });

    test('in a terminal: coloured by default, plain with --no-color or NO_COLOR', { skip: hasScript ? false : 'needs util-linux script' }, async () => {
      assert.match(await runInTty(['lint', 'examples']), ANSI, 'control: a terminal gets colours');
      const plain = await runInTty(['lint', 'examples', '--no-color']);
      assert.match(plain, /monitor-not-selected/);
      assert.doesNotMatch(plain, ANSI);
      const noColor = await runInTty(['lint', 'examples'], { NO_COLOR: '1' });
      assert.match(noColor, /monitor-not-selected/);
      assert.doesNotMatch(noColor, ANSI);
    });

    test('--color forces colours when piped', async () => {
      assert.match((await run(['lint', 'examples', '--color'])).stdout, ANSI);
    });
  });

  // --- Other commands ----------------------------------------------------------------------------

  describe('commands', () => {
    test('rules lists every rule with its severity and title', async () => {
      const r = await run(['rules']);
      assert.equal(r.status, 0);
      assert.equal(r.stderr, '');
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, rules.length);
      assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), rules.map((x) => x.id));
      for (const rule of rules) {
        const line = lines.find((l) => l.startsWith(`${rule.id} `))!;
        assert.ok(line.includes(rule.severity) && line.includes(rule.title), line);
      }
    });

    test('rules --format json', async () => {
      const r = await run(['rules', '-f', 'json']);
      assert.equal(r.status, 0);
      const list = JSON.parse(r.stdout) as { id: string; severity: string; title: string; category: string; docs: string }[];
      assert.deepEqual(list, rules.map(({ id, severity, title, category, docs }) => ({ id, severity, title, category, docs })));
    });

    test('--version and -v print the package.json version', async () => {
      for (const flag of ['--version', '-v']) {
        const r = await run([flag]);
        assert.equal(r.status, 0);
        assert.equal(r.stdout, `${PKG.version}\n`);
        assert.equal(r.stderr, '');
      }
    });

    test('--help, -h and help print the usage on stdout', async () => {
      for (const args of [['--help'], ['-h'], ['help'], ['lint', '--help']]) {
        const r = await run(args);
        assert.equal(r.status, 0, args.join(' '));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^Usage: scrapelint <command> \[options\]/);
        for (const word of ['lint', 'rules', '--format', '--output', '--fail-level', '--quiet', '--no-color', 'Exit codes']) {
          assert.ok(r.stdout.includes(word), `help lacks ${word}`);
        }
      }
    });
  });

  // --- Standard input ----------------------------------------------------------------------------

  describe('standard input', () => {
    test('`helm template | scrapelint lint -`: findings name <stdin> and the template', async () => {
      const r = await run(['lint', '-', '-f', 'json'], { input: HELM_OUTPUT });
      assert.equal(r.status, 1);
      const report = json(r);
      assert.equal(report.summary.files, 1);
      assert.equal(report.summary.resources, 3);
      assert.equal(report.findings.length, 1);
      const f = report.findings[0]!;
      assert.equal(f.ruleId, 'monitor-port-not-found');
      assert.equal(f.file, '<stdin>');
      assert.equal(f.line, HELM_OUTPUT.split('\n').indexOf('    - port: metrics') + 1);
      assert.equal(f.template, 'shop/templates/servicemonitor.yaml');
      assert.match(f.message, /shop\/templates\/servicemonitor\.yaml/);
      assert.equal(f.related[0]!.file, '<stdin>');

      const text = await run(['lint', '-'], { input: HELM_OUTPUT });
      assert.equal(text.status, 1);
      assert.match(text.stdout, /^<stdin>:\d+:7 {2}error {2}.*\(rendered from shop\/templates\/servicemonitor\.yaml\)/m);
    });

    test('stdin together with a directory', async () => {
      const r = await run(['lint', '-', path.join(tmp, 'clean'), '-f', 'json'], { input: HELM_OUTPUT });
      const report = json(r);
      assert.equal(report.summary.files, 2);
      assert.deepEqual(report.findings.map((f) => f.file), ['<stdin>']);
    });

    test('empty stdin is a clean run', async () => {
      const r = await run(['lint', '-'], { input: '' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /No problems found\./);
    });
  });

  // --- Input that must not crash -----------------------------------------------------------------

  describe('bad input', () => {
    for (const name of Object.keys(BAD_INPUTS)) {
      test(`${name} alone: exit 0 or 1, no stack trace`, async () => {
        const r = await run(['lint', '-f', 'json', path.join(tmp, 'bad', name)]);
        assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}\n${r.stderr}`);
        assert.equal(r.stderr, '', 'nothing on stderr');
        const report = JSON.parse(r.stdout) as JsonReport;
        assert.deepEqual(report.notifications, []);
      });
    }

    test('deep.yaml alone: a finding, no crash', async () => {
      const r = await run(['lint', '-f', 'json', path.join(tmp, 'deep')], { cwd: tmp });
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(json(r).findings.map((f) => `${f.ruleId} ${f.file}`), ['yaml-syntax deep/deep.yaml']);
    });

    test(
      'an unclosed flow mapping in one file, then 2000 nested flow sequences in the next: no crash',
      async () => {
        const r = await run(['lint', '-f', 'json', path.join(tmp, 'crash')], { cwd: tmp });
        assert.doesNotMatch(r.stderr, /FATAL ERROR/);
        assert.equal(r.status, 1, r.stderr.slice(0, 300));
        assert.deepEqual(json(r).findings.map((f) => `${f.ruleId} ${f.file}`).sort(), ['yaml-syntax crash/a-unclosed.json', 'yaml-syntax crash/b-deep.yaml']);
      },
    );

    test('the whole directory: every bad file is reported or ignored, and the real problem is still found', async () => {
      const r = await run(['lint', '-f', 'json', path.join(tmp, 'bad')], { cwd: tmp });
      assert.equal(r.status, 1, r.stderr);
      const report = json(r);
      assert.deepEqual(report.notifications, []);
      const by = (file: string) => report.findings.filter((f) => f.file === `bad/${file}`).map((f) => `${f.ruleId}:${f.severity}`);
      assert.deepEqual(by('web.yaml'), ['monitor-port-not-found:error']);
      assert.deepEqual(by('invalid.yaml'), ['yaml-syntax:error']);
      assert.deepEqual(by('broken.json'), ['yaml-syntax:error']);
      assert.deepEqual(by('binary.yaml'), ['file-skipped:note']);
      assert.deepEqual(by('no-metadata.yaml'), ['document-skipped:note']);
      for (const quiet of ['empty.yaml', 'only-comments.yaml', 'scalar.yaml', 'number.yaml', 'list.yaml', 'null-doc.yaml', 'no-kind.yaml']) {
        assert.deepEqual(by(quiet), [], `${quiet} is not a Kubernetes object and gives no finding`);
      }
      // A broken first document does not hide the second one.
      assert.deepEqual(by('second-doc.yaml').sort(), ['document-skipped:note', 'yaml-syntax:error']);
    });

    test('text output of the bad directory has no stack trace either', async () => {
      const r = await run(['lint', path.join(tmp, 'bad')]);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, '');
      assert.doesNotMatch(r.stdout, STACK);
      assert.doesNotMatch(r.stdout, /internal error/);
    });
  });

  // --- examples/ ---------------------------------------------------------------------------------

  describe('examples/', () => {
    test('finds exactly the planted problems (examples/README.md)', async () => {
      const report = json(await run(['lint', 'examples', '-f', 'json']));
      assert.deepEqual(report.findings.map(key).sort(), EXAMPLE_FINDINGS);
    });

    test('messages carry the evidence a user needs', async () => {
      const report = json(await run(['lint', 'examples', '-f', 'json']));
      const one = (id: string) => report.findings.find((f) => f.ruleId === id)!;
      assert.match(one('monitor-port-not-found').message, /"http-metric".*Did you mean "http-metrics"\?/);
      assert.match(one('monitor-not-selected').message, /release: kps/);
      assert.deepEqual(
        one('monitor-not-selected').related.map((r) => `${r.file}:${r.line}`),
        ['examples/monitoring/prometheus.yaml:26'],
      );
      assert.match(one('scheme-port-mismatch').message, /2379.*connection reset by peer/);
      assert.match(one('tls-secret-not-mounted').message, /"etcd-certs".*spec\.secrets/);
      assert.deepEqual(
        one('tls-secret-not-mounted').related.map((r) => `${r.file}:${r.line}`),
        ['examples/monitoring/prometheus.yaml:43'],
      );
      assert.deepEqual(
        one('endpoints-overwritten-by-selector').related.map((r) => `${r.file}:${r.line}`),
        ['examples/control-plane/kube-controller-manager.yaml:26'],
      );
    });

    test('the same findings when linted from inside examples/ (paths relative to the cwd)', async () => {
      const report = json(await run(['lint', '-f', 'json'], { cwd: path.join(ROOT, 'examples') }));
      assert.deepEqual(report.findings.map(key).sort(), EXAMPLE_FINDINGS.map((k) => k.replace(' examples/', ' ')).sort());
    });

    test('--ignore leaves a folder out', async () => {
      const report = json(await run(['lint', 'examples', '-f', 'json', '--ignore', 'examples/control-plane/**']));
      assert.deepEqual(
        report.findings.map(key).sort(),
        EXAMPLE_FINDINGS.filter((k) => !k.includes('control-plane/')),
      );
    });
  });
});
