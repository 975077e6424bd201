/**
 * The GitHub Action as a runner runs it: the committed bundle (dist/action/index.js) with the
 * environment a runner provides (INPUT_*, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, ...)
 * against a temporary repository; only-changed against real git; and the bundle rebuilt from the
 * sources, byte for byte equal to the committed one.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './helpers/paths.js';
import { BUNDLES, buildAction } from '../src/action/build.js';
import { MAX_ROWS, summaryMarkdown } from '../src/action/main.js';
import { PROM, SM, SVC } from './helpers/manifests.js';
import { writeRepo } from './helpers/repo.js';

/** The action as the runner downloads it: the repository's files (tracked and not ignored), no node_modules, no dist/src. */
let actionDir: string;
let BUNDLE: string;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const DOCS = 'https://github.com/scrapelint/scrapelint/blob/';


let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-action-'));
  actionDir = path.join(tmp, '_actions', 'scrapelint', 'scrapelint', 'v0');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(actionDir, f)), { recursive: true });
    copyFileSync(path.join(ROOT, f), path.join(actionDir, f));
  }
  BUNDLE = path.join(actionDir, 'dist/action/index.js');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const repo = (name: string, files: Record<string, string>) => writeRepo(tmp, name, files);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: string[];
  runnerTemp: string;
}

