/**
 * The parse floor as a whole process: what the smallest program that reads every value of the
 * same files costs (Node start-up, fast-glob, reading, js-yaml 4 `loadAll` of every file),
 * measured the way `scrapelint lint` is. Prints the number of documents.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { loadAll } from 'js-yaml';

const dir = process.argv[2]!;
let docs = 0;
for (const file of fg.sync(['**/*.yaml', '**/*.yml', '**/*.json'], { cwd: dir })) loadAll(readFileSync(path.join(dir, file), 'utf8'), () => docs++);
process.stdout.write(`${docs}\n`);
