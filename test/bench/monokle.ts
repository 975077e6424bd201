/**
 * Runs @monokle/validation (devDependency, benchmark only) over a directory, as its CLI does:
 * read the files, split them into resources with the `yaml` package, validate with the plugins
 * that work offline. Prints `{"ms": <wall ms>, "problems": <results>}` on stdout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { parseAllDocuments } from 'yaml';
import { createDefaultMonokleValidator } from '@monokle/validation';

const dir = process.argv[2]!;
const t0 = performance.now();
const files = fg.sync(['**/*.yaml', '**/*.yml'], { cwd: dir }).sort();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resources: any[] = [];
for (const file of files) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  for (const doc of parseAllDocuments(text)) {
    const content = doc.toJS() as { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (!content?.kind) continue;
    const start = doc.range[0];
    resources.push({
      id: `${file}#${resources.length}`,
      fileId: file,
      filePath: file,
      fileOffset: text.slice(0, start).split('\n').length - 1,
      name: content.metadata?.name ?? '',
      apiVersion: content.apiVersion ?? '',
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text: text.slice(start, doc.range[2]),
    });
  }
}
const validator = createDefaultMonokleValidator();
await validator.preload({
  plugins: {
    'yaml-syntax': true,
    'resource-links': true,
    'pod-security-standards': true,
    practices: true,
    metadata: false,
    'kubernetes-schema': false,
    'open-policy-agent': false,
  },
});
const response = await validator.validate({ resources });
const problems = response.runs.reduce((n, r) => n + r.results.length, 0);
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, problems, resources: resources.length }) + '\n');
