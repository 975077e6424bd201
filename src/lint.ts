import { pushAll } from './model/arrays.js';
import { loadFiles } from './load/load.js';
import { parseFile } from './parse/parse.js';
import { resourcesFromDocument } from './sources/kubernetes.js';
import { adapters } from './sources/index.js';
import { kustomizeNamespaces, kustomizePatchFiles } from './sources/kustomize.js';
import { withNamespace } from './sources/kubernetes.js';
import type { ParsedDocument } from './parse/document.js';
import { ResourceGraph } from './model/graph.js';
import { type Notification, compareFindings, runRules } from './engine/run.js';
import type { Rule } from './engine/rule.js';
import { annotationDirectives, applySuppressions, commentDirectives, type Directive } from './engine/suppress.js';
import { addFingerprints } from './engine/fingerprint.js';
import type { Finding, InputProblem } from './model/finding.js';
import { LineIndex, type SourceFile } from './model/location.js';
import type { Resource } from './model/resource.js';
import { type Config, emptyConfig, levelFor, optionsFor } from './config/config.js';

export interface LintOptions {
  paths: string[];
  cwd: string;
  rules: readonly Rule[];
  /** Every rule that exists (for unknown ids in suppressions) when `rules` is a subset. */
  knownRules?: readonly Rule[];
  config?: Config;
  ignore?: string[];
  defaultNamespace?: string;
  maxFileSize?: number;
  readStdin?: () => Promise<string>;
  strict?: boolean;
  /** Today, for `until=` in suppressions (injected for tests). */
  now?: Date;
  /** Only run the pipeline up to the graph (for `scrapelint targets`). */
  skipChecks?: boolean;
  /** Told what the run is doing, for a progress line on long runs. */
  onProgress?: (what: string) => void;
}

export interface LintStats {
  files: number;
  bytes: number;
  documents: number;
  resources: number;
  /** Time per stage: load (find and read files), parse (YAML), sources (resources and adapters), graph, rules (with suppressions and fingerprints). */
  ms: { load: number; parse: number; sources: number; graph: number; rules: number };
  /** performance.now() at the start of each stage and at the end, for attributing GC pauses to stages. */
  marks: { load: number; parse: number; graph: number; rules: number; end: number };
  rules: Map<string, number>;
}

export interface LintResult {
  files: SourceFile[];
  /** Every finding, suppressed ones included (see Finding.suppression). */
  findings: Finding[];
  notifications: Notification[];
  /** Paths that could not be linted at all (usage errors). */
  fatal: string[];
  stats: LintStats;
  /** The graph of the first scope (all resources when no scopes are configured). */
  graph: ResourceGraph;
  graphs: { name: string; graph: ResourceGraph }[];
}

const ENGINE_PROBLEMS = new Set(['unused-suppression', 'invalid-suppression']);