/** Runs the committed bundle the way the runner does: node <action>/dist/action/index.js, inputs in the environment. */
function runAction(workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Run {
  const files = mkdtempSync(path.join(tmp, 'runner-'));
  const summary = path.join(files, 'step_summary.md');
  const output = path.join(files, 'output.txt');
  const runnerTemp = path.join(files, 'temp');
  mkdirSync(runnerTemp);
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: files,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_REPOSITORY: 'acme/deploy',
    GITHUB_SHA: SHA,
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: runnerTemp,
    // what the runner sets for every input declared in action.yml, from its default or the workflow
    'INPUT_PATHS': '.',
    'INPUT_CONFIG': '',
    'INPUT_FAIL-LEVEL': 'error',
    'INPUT_SARIF-FILE': 'scrapelint.sarif',
    'INPUT_ONLY-CHANGED': 'false',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  const r = spawnSync(process.execPath, [BUNDLE], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    summary: readFileSync(summary, 'utf8'),
    outputs: readFileSync(output, 'utf8').split('\n').filter(Boolean),
    runnerTemp,
  };
}

describe('GitHub Action (dist/action/index.js)', () => {
  test('the committed bundles exist and hold no absolute path of this machine', () => {
    for (const b of BUNDLES) {
      const file = path.join(ROOT, b.out);
      assert.ok(existsSync(file), `${b.out} is missing: run npm run build:action`);
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(ROOT), `${b.out} contains the absolute path of the repository`);
      assert.ok(!text.includes(os.tmpdir() + '/'), `${b.out} contains a temporary path`);
    }
  });

  test('the checkout holds no node_modules and no tsc output: the bundle is all it runs', () => {
    assert.ok(existsSync(BUNDLE), 'dist/action/index.js is not in the repository: check .gitignore');
    assert.ok(!existsSync(path.join(actionDir, 'node_modules')) && !existsSync(path.join(actionDir, 'dist/src')));
  });

  test('action.yml: a node24 JavaScript action running the bundle, with the documented inputs and outputs', () => {
    const yml = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      name: string;
      description: string;
      inputs: Record<string, { description: string; required?: boolean; default?: string }>;
      outputs: Record<string, { description: string }>;
      runs: Record<string, string>;
    };
    assert.deepEqual(yml.runs, { using: 'node24', main: 'dist/action/index.js' });
    assert.deepEqual(
      Object.entries(yml.inputs).map(([k, v]) => [k, v.default]),
      [['paths', '.'], ['config', ''], ['fail-level', 'error'], ['sarif-file', 'scrapelint.sarif'], ['only-changed', 'false']],
    );
    assert.deepEqual(Object.keys(yml.outputs), ['sarif-file', 'errors', 'warnings']);
    for (const v of [...Object.values(yml.inputs), ...Object.values(yml.outputs)]) assert.equal(typeof v.description, 'string');
  });

  test('a broken ServiceMonitor: exit 1, annotations, SARIF, job summary and outputs', () => {
    const ws = repo('broken', { 'monitoring/prometheus.yaml': PROM, 'apps/shop/service.yaml': SVC('shop'), 'apps/shop/servicemonitor.yaml': SM('shop', 'metrics') });
    const r = runAction(ws, {});
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');

    // annotations: the runner reads workflow commands from standard output
    assert.match(r.stdout, /^::error file=apps\/shop\/servicemonitor\.yaml,line=13,col=7,endLine=13,endColumn=20,title=monitor-port-not-found::ServiceMonitor shop\/shop endpoint port "metrics" names no port of Service shop\/shop/m);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('::')).length, 1, r.stdout);

    // SARIF, with each rule's help read from docs/ next to the bundle (packageRoot())
    const sarifPath = path.join(ws, 'scrapelint.sarif');
    assert.ok(existsSync(sarifPath));
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; help?: { markdown?: string } }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0]!.results;
    assert.deepEqual(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]), [['monitor-port-not-found', 'apps/shop/servicemonitor.yaml']]);
    const help = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'monitor-port-not-found')?.help?.markdown ?? '';
    assert.match(help, /^# monitor-port-not-found/);

    // job summary
    assert.match(r.summary, /^## scrapelint\n\n:x: \*\*1 error\*\*, 0 warnings, 0 notes in 3 files\.\n/);
    assert.match(r.summary, /^\| rule \| errors \| warnings \| notes \|\n\|---\|---:\|---:\|---:\|\n\| \[monitor-port-not-found\]\(https:\/\/github\.com\/scrapelint\/scrapelint\/blob\/v[^/]+\/docs\/rules\/monitor-port-not-found\.md\) \| 1 \| 0 \| 0 \|$/m);
    const row = r.summary.split('\n').find((l) => l.startsWith('| error |'));
    assert.ok(row, r.summary);
    assert.ok(row.includes(`[monitor-port-not-found](${DOCS}`), row);
    assert.ok(row.includes('ServiceMonitor shop/shop endpoint port "metrics" names no port'), row);
    assert.ok(row.endsWith(`| [apps/shop/servicemonitor.yaml:13](https://github.com/acme/deploy/blob/${SHA}/apps/shop/servicemonitor.yaml#L13) |`), row);

    // outputs, name=value lines
    assert.deepEqual(r.outputs, ['sarif-file=scrapelint.sarif', 'errors=1', 'warnings=0']);
    // the JSON report went to RUNNER_TEMP and was cleaned up
    assert.deepEqual(readdirSync(r.runnerTemp), []);
  });

  test('a clean repository: exit 0, no annotations, a passing summary', () => {
    const ws = repo('clean', { 'prometheus.yaml': PROM, 'svc.yaml': SVC('shop'), 'sm.yaml': SM('shop', 'http') });
    const r = runAction(ws, {});
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.ok(!r.stdout.includes('::'), r.stdout);
    assert.match(r.summary, /^## scrapelint\n\n:white_check_mark: \*\*0 errors\*\*, 0 warnings, 0 notes in 3 files\.\n\n$/);
    assert.deepEqual(r.outputs, ['sarif-file=scrapelint.sarif', 'errors=0', 'warnings=0']);
  });

  test('inputs: several paths, config, fail-level, sarif-file; suppressions as in the CLI', () => {
    const ws = repo('inputs', {
      'base/prometheus.yaml': PROM,
      'base/svc.yaml': SVC('shop') + '---\n' + SVC('cart'),
      'apps/sm.yaml': SM('shop', 'metrics'),
      'apps/cart.yaml': SM('cart', 'metrics', '    # scrapelint-disable-next-line monitor-port-not-found -- scraped by the sidecar\n'),
      'not-linted/sm.yaml': SM('other', 'nope'),
      'ci/scrapelint.yaml': 'rules:\n  monitor-port-not-found: warning\n',
    });
    const base = { paths: 'base\n  apps ', config: 'ci/scrapelint.yaml', 'sarif-file': 'out/lint.sarif' };
    mkdirSync(path.join(ws, 'out'));
    const passing = runAction(ws, base);
    assert.equal(passing.status, 0, passing.stderr + passing.stdout);
    assert.match(passing.stdout, /^::warning file=apps\/sm\.yaml,line=13,.*title=monitor-port-not-found::/m);
    assert.ok(!passing.stdout.includes('not-linted') && !passing.stdout.includes('apps/cart.yaml'), passing.stdout);
    assert.match(passing.summary, /\*\*0 errors\*\*, 1 warning, 0 notes \(1 suppressed\) in 4 files\./);
    assert.deepEqual(passing.outputs, ['sarif-file=out/lint.sarif', 'errors=0', 'warnings=1']);
    assert.ok(existsSync(path.join(ws, 'out/lint.sarif')));

    const failing = runAction(ws, { ...base, 'fail-level': 'warning' });
    assert.equal(failing.status, 1);

    const bad = runAction(ws, { ...base, 'fail-level': 'loud' });
    assert.equal(bad.status, 2);
    assert.match(bad.stdout, /^::error::scrapelint: unknown fail level "loud"/m);
    assert.match(bad.summary, /scrapelint failed \(exit code 2\) before it could report/);
    assert.deepEqual(bad.outputs, ['sarif-file=out/lint.sarif']);

    const notBool = runAction(ws, { ...base, 'only-changed': 'yes please' });
    assert.equal(notBool.status, 2);
    assert.match(notBool.stdout, /^::error::scrapelint: input "only-changed" must be true or false/m);
  });
});

