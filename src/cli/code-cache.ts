/**
 * Loads the one-file CLI (dist/action/scrapelint.cjs) through V8's code cache, so that a run
 * after the first does not parse and compile the megabyte of bundled code again (the pre-commit
 * hook and the npm bin start a new process on every commit; docs/performance.md has the figures).
 *
 * The cache is V8's own (`vm.Script` cachedData, what Node 22's module.enableCompileCache uses),
 * one file per bundle content, Node version and architecture, in `$SCRAPELINT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/scrapelint`, else `~/.cache/scrapelint`. V8 checks it and rejects one that does
 * not fit (it is then written again); `SCRAPELINT_CODE_CACHE=off` turns it off (the bundle is then
 * require()d). Nothing here may fail a run: without a usable cache directory the bundle is simply
 * compiled as usual. Code compiled this way has no import(): the bundle's caller passes one in.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

type Env = Record<string, string | undefined>;

/** Where code caches go, or undefined when caching is off or there is no home directory. */
export function codeCacheDir(env: Env): string | undefined {
  const off = env.SCRAPELINT_CODE_CACHE?.toLowerCase();
  if (off === 'off' || off === '0' || off === 'false') return undefined;
  if (env.SCRAPELINT_CACHE_DIR) return path.resolve(env.SCRAPELINT_CACHE_DIR);
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'scrapelint');
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  return home ? path.join(home, '.cache', 'scrapelint') : undefined;
}

const SUFFIX = '.v8cache';
/** Caches kept (the newest): two repositories that pin different versions do not evict each other. */
const KEEP = 4;

/**
 * Runs a CommonJS bundle like `require(file)` would and returns its exports, with its compiled
 * code taken from (or, at exit, written to) the code cache.
 */
export function loadBundle(file: string, env: Env = process.env): unknown {
  const require = createRequire(file);
  const dir = codeCacheDir(env);
  if (!dir) return require(file);
  const source = readFileSync(file, 'utf8');
  // V8 checks a cache against the source's length only: the name carries a hash of the content.
  const cacheFile = path.join(dir, createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(source).digest('hex').slice(0, 32) + SUFFIX);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  // The CommonJS wrapper, on the first line: positions in stack traces stay those of the file.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit: by then the cache holds every function the run compiled, not just the top level.
    process.once('exit', () => writeCache(dir, cacheFile, script));
  }
  const mod = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  return mod.exports;
}

/** Writes the cache atomically and removes all but the KEEP newest caches. Never throws. */
function writeCache(dir: string, cacheFile: string, script: vm.Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, cacheFile);
    const others = readdirSync(dir)
      .filter((name) => name.endsWith(SUFFIX) && path.join(dir, name) !== cacheFile)
      .map((name) => ({ file: path.join(dir, name), at: statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of others.slice(KEEP - 1)) unlinkSync(old.file);
  } catch {
    // a read-only or missing home: no cache, same results
  }
}
