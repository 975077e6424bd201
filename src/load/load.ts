import { pushAll } from '../model/arrays.js';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../model/location.js';
import type { InputProblem } from '../model/finding.js';

export interface LoadOptions {
  /** Files or directories; `-` reads standard input. */
  paths: string[];
  /** The lint root: reported paths are relative to it. */
  cwd: string;
  /** picomatch globs (relative to the root) of files to leave out. */
  ignore?: string[];
  /** Files larger than this many bytes are not parsed (a finding says so). */
  maxFileSize?: number;
  /** Reads standard input (injected for tests). */
  readStdin?: () => Promise<string>;
}

export interface LoadResult {
  files: SourceFile[];
  problems: InputProblem[];
  /** Paths that do not exist or cannot be read at all: a usage error. */
  fatal: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
const EXTENSIONS = ['yaml', 'yml', 'json'];
const ALWAYS_IGNORED = ['**/.git/**', '**/node_modules/**'];
const TEMPLATE_DIR = /(?:^|\/)templates\//;

function lineOne(file: string) {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Walk the given paths and read every YAML/JSON file, turning every problem into a finding. */
export async function loadFiles(opts: LoadOptions): Promise<LoadResult> {
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const ignored = picomatch([...ALWAYS_IGNORED, ...(opts.ignore ?? [])], { dot: true });
  const files: SourceFile[] = [];
  const problems: InputProblem[] = [];
  const fatal: string[] = [];
  const seen = new Set<string>();
  const rootReal = safeRealpath(opts.cwd) ?? opts.cwd;
  const templateDirs = new Map<string, string[]>();

  const candidates: { abs: string; explicit: boolean; link: boolean }[] = [];
  for (const p of opts.paths.length ? opts.paths : ['.']) {
    if (p === '-') {
      const text = opts.readStdin ? await opts.readStdin() : await readAllStdin();
      files.push({ path: '<stdin>', text });
      continue;
    }
    const abs = path.resolve(opts.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      fatal.push(`${p}: no such file or directory`);
      continue;
    }
    if (st.isDirectory()) {
      const entries = await fg(EXTENSIONS.map((e) => `**/*.${e}`), {
        cwd: abs,
        dot: true,
        absolute: true,
        onlyFiles: false,
        objectMode: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore: ALWAYS_IGNORED,
      });
      const found = entries
        .filter((e) => e.dirent.isFile() || e.dirent.isSymbolicLink())
        .map((e) => ({ abs: path.normalize(e.path), explicit: false, link: e.dirent.isSymbolicLink() }));
      found.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
      pushAll(candidates, found);
    } else candidates.push({ abs, explicit: true, link: st.isSymbolicLink() || lstatSync(abs).isSymbolicLink() });
  }

  for (const { abs, explicit, link } of candidates) {
    const rel = toPosix(path.relative(opts.cwd, abs)) || path.basename(abs);
    if (seen.has(abs)) continue;
    seen.add(abs);
    if (!explicit && ignored(rel)) continue;
    // Only links need resolving: a plain file found under the root is inside it.
    const real = link ? safeRealpath(abs) : abs;
    if (real === undefined) {
      problems.push({ ruleId: 'file-skipped', at: lineOne(rel), message: 'Cannot resolve this path (a broken or looping symbolic link); it was skipped.' });
      continue;
    }
    if (link && !explicit && !isInside(real, rootReal)) {
      problems.push({
        ruleId: 'file-skipped',
        severity: 'note',
        at: lineOne(rel),
        message: 'Symbolic link to a file outside the lint root; not followed.',
      });
      continue;
    }
    let buf: Buffer;
    try {
      const read = readInto(real, maxSize);
      if (read === 'not-a-file') continue;
      if (typeof read === 'number') {
        problems.push({
          ruleId: 'file-skipped',
          at: lineOne(rel),
          message: `File is ${(read / 1048576).toFixed(1)} MiB, above the ${(maxSize / 1048576).toFixed(1)} MiB size limit; it was not parsed. Raise --max-file-size or ignore the file.`,
        });
        continue;
      }
      buf = read;
    } catch (err) {
      problems.push({
        ruleId: 'file-skipped',
        at: lineOne(rel),
        message: `Cannot read this file (${(err as NodeJS.ErrnoException).code ?? 'error'}); it was skipped.`,
      });
      continue;
    }
    if (buf.subarray(0, 8192).includes(0)) {
      problems.push({ ruleId: 'file-skipped', severity: 'note', at: lineOne(rel), message: 'Binary file (it contains NUL bytes); it was skipped.' });
      continue;
    }
    const text = buf.toString('utf8');
    if (TEMPLATE_DIR.test(rel) && text.includes('{{') && isHelmChartTemplate(real)) {
      const dir = rel.slice(0, rel.search(TEMPLATE_DIR) + (rel.match(TEMPLATE_DIR)?.[0].length ?? 0));
      const list = templateDirs.get(dir);
      if (list) list.push(rel);
      else templateDirs.set(dir, [rel]);
      continue;
    }
    files.push({ path: rel, absPath: abs, text });
  }

  for (const [dir, list] of templateDirs) {
    problems.push({
      ruleId: 'file-skipped',
      severity: 'note',
      at: lineOne(list[0]!),
      message:
        `${list.length} unrendered Helm template file${list.length === 1 ? '' : 's'} under ${dir} skipped. ` +
        'Lint the rendered chart instead: `helm template <release> <chart> | scrapelint lint -`.',
    });
  }
  return { files, problems, fatal };
}

/** One buffer reused for every file: thousands of per-file buffers would only churn native memory. */
let shared = Buffer.allocUnsafe(1 << 16);

/**
 * Reads a regular file (open, fstat, read) into the shared buffer; returns a view of its bytes
 * (valid until the next call), its size when above `maxSize`, or 'not-a-file'.
 */
function readInto(file: string, maxSize: number): Buffer | number | 'not-a-file' {
  // Non-blocking: a named pipe must not hang the run (it is then skipped as not a regular file).
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'not-a-file';
    if (st.size > maxSize) return st.size;
    if (shared.length < st.size + 1) shared = Buffer.allocUnsafe(Math.max(st.size + 1, shared.length * 2));
    let n = 0;
    for (;;) {
      // Read until end of file, not just st.size bytes: the file may grow while it is read.
      if (n === shared.length) {
        if (n > maxSize) return n;
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger, 0, 0, n);
        shared = bigger;
      }
      const want = shared.length - n;
      const got = readSync(fd, shared, n, want, null);
      n += got;
      // Past the size fstat gave, a short read is the end of a regular file: no second read to see
      // 0. Before it (or for a size of 0, as procfs reports) only a read of 0 ends the file: some
      // file systems (procfs, FUSE, network mounts) give short reads in the middle.
      if (got === 0 || (st.size > 0 && n >= st.size && got < want)) break;
    }
    return shared.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function isInside(p: string, root: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A file under a `templates/` directory of a Helm chart (the directory's parent holds a
 * Chart.yaml): Helm renders it, so its `{{ }}` are Go templates. A `templates/` directory that is
 * not part of a chart is linted like any other.
 */
const chartDirs = new Map<string, boolean>();
function isHelmChartTemplate(file: string): boolean {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    if (path.basename(dir) === 'templates') {
      const chart = path.dirname(dir);
      let yes = chartDirs.get(chart);
      if (yes === undefined) chartDirs.set(chart, (yes = existsSync(path.join(chart, 'Chart.yaml')) || existsSync(path.join(chart, 'Chart.yml'))));
      if (yes) return true;
    }
    dir = path.dirname(dir);
  }
  return false;
}
