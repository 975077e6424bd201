/**
 * The one-file CLI (dist/action/cli.js) loads its body through V8's code cache
 * (src/cli/code-cache.ts): the cache must never change a result, never fail a run, and be
 * rewritten when V8 refuses it.
 */
import { after, test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/paths.js';
import { TEAM_LABEL_PLUGIN, writeRepo } from './helpers/repo.js';
import { PROM, SM, SVC } from './helpers/manifests.js';
import { codeCacheDir } from '../src/cli/code-cache.js';

const CLI = path.join(ROOT, 'dist/action/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-code-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const repo = (name: string, files: Record<string, string>) => writeRepo(tmp, name, files);

function cli(cwd: string, env: Record<string, string>, args = ['lint', '--format', 'json']) {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SCRAPELINT_') && k !== 'XDG_CACHE_HOME') base[k] = v;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...base, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const caches = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : []);

// A monitor whose port the Service does not have: one finding, so that the output says something.
const FILES = { 'prom.yaml': PROM, 'a.yaml': `${SVC('a')}---\n${SM('a', 'metrics')}` };

describe('the code cache of the bundled CLI', () => {
  test('is written by the first run, reused as is, and rewritten when V8 refuses it; results never change', () => {
    const dir = repo('cached', FILES);
    const cacheDir = path.join(tmp, 'cache-a');
    const env = { SCRAPELINT_CACHE_DIR: cacheDir };
    const first = cli(dir, env);
    assert.equal(first.status, 1, first.stderr);
    assert.match(first.stdout, /monitor-port-not-found/);
    assert.equal(first.stderr, '');
    const [file] = caches(cacheDir);
    assert.ok(file, 'one cache file after the first run');
    assert.equal(caches(cacheDir).length, 1);
    const cachePath = path.join(cacheDir, file);
    if (process.platform !== 'win32') assert.equal(statSync(cachePath).mode & 0o777, 0o600, 'readable by its owner only');
    const bytes = readFileSync(cachePath);

    const second = cli(dir, env);
    assert.deepEqual(second, first, 'same output from the cached code');
    assert.ok(readFileSync(cachePath).equals(bytes), 'an accepted cache is not written again');

    writeFileSync(cachePath, 'not a V8 code cache');
    // Caches of other versions, the oldest first: the four newest caches are kept.
    const others = [1, 2, 3, 4].map((n) => `${String(n).repeat(32)}.v8cache`);
    others.forEach((name, n) => {
      writeFileSync(path.join(cacheDir, name), 'a cache of another version');
      utimesSync(path.join(cacheDir, name), 1_000_000 + n, 1_000_000 + n);
    });
    const third = cli(dir, env);
    assert.deepEqual(third, first, 'same output when the cache is not one');
    assert.ok(readFileSync(cachePath).length > 1000, 'the refused cache is rewritten');
    assert.deepEqual(caches(cacheDir).sort(), [...others.slice(1), file].sort(), 'the oldest cache of another version is removed');

    // Damaged V8 data behind an intact header crashes V8 itself ("Deserializer"): the checksum must catch it.
    const good = readFileSync(cachePath);
    const damaged = Buffer.from(good);
    for (let i = 100; i < 300; i++) damaged[Math.floor(damaged.length / 2) + i] ^= 0xff;
    writeFileSync(cachePath, damaged);
    const fourth = cli(dir, env);
    assert.deepEqual(fourth, first, 'same output from a damaged cache');
    assert.ok(!readFileSync(cachePath).equals(damaged), 'the damaged cache is replaced');
  });

  test('is read only from a directory and file of the user that nobody else can write', { skip: typeof process.getuid !== 'function' }, () => {
    const dir = repo('shared-dir', FILES);
    const expected = cli(dir, { SCRAPELINT_CODE_CACHE: 'off' });
    const cacheDir = path.join(tmp, 'cache-shared');
    mkdirSync(cacheDir, { mode: 0o700 });
    chmodSync(cacheDir, 0o777); // e.g. a shared /tmp directory
    assert.deepEqual(cli(dir, { SCRAPELINT_CACHE_DIR: cacheDir }), expected);
    assert.deepEqual(caches(cacheDir), [], 'nothing written where others can write');
    chmodSync(cacheDir, 0o700);
    assert.deepEqual(cli(dir, { SCRAPELINT_CACHE_DIR: cacheDir }), expected);
    const [file] = caches(cacheDir);
    assert.ok(file, 'written once the directory is private');
    chmodSync(path.join(cacheDir, file), 0o666);
    assert.deepEqual(cli(dir, { SCRAPELINT_CACHE_DIR: cacheDir }), expected, 'a cache file others can write is not read');
    // Not read, so written again at exit: a new private file replaces it (a read one would be left as it is).
    assert.equal(statSync(path.join(cacheDir, file)).mode & 0o777, 0o600);
  });

  test('is off with SCRAPELINT_CODE_CACHE=off, and an unusable directory does not fail the run', () => {
    const dir = repo('uncached', FILES);
    const expected = cli(dir, { SCRAPELINT_CODE_CACHE: 'off' });
    assert.equal(expected.status, 1);
    const off = path.join(tmp, 'cache-off');
    assert.deepEqual(cli(dir, { SCRAPELINT_CACHE_DIR: off, SCRAPELINT_CODE_CACHE: 'off' }), expected);
    assert.equal(existsSync(off), false, 'nothing written when off');
    const blocker = path.join(tmp, 'a-file');
    writeFileSync(blocker, 'x');
    assert.deepEqual(cli(dir, { SCRAPELINT_CACHE_DIR: path.join(blocker, 'cache') }), expected, 'a cache directory that cannot exist');
  });

  test('plugins load from the bundled CLI (import() in cached code)', () => {
    const dir = repo('plugin', {
      'plugin.mjs': TEAM_LABEL_PLUGIN,
      'a.yaml': `${SVC('a')}---\n${SM('a', 'http')}`,
      '.scrapelint.yaml': 'plugins: [./plugin.mjs]\n',
    });
    const env = { SCRAPELINT_CACHE_DIR: path.join(tmp, 'cache-plugin') };
    for (const run of ['first', 'cached']) {
      const r = cli(dir, env);
      assert.equal(r.status, 0, `${run}: ${r.stderr}`);
      assert.equal(r.stderr, '', `${run}: no warning`);
      assert.deepEqual((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId), ['acme/monitor-needs-team'], run);
    }
  });

  test('directory: SCRAPELINT_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(codeCacheDir({ SCRAPELINT_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/c' }), path.resolve('/x/y'));
    assert.equal(codeCacheDir({ SCRAPELINT_CACHE_DIR: 'in/the/repo', XDG_CACHE_HOME: '/c' }), path.join('/c', 'scrapelint'), 'a relative directory is ignored');
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/c' }), path.join('/c', 'scrapelint'));
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'scrapelint'), 'a relative XDG_CACHE_HOME is ignored (XDG spec)');
    assert.equal(codeCacheDir({}), path.join(os.homedir(), '.cache', 'scrapelint'));
    for (const off of ['off', 'OFF', '0', 'false']) assert.equal(codeCacheDir({ SCRAPELINT_CODE_CACHE: off, SCRAPELINT_CACHE_DIR: '/x' }), undefined, off);
  });
});