/** Load, parse, build the graph of each scope and run the rules: the whole pipeline. */
export async function lint(opts: LintOptions): Promise<LintResult> {
  const config = opts.config ?? emptyConfig(opts.cwd);
  const t0 = performance.now();
  const loaded = await loadFiles({
    paths: opts.paths.length ? opts.paths : (config.include ?? []),
    cwd: opts.cwd,
    ignore: [...config.ignore, ...(opts.ignore ?? [])],
    ...((opts.maxFileSize ?? config.maxFileSize) ? { maxFileSize: opts.maxFileSize ?? config.maxFileSize } : {}),
    ...(opts.readStdin ? { readStdin: opts.readStdin } : {}),
  });
  const t1 = performance.now();
  opts.onProgress?.(`parsing ${loaded.files.length} files`);
  const problems: InputProblem[] = [...loaded.problems];
  const resources: Resource[] = [];
  const lineIndexes = new Map<string, LineIndex>();
  // Line counts, to check that every reported location lies inside its file: counted only for
  // the files a finding points into (counting every file's lines costs a pass over all input).
  const extraLines = new Map<string, number>();
  const fileLines: Pick<ReadonlyMap<string, number>, 'get'> = {
    get: (file) => extraLines.get(file) ?? lineIndexes.get(file)?.lineCount,
  };
  const directives: Directive[] = [];
  const allDocuments: ParsedDocument[] = [];
  let documents = 0;
  const adapterFailures: Notification[] = [];
  let bytes = 0;
  const k8s = { defaultNamespace: opts.defaultNamespace ?? config.namespace ?? 'default' };
  let parseMs = 0;
  for (const file of loaded.files) {
    bytes += file.text.length;
    const tp = performance.now();
    const parsed = parseFile(file);
    parseMs += performance.now() - tp;
    lineIndexes.set(file.path, parsed.lines);
    pushAll(problems, parsed.problems);
    documents += parsed.documents.length;
    pushAll(directives, commentDirectives(file, parsed.lines, parsed.segments));
    for (const doc of parsed.documents) pushAll(resources, resourcesFromDocument(doc, k8s, problems));
    pushAll(allDocuments, parsed.documents);
  }
  // kustomize patches are partial objects that a build merges into others: never objects of their own.
  const patches = kustomizePatchFiles(allDocuments);
  if (patches.size) {
    // One pass (a splice per patch object would move the rest of the list each time).
    let kept = 0;
    for (const r of resources) if (!patches.has(r.file)) resources[kept++] = r;
    resources.length = kept;
  }
  const kNamespaces = kustomizeNamespaces(allDocuments);
  if (kNamespaces.size) {
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i]!;
      const ns = kNamespaces.get(r.file);
      if (ns && !r.namespaceExplicit && r.namespace !== undefined && r.namespace !== ns) resources[i] = withNamespace(r, ns);
    }
  }
  // Adapters: Helm values, component configuration, raw Prometheus configuration -> resources.
  for (const adapter of adapters) {
    try {
      const out = adapter.adapt({ documents: allDocuments, resources: [...resources], config, defaultNamespace: k8s.defaultNamespace });
      pushAll(resources, out.resources);
      pushAll(problems, out.problems);
    } catch (err) {
      if (opts.strict) throw err;
      adapterFailures.push({ message: `source adapter ${adapter.name} failed: ${(err as Error).message}` });
    }
  }
  for (const p of loaded.problems) if (!lineIndexes.has(p.at.file) && !extraLines.has(p.at.file)) extraLines.set(p.at.file, 1);
  if (config.file && !lineIndexes.has(config.file) && !extraLines.has(config.file)) extraLines.set(config.file, Number.MAX_SAFE_INTEGER);
  const t2 = performance.now();

  // Scopes: each configured scope is linted on its own; files in no scope form one more.
  const scopes: { name: string; resources: Resource[] }[] = [];
  if (config.scopes.length === 0) scopes.push({ name: 'default', resources });
  else {
    const rest: Resource[] = [];
    const byScope = config.scopes.map((s) => ({ name: s.name, resources: [] as Resource[] }));
    for (const r of resources) {
      let placed = false;
      config.scopes.forEach((s, i) => {
        if (s.match(r.file)) {
          byScope[i]!.resources.push(r);
          placed = true;
        }
      });
      if (!placed) rest.push(r);
    }
    scopes.push(...byScope);
    if (rest.length) scopes.push({ name: 'unscoped', resources: rest });
  }
  const graphs = scopes.map((s) => ({ name: s.name, graph: new ResourceGraph([...s.resources, ...config.externalPrometheus]) }));
  const t3 = performance.now();
  opts.onProgress?.(`checking ${resources.length} resources`);

  const byId = new Set((opts.knownRules ?? opts.rules).map((r) => r.id));
  const ruleOptions = Object.fromEntries(opts.rules.map((r) => [r.id, optionsFor(config, r.id)]));
  const active = opts.rules.filter(
    (r) => levelFor(config, r.id, r.severity, '') !== 'off' || config.overrides.some((o) => (o.rules.get(r.id)?.severity ?? 'off') !== 'off'),
  );
  const levels = (ruleId: string, sev: Finding['severity'], file: string) => levelFor(config, ruleId, sev, file);
  let findings: Finding[] = [];
  const notifications: Notification[] = [...adapterFailures];
  const timings = new Map<string, number>();
  const seen = new Set<string>();
  graphs.forEach(({ graph }, i) => {
    const run = runRules({
      rules: active,
      graph,
      problems: i === 0 ? problems : [],
      fileLines,
      levelFor: levels,
      ruleOptions,
      ...(opts.strict ? { strict: true } : {}),
      ...(opts.skipChecks ? { skipChecks: true } : {}),
    });
    for (const f of run.findings) {
      const key = `${f.ruleId}\u0000${f.at.file}\u0000${f.at.line}\u0000${f.at.column}\u0000${f.message}`;
      if (seen.has(key)) continue; // a file shared by several scopes
      seen.add(key);
      findings.push(f);
    }
    pushAll(notifications, run.notifications);
    for (const [k, v] of run.timings) timings.set(k, (timings.get(k) ?? 0) + v);
  });

  // Suppressions, then the reports about suppressions themselves.
  const allDirectives = [...directives, ...annotationDirectives(resources.filter((r) => r.annotations['scrapelint.io/ignore'] !== undefined))];
  if (allDirectives.length) {
    const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
    const applied = applySuppressions(findings, allDirectives, {
      today,
      knownRules: byId,
      enabledRules: new Set(active.map((r) => r.id)),
    });
    const meta = runRules({
      rules: (opts.knownRules ?? opts.rules).filter((r) => ENGINE_PROBLEMS.has(r.id) && opts.rules.includes(r)),
      graph: new ResourceGraph(),
      problems: applied.problems,
      fileLines,
      levelFor: levels,
      skipChecks: true,
    });
    findings = [...applied.findings, ...meta.findings];
    notifications.push(...meta.notifications);
  }
  findings.sort(compareFindings);
  findings = addFingerprints(findings, (file, line) => lineIndexes.get(file)?.lineText(line) ?? '');
  const t4 = performance.now();
  return {
    files: loaded.files,
    findings,
    notifications,
    fatal: loaded.fatal,
    graph: graphs[0]!.graph,
    graphs,
    stats: {
      files: loaded.files.length,
      bytes,
      documents,
      resources: resources.length,
      ms: { load: t1 - t0, parse: parseMs, sources: t2 - t1 - parseMs, graph: t3 - t2, rules: t4 - t3 },
      marks: { load: t0, parse: t1, graph: t2, rules: t3, end: t4 },
      rules: timings,
    },
  };
}
