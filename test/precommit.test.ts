/**
 * The pre-commit hook (.pre-commit-hooks.yaml) as a user meets it: a repository whose
 * .pre-commit-config.yaml names scrapelint as a hook repository, `pre-commit install`, then real
 * `git commit`s. The hook is `language: script` and runs the committed one-file CLI
 * (dist/action/cli.js), so this also checks that the bundle runs from a plain checkout of the
 * hook repository (docs and schemas read from there, no node_modules, no build).
 *
 * The hook repository is a committed snapshot of this working tree (tracked and untracked files,
 * not ignored ones): `pre-commit try-repo` would leave out untracked files (it copies only staged
 * and tracked changes) and use a fresh store for every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/paths.js';
import { PROM, SM, SVC } from './helpers/manifests.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const hasGit = spawnSync('git', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = !hasPreCommit
  ? 'the pre-commit command is not installed (apt-get install pre-commit, or pip install pre-commit; .ci/run installs it)'
  : !hasGit
    ? 'git is not installed'
    : false;

/** The environment of a developer's shell: no npm_* variables of the `npm test` that runs us. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !k.startsWith('PRE_COMMIT') && !k.startsWith('GIT_')) env[k] = v;
  return {
    ...env,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...extra,
  };
}


test('pre-commit hook: a staged ServiceMonitor checked against a Service in another directory', { skip, timeout: 300_000 }, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-precommit-'));
  const env = cleanEnv({ PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' });
  const sh = (cwd: string, cmd: string, args: string[], timeout = 60_000) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
    return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
  };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    // the hook repository: this working tree as one commit
    const hookRepo = path.join(tmp, 'scrapelint');
    mkdirSync(hookRepo);
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && existsSync(path.join(ROOT, f)));
    for (const f of new Set(files)) {
      mkdirSync(path.dirname(path.join(hookRepo, f)), { recursive: true });
      copyFileSync(path.join(ROOT, f), path.join(hookRepo, f));
    }
    assert.ok(existsSync(path.join(hookRepo, '.pre-commit-hooks.yaml')));
    git(hookRepo, 'init', '-q');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-q', '--no-verify', '-m', 'snapshot');
    const rev = git(hookRepo, 'rev-parse', 'HEAD').trim();

    // the user's repository: Prometheus and Services committed, plus an old broken monitor the hook must not report
    const work = path.join(tmp, 'deploy');
    const write = (f: string, text: string) => {
      mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      writeFileSync(path.join(work, f), text);
    };
    write('.pre-commit-config.yaml', `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: scrapelint\n`);
    write('monitoring/prometheus.yaml', PROM);
    write('services/shop.yaml', SVC('shop'));
    write('legacy/old.yaml', SVC('old') + '---\n' + SM('old', 'gone'));
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '--no-verify', '-m', 'base');
    const install = sh(work, 'pre-commit', ['install']);
    assert.equal(install.status, 0, install.out);

    // a ServiceMonitor whose port name the Service in services/ does not have: the commit is refused
    write('apps/shop/servicemonitor.yaml', SM('shop', 'metrics'));
    git(work, 'add', 'apps/shop/servicemonitor.yaml');
    let t = Date.now();
    const bad = sh(work, 'git', ['commit', '-m', 'shop monitor'], 240_000);
    const firstMs = Date.now() - t;
    assert.ok(!bad.error, String(bad.error));
    assert.notEqual(bad.status, 0, bad.out);
    assert.match(bad.out, /scrapelint\.+Failed/, bad.out);
    assert.match(bad.out, /apps\/shop\/servicemonitor\.yaml:13:7 +error +ServiceMonitor shop\/shop endpoint port "metrics" names no port of Service shop\/shop/, bad.out);
    assert.match(bad.out, /monitor-port-not-found/);
    assert.ok(!bad.out.includes('legacy/old.yaml'), bad.out);
    assert.throws(() => git(work, 'rev-parse', '--verify', 'HEAD~1'), 'nothing was committed');

    // fixed: the commit goes through (the old broken monitor elsewhere does not block it)
    write('apps/shop/servicemonitor.yaml', SM('shop', 'http'));
    git(work, 'add', 'apps/shop/servicemonitor.yaml');
    t = Date.now();
    const good = sh(work, 'git', ['commit', '-m', 'shop monitor'], 120_000);
    const secondMs = Date.now() - t;
    assert.equal(good.status, 0, good.out);
    assert.match(good.out, /scrapelint\.+Passed/, good.out);
    assert.equal(git(work, 'log', '--format=%s', '-1').trim(), 'shop monitor');
    process.stdout.write(`# pre-commit: first commit (hook set-up + run) ${firstMs} ms, second commit ${secondMs} ms\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
