/**
 * Loads the one-file CLI (dist/action/scrapelint.cjs) through V8's code cache, so that a run
 * after the first does not parse and compile the megabyte of bundled code again (the pre-commit
 * hook and the npm bin start a new process on every commit; docs/performance.md has the figures).
 *
 * The cache is V8's own (`vm.Script` cachedData, what Node 22's module.enableCompileCache uses),
 * one file per bundle content, Node version and architecture, in `$SCRAPELINT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/scrapelint`, else `~/.cache/scrapelint` (absolute paths only);
 * `SCRAPELINT_CODE_CACHE=off` turns it off (the bundle is then require()d). Nothing here may fail a
 * run: without a usable cache the bundle is simply compiled as usual.
 *
 * V8 trusts cached data: it checks only a header and the source's length, and damaged data can
 * crash the process. So a cache file carries a SHA-256 of its contents and of the bundle it was
 * made from, and is read only from a directory and file that belong to the user and that nobody
 * else can write (on POSIX systems). Code compiled this way has no import(): the bundle's caller
 * passes one in.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

type Env = Record<string, string | undefined>;

/** Where code caches go, or undefined when caching is off or there is no home directory. */
export function codeCacheDir(env: Env): string | undefined {
  const off = env.SCRAPELINT_CODE_CACHE?.toLowerCase();
  if (off === 'off' || off === '0' || off === 'false') return undefined;
  // Relative paths are ignored (XDG does the same): under pre-commit the working directory is the
  // repository being linted, which must not be able to supply compiled code.
  if (env.SCRAPELINT_CACHE_DIR && path.isAbsolute(env.SCRAPELINT_CACHE_DIR)) return path.resolve(env.SCRAPELINT_CACHE_DIR);
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
/** File layout: MAGIC, then SHA-256 of (cache name, V8 data), then the V8 data. */
const MAGIC = Buffer.from('scrapel1');
const HEADER = MAGIC.length + 32;

/** A directory or file of ours that nobody else can write (not a link). Windows: ACLs, not modes, decide. */
function ours(p: string, kind: 'dir' | 'file'): boolean {
  try {
    const st = lstatSync(p);
    if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
    if (typeof process.getuid !== 'function') return true;
    return st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function digest(name: string, data: Buffer): Buffer {
  return createHash('sha256').update(name).update('\0').update(data).digest();
}

/** The V8 data of a cache file, if it is ours and intact; a damaged one is removed. */
function readCache(dir: string, cacheFile: string): Buffer | undefined {
  if (!ours(dir, 'dir') || !ours(cacheFile, 'file')) return undefined;
  let raw: Buffer;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const data = raw.subarray(HEADER);
  if (raw.length > HEADER && raw.subarray(0, MAGIC.length).equals(MAGIC) && raw.subarray(MAGIC.length, HEADER).equals(digest(path.basename(cacheFile), data))) return data;
  try {
    unlinkSync(cacheFile);
  } catch {
    // written again at exit, or not at all
  }
  return undefined;
}

/**
 * Runs a CommonJS bundle like `require(file)` would and returns its exports, with its compiled
 * code taken from (or, at exit, written to) the code cache.
 */
export function loadBundle(file: string, env: Env = process.env): unknown {
  const require = createRequire(file);
  const dir = codeCacheDir(env);
  if (!dir) return require(file);
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  // The name carries a hash of the bundle (of its bytes: hashing the string would encode it again):
  // V8 itself would accept data made for any source of the same length.
  const cacheFile = path.join(dir, createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(bytes).digest('hex').slice(0, 32) + SUFFIX);
  const cachedData = readCache(dir, cacheFile);
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

/** Writes the cache atomically (a new file, never through a link) and keeps the KEEP newest. Never throws. */
function writeCache(dir: string, cacheFile: string, script: vm.Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir, 'dir')) return; // someone else's, or writable by others: no cache
    const data = script.createCachedData();
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([MAGIC, digest(path.basename(cacheFile), data), data]), { mode: 0o600, flag: 'wx' });
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
