import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../model/location.js';
import type { FastValues } from './parse.js';

/** Below this many bytes a worker costs more (start-up, copying) than it saves. */
export const PARALLEL_THRESHOLD = 4 * 1024 * 1024;

/**
 * Runs the fast parse of about half of the files (by size) on a worker thread, while the caller
 * parses the rest (SCRAPELINT_WORKERS=0 turns this off). Returns the files given to the worker and a promise of their values; `null`
 * when a worker does not pay (small input, one core) or cannot start.
 */
export function parseInWorker(files: readonly SourceFile[], totalBytes: number): { files: Set<SourceFile>; values: Promise<FastValues[] | undefined> } | null {
  if (totalBytes < PARALLEL_THRESHOLD || availableParallelism() < 2 || process.env.SCRAPELINT_WORKERS === '0') return null;
  const mine: SourceFile[] = [];
  let bytes = 0;
  // Every other file until half the bytes: a balanced, deterministic split.
  files.forEach((f, i) => {
    if (i % 2 === 1 && bytes < totalBytes / 2) {
      mine.push(f);
      bytes += f.text.length;
    }
  });
  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: mine.map((f) => ({ path: f.path, text: f.text })) });
  } catch {
    return null;
  }
  const values = new Promise<FastValues[] | undefined>((resolve) => {
    worker.once('message', (m: FastValues[]) => resolve(m));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return { files: new Set(mine), values };
}