describe('only-changed', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let ws: string;
  let origin: string;

  before(() => {
    // origin: main holds a Prometheus, two Services in base/ and an old broken monitor in legacy/
    origin = path.join(tmp, 'origin.git');
    const seed = repo('seed', {
      'base/prometheus.yaml': PROM,
      'base/services.yaml': SVC('shop') + '---\n' + SVC('cart', 'web'),
      'legacy/old.yaml': SVC('old') + '---\n' + SM('old', 'gone'),
    });
    git(seed, 'init', '-q');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'base');
    git(tmp, 'clone', '-q', '--bare', seed, origin);
    // the pull request's checkout: a branch adding a monitor in apps/ whose port only a Service in base/ can answer
    ws = path.join(tmp, 'pr');
    git(tmp, 'clone', '-q', origin, ws);
    git(ws, 'checkout', '-q', '-b', 'feature');
    mkdirSync(path.join(ws, 'apps'));
    writeFileSync(path.join(ws, 'apps/cart.yaml'), SM('cart', 'metrics'));
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'cart monitor');
    writeFileSync(path.join(ws, 'apps/shop.yaml'), SM('shop', 'http')); // untracked and fine
  });

  const PR = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feature' };
  const annotated = (r: Run) => [...r.stdout.matchAll(/^::error file=([^,]+),/gm)].map((m) => m[1]);

  test('without it, every finding is reported', () => {
    const r = runAction(ws, {}, PR);
    assert.equal(r.status, 1);
    assert.deepEqual(annotated(r), ['apps/cart.yaml', 'legacy/old.yaml']);
    assert.deepEqual(r.outputs, ['sarif-file=scrapelint.sarif', 'errors=2', 'warnings=0']);
  });

  test('on a pull request, only findings touching files changed since origin/<base>', () => {
    const r = runAction(ws, { 'only-changed': 'true' }, PR);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^only-changed: reporting findings that touch files changed since origin\/main$/m);
    assert.deepEqual(annotated(r), ['apps/cart.yaml']);
    assert.deepEqual(r.outputs, ['sarif-file=scrapelint.sarif', 'errors=1', 'warnings=0']);
    assert.ok(!r.summary.includes('legacy/old.yaml'), r.summary);
  });

  test('the base branch is fetched when the checkout lacks it', () => {
    const clone = path.join(tmp, 'pr-no-base');
    git(tmp, 'clone', '-q', ws, clone);
    git(clone, 'remote', 'set-url', 'origin', origin);
    git(clone, 'checkout', '-q', 'feature');
    for (const ref of git(clone, 'for-each-ref', '--format=%(refname)', 'refs/remotes/').split('\n').filter(Boolean)) git(clone, 'update-ref', '-d', ref);
    const r = runAction(clone, { 'only-changed': 'true' }, PR);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(annotated(r), ['apps/cart.yaml']);
    assert.ok(git(clone, 'rev-parse', 'origin/main').trim());
  });

  test('when git cannot give the base, a warning and everything reported', () => {
    const r = runAction(ws, { 'only-changed': 'true' }, { ...PR, GITHUB_BASE_REF: 'no-such-branch' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^::warning::only-changed: cannot compare with origin\/no-such-branch \(.+\); reporting findings in all files$/m);
    assert.deepEqual(annotated(r), ['apps/cart.yaml', 'legacy/old.yaml']);

    const notGit = repo('not-git', { 'prometheus.yaml': PROM, 'svc.yaml': SVC('shop'), 'sm.yaml': SM('shop', 'metrics') });
    const n = runAction(notGit, { 'only-changed': 'true' }, PR);
    assert.equal(n.status, 1);
    assert.match(n.stdout, /^::warning::only-changed: cannot compare with origin\/main/m);
    assert.deepEqual(annotated(n), ['sm.yaml']);
  });

  test('on a push, everything is reported', () => {
    const r = runAction(ws, { 'only-changed': 'true' }, { GITHUB_EVENT_NAME: 'push' });
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /^::warning::/m);
    assert.deepEqual(annotated(r), ['apps/cart.yaml', 'legacy/old.yaml']);
  });
});

