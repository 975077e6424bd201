/**
 * npm run bench: speed and memory of scrapelint on the synthetic monorepo of
 * ../shared/bench/gen-corpus.mjs (docs/performance.md explains the method).
 *
 *   node dist/test/bench/bench.js [--docs 40000] [--runs 5] [--no-scaling] [--no-monokle]
 *
 * Prints a table: read-only time, js-yaml loadAll time (the parse floor), scrapelint lint as a
 * whole process in JSON and SARIF, ratios to the floor, MB/s, peak RSS; the same at 10k and 20k
 * documents to show how time grows; and the bundled examples/ as a whole process (start-up
 * included), median of several runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fg from 'fast-glob';
import { loadAll } from 'js-yaml';
import { ROOT } from '../helpers/paths.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '40000' },
    runs: { type: 'string', default: '5' },
    'no-scaling': { type: 'boolean', default: false },
    'no-monokle': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const GEN = path.resolve(ROOT, '../shared/bench/gen-corpus.mjs');
const WORK = path.join(ROOT, '.bench');
/** What users run: the package's bin (the one-file build), as a whole process. */
const PKG_BIN = path.join(ROOT, (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.scrapelint!);
/** The bin's V8 code cache (src/cli/code-cache.ts), kept apart from the user's own. */
const CODE_CACHE = path.join(WORK, 'code-cache');
const BIN_ENV = { ...process.env, SCRAPELINT_CACHE_DIR: CODE_CACHE };

/** `scrapelint lint examples` as a whole process: wall milliseconds. */
function lintExamples(): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [PKG_BIN, 'lint', 'examples', '--format', 'json', '--fail-level', 'none'], { cwd: ROOT, env: BIN_ENV });
  if (r.status !== 0) throw new Error(`examples lint failed: ${r.stderr}`);
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function corpus(docs: number): string {
  const dir = path.join(WORK, `corpus-${docs}`);
  if (!existsSync(path.join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [GEN, dir, String(docs)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gen-corpus failed: ${r.stderr}`);
    spawnSync('touch', [path.join(dir, '.done')]);
  }
  return dir;
}

function readAll(dir: string): { texts: string[]; bytes: number; ms: number } {
  const t0 = performance.now();
  const files = fg.sync(['**/*.yaml', '**/*.yml', '**/*.json'], { cwd: dir, absolute: true });
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const ms = performance.now() - t0;
  return { texts, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0), ms };
}

function parseFloor(texts: string[]): number {
  const t0 = performance.now();
  let n = 0;
  for (const t of texts) loadAll(t, () => n++);
  return performance.now() - t0;
}

/** The parse floor as a whole process (test/bench/floor.ts): start-up, glob, read, js-yaml loadAll. */
function floorProcess(dir: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/test/bench/floor.js'), dir], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`floor failed: ${r.stderr}`);
  return ms;
}

/** Runs the CLI as a whole process; returns wall time and the peak RSS it reports with --stats. */
function cli(dir: string, format: string): { ms: number; rssMiB: number } {
  const out = path.join(WORK, `out.${format}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [PKG_BIN, 'lint', '.', '--format', format, '--output', out, '--stats', '--fail-level', 'none'], {
    cwd: dir,
    encoding: 'utf8',
    env: BIN_ENV,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`scrapelint failed (${r.status}): ${r.stderr}`);
  const rss = /peak RSS (\d+) MiB/.exec(r.stderr)?.[1];
  return { ms, rssMiB: Number(rss ?? NaN) };
}

interface Row {
  docs: number;
  mb: number;
  readMs: number;
  floorMs: number;
  /** The floor as a whole process (start-up, glob, read, loadAll): measured like the lint. */
  floorProcMs: number;
  jsonMs: number;
  sarifMs: number;
  /**
   * Lint time over the process floor, per round (the two run back to back, so that a slow moment
   * of the machine weighs on both): the median and every round's value.
   */
  jsonRatio: number;
  sarifRatio: number;
  jsonRatios: number[];
  rssMiB: number;
}

function measure(docs: number): Row {
  const dir = corpus(docs);
  const read = readAll(dir);
  // Interleaved, so that a slow moment of a shared machine hits every measurement alike.
  const floors: number[] = [];
  const floorProcs: number[] = [];
  const json: { ms: number; rssMiB: number }[] = [];
  const sarif: { ms: number; rssMiB: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(parseFloor(read.texts));
    floorProcs.push(floorProcess(dir));
    json.push(cli(dir, 'json'));
    sarif.push(cli(dir, 'sarif'));
  }
  const floor = median(floors);
  return {
    docs,
    mb: read.bytes / 1e6,
    readMs: read.ms,
    floorMs: floor,
    floorProcMs: median(floorProcs),
    jsonMs: median(json.map((x) => x.ms)),
    sarifMs: median(sarif.map((x) => x.ms)),
    jsonRatio: median(json.map((x, i) => x.ms / floorProcs[i]!)),
    sarifRatio: median(sarif.map((x, i) => x.ms / floorProcs[i]!)),
    jsonRatios: json.map((x, i) => x.ms / floorProcs[i]!),
    rssMiB: Math.max(...json.map((x) => x.rssMiB), ...sarif.map((x) => x.rssMiB)),
  };
}

function fmt(n: number, d = 0): string {
  return n.toFixed(d);
}

mkdirSync(WORK, { recursive: true });
// The first run after an install or upgrade compiles the bundle and writes the code cache; every
// later run (what a pre-commit hook or CI step repeats) reads it. Timed once here, then warm.
rmSync(CODE_CACHE, { recursive: true, force: true });
const firstRun = lintExamples();
const sizes = values['no-scaling'] ? [Number(values.docs)] : [10000, 20000, Number(values.docs)];
const rows = sizes.map(measure);
console.log(
  '\n| documents | MB | read ms | js-yaml loadAll ms (in-process) | js-yaml floor ms (process) | lint json ms | lint sarif ms | json / in-process floor | json / process floor | sarif / process floor | MB/s (json) | peak RSS MiB | RSS budget MiB |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.docs} | ${fmt(r.mb, 1)} | ${fmt(r.readMs)} | ${fmt(r.floorMs)} | ${fmt(r.floorProcMs)} | ${fmt(r.jsonMs)} | ${fmt(r.sarifMs)} | ${fmt(r.jsonMs / r.floorMs, 2)}x | ${fmt(r.jsonRatio, 2)}x | ${fmt(r.sarifRatio, 2)}x | ${fmt(r.mb / (r.jsonMs / 1000), 1)} | ${fmt(r.rssMiB)} | ${fmt((4 * r.mb * 1e6) / 1048576 + 150)} |`,
  );
}
console.log(
  `(medians of ${RUNS} interleaved rounds. in-process: js-yaml loadAll of texts already in memory; process: a program that globs, reads and loadAlls the same files, measured as a whole process like the lint. ` +
    'The ratios to the process floor are the median of each round\'s ratio: the floor and the lint run back to back in a round)',
);
for (const r of rows) console.log(`json / process floor at ${r.docs / 1000}k documents, per round: ${r.jsonRatios.map((x) => `${fmt(x, 2)}x`).join(', ')} (target: <= 1.5x)`);
if (rows.length === 3) {
  const [a, b, c] = rows as [Row, Row, Row];
  console.log(`\nscaling: 10k->20k documents: time x${fmt(b.jsonMs / a.jsonMs, 2)}; 20k->${c.docs / 1000}k: x${fmt(c.jsonMs / b.jsonMs, 2)} (target: 2x input <= 2.2x time)`);
}
// Findings-heavy input: one file of N broken monitors (each selects a label no Service has), so
// every monitor has a finding to locate and explain. Time must grow with N, not with N x file.
function findingsCorpus(n: number): string {
  const dir = path.join(WORK, `findings-${n}`);
  mkdirSync(dir, { recursive: true });
  const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: shop\nspec:\n  serviceMonitorSelector: {}\n';
  const pairs = Array.from(
    { length: n },
    (_, i) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: shop\nspec:\n  selector:\n    app: s${i}\n  ports:\n    - name: web\n      port: 80\n---\n` +
      `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: s${i}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: s${i}\n  endpoints:\n    - port: web\n`,
  );
  writeFileSync(path.join(dir, 'all.yaml'), [prom, ...pairs].join('---\n'));
  return dir;
}
if (!values['no-scaling']) {
  const [f1, f2] = [10_000, 20_000].map((n) => median(Array.from({ length: RUNS }, () => cli(findingsCorpus(n), 'json').ms)));
  console.log(`\nfindings-heavy (one file, a finding per monitor): 10k findings ${fmt(f1!)} ms, 20k ${fmt(f2!)} ms: x${fmt(f2! / f1!, 2)} (target: <= 2.2x)`);
}

const small = Array.from({ length: 10 }, lintExamples);
const exBytes = fg.sync('examples/**/*.{yaml,yml}', { cwd: ROOT }).reduce((n, f) => n + statSync(path.join(ROOT, f)).size, 0);
console.log(`\nsmall repo (examples/, ${fmt(exBytes / 1024, 1)} KB) with the package bin (${path.relative(ROOT, PKG_BIN)}) as a whole process incl. Node start-up: median ${fmt(median(small))} ms of 10 (target < 300 ms); the first run, which writes the code cache: ${fmt(firstRun)} ms`);

if (!values['no-monokle']) {
  console.log('\n| documents | scrapelint (json) ms | @monokle/validation ms | Monokle problems | ratio |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const dir = corpus(r.docs);
    const t0 = performance.now();
    const m = spawnSync(process.execPath, [path.join(ROOT, 'dist/test/bench/monokle.js'), dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wall = performance.now() - t0;
    if (m.status !== 0) {
      console.log(`| ${r.docs} | ${fmt(r.jsonMs)} | failed: ${m.stderr.split('\n')[0]} | | |`);
      continue;
    }
    const out = JSON.parse(m.stdout.trim().split('\n').pop()!) as { problems: number };
    console.log(`| ${r.docs} | ${fmt(r.jsonMs)} | ${fmt(wall)} | ${out.problems} | ${fmt(wall / r.jsonMs, 1)}x |`);
  }
  console.log('(both as whole processes, Node start-up included; Monokle with its offline plugins: yaml-syntax, resource-links, pod-security-standards, practices)');
}
