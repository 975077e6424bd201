/**
 * Worker thread for parsing large inputs on a second core: runs the fast path (js-yaml loadAll
 * and the document split) for the files it is given and posts the plain values back. Everything
 * that needs positions or fallbacks stays on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fastParse, type FastValues } from './parse.js';

const files = workerData as { path: string; text: string }[];
const out: FastValues[] = files.map((f) => fastParse(f.text, f.path));
parentPort!.postMessage(out);