describe('job summary', () => {
  const finding = (i: number, message = `message ${i}`) => ({
    ruleId: 'monitor-port-not-found',
    severity: (i % 2 ? 'warning' : 'error') as 'error' | 'warning',
    message,
    file: `apps/a b/${i}.yaml`,
    line: i + 1,
    docs: `${DOCS}v0/docs/rules/monitor-port-not-found.md`,
  });
  const env = { GITHUB_REPOSITORY: 'acme/deploy', GITHUB_SHA: SHA };

  test(`at most ${MAX_ROWS} rows, errors first, with a note for the rest`, () => {
    const findings = Array.from({ length: MAX_ROWS + 7 }, (_, i) => finding(i));
    const md = summaryMarkdown({ summary: { errors: 104, warnings: 103, notes: 0 }, findings }, env, 1);
    const rows = md.split('\n').filter((l) => /^\| (error|warning|note) \|/.test(l));
    assert.equal(rows.length, MAX_ROWS);
    assert.ok(rows.slice(0, 104).every((l) => l.startsWith('| error |')));
    assert.match(md, /^_7 more findings are not listed here/m);
    assert.match(md, /^\| \[monitor-port-not-found\]\(.*\) \| 104 \| 103 \| 0 \|$/m);
  });

  test('messages cannot break the table; paths are URL-encoded', () => {
    const md = summaryMarkdown({ summary: { errors: 1, warnings: 0, notes: 0 }, findings: [finding(0, 'a | b <script>\nc')] }, env, 1);
    const row = md.split('\n').find((l) => l.startsWith('| error |'))!;
    assert.ok(row.includes('a \\| b &lt;script&gt;<br>c'), row);
    assert.ok(row.includes(`(https://github.com/acme/deploy/blob/${SHA}/apps/a%20b/0.yaml#L1)`), row);
  });

  test('suppressed and baseline findings are counted, not listed', () => {
    const md = summaryMarkdown(
      {
        summary: { errors: 0, warnings: 0, notes: 0, suppressed: 1, baseline: 1, files: 2 },
        findings: [{ ...finding(0), suppressed: { justification: 'x' } }, { ...finding(2), baselineState: 'unchanged' }],
      },
      env,
      0,
    );
    assert.equal(md, '## scrapelint\n\n:white_check_mark: **0 errors**, 0 warnings, 0 notes (1 suppressed, 1 known from the baseline) in 2 files.\n\n');
  });
});

test('dist/action is up to date with the sources', async () => {
  const outRoot = mkdtempSync(path.join(tmp, 'bundle-'));
  const written = await buildAction(outRoot);
  assert.deepEqual(BUNDLES.map((b) => b.out), ['dist/action/index.js', 'dist/action/cli.js', 'dist/action/scrapelint.cjs']);
  assert.equal(written.length, BUNDLES.length);
  for (const b of BUNDLES) {
    const fresh = readFileSync(path.join(outRoot, b.out));
    const committed = path.join(ROOT, b.out);
    assert.ok(existsSync(committed) && fresh.equals(readFileSync(committed)), `dist/action is stale (${b.out}): run npm run build:action`);
    if (b.executable) assert.ok((statSync(committed).mode & 0o111) !== 0, `${b.out} is not executable: run npm run build:action`);
  }
});
