import { loadFiles } from './load/load.js';
import { parseFile } from './parse/parse.js';
import { resourcesFromDocument } from './sources/kubernetes.js';
import { ResourceGraph } from './model/graph.js';
import { type Notification, runRules } from './engine/run.js';
import type { Rule } from './engine/rule.js';
import type { Finding, InputProblem } from './model/finding.js';
import type { SourceFile } from './model/location.js';
import type { Resource } from './model/resource.js';

export interface LintOptions {
  paths: string[];
  cwd: string;
  rules: readonly Rule[];
  ignore?: string[];
  defaultNamespace?: string;
  maxFileSize?: number;
  readStdin?: () => Promise<string>;
  strict?: boolean;
}

export interface LintStats {
  files: number;
  bytes: number;
  documents: number;
  resources: number;
  ms: { load: number; parse: number; graph: number; rules: number };
  rules: Map<string, number>;
}

export interface LintResult {
  files: SourceFile[];
  findings: Finding[];
  notifications: Notification[];
  /** Paths that could not be linted at all (usage errors). */
  fatal: string[];
  stats: LintStats;
  graph: ResourceGraph;
}

/** Load, parse, build the graph of one scope and run the rules: the whole pipeline. */
export async function lint(opts: LintOptions): Promise<LintResult> {
  const t0 = performance.now();
  const loaded = await loadFiles({
    paths: opts.paths,
    cwd: opts.cwd,
    ...(opts.ignore ? { ignore: opts.ignore } : {}),
    ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}),
    ...(opts.readStdin ? { readStdin: opts.readStdin } : {}),
  });
  const t1 = performance.now();
  const problems: InputProblem[] = [...loaded.problems];
  const resources: Resource[] = [];
  const fileLines = new Map<string, number>();
  let documents = 0;
  let bytes = 0;
  const k8s = { defaultNamespace: opts.defaultNamespace ?? 'default' };
  for (const file of loaded.files) {
    bytes += file.text.length;
    const parsed = parseFile(file);
    fileLines.set(file.path, parsed.lines.lineCount);
    problems.push(...parsed.problems);
    documents += parsed.documents.length;
    for (const doc of parsed.documents) resources.push(...resourcesFromDocument(doc, k8s, problems));
  }
  for (const p of loaded.problems) if (!fileLines.has(p.at.file)) fileLines.set(p.at.file, 1);
  const t2 = performance.now();
  const graph = new ResourceGraph(resources);
  const t3 = performance.now();
  const run = runRules({ rules: opts.rules, graph, problems, fileLines, ...(opts.strict ? { strict: true } : {}) });
  const t4 = performance.now();
  return {
    files: loaded.files,
    findings: run.findings,
    notifications: run.notifications,
    fatal: loaded.fatal,
    graph,
    stats: {
      files: loaded.files.length,
      bytes,
      documents,
      resources: resources.length,
      ms: { load: t1 - t0, parse: t2 - t1, graph: t3 - t2, rules: t4 - t3 },
      rules: run.timings,
    },
  };
}
