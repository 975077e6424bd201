/**
 * `.scrapelint.yaml`: validated with ajv against src/config/schema.json (shipped in the
 * package, usable by editors through `# yaml-language-server: $schema=...`). A wrong config is a
 * usage error that points at the offending line of the config file.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { packageRoot } from '../paths.js';
import { parseFile } from '../parse/parse.js';
import type { ParsedDocument } from '../parse/document.js';
import type { Location, NodePath } from '../model/location.js';
import type { Severity } from '../model/finding.js';
import { type Obj, type Resource, isObj, refOf } from '../model/resource.js';

export const CONFIG_NAMES = ['.scrapelint.yaml', '.scrapelint.yml'];
export const SCHEMA_PATH = path.join(packageRoot(), 'src', 'config', 'schema.json');

export type Level = Severity | 'off';

export interface RuleSetting {
  severity?: Level;
  options?: Record<string, unknown>;
}

export interface Config {
  /** The config file, relative to the working directory; undefined when none was found. */
  file?: string;
  dir: string;
  include?: string[];
  ignore: string[];
  namespace?: string;
  maxFileSize?: number;
  rules: Map<string, RuleSetting>;
  overrides: { match: (file: string) => boolean; rules: Map<string, RuleSetting> }[];
  scopes: { name: string; match: (file: string) => boolean }[];
  kubernetesVersion?: string;
  /** Where the Kubernetes version was given (for messages): the config file, or the command line. */
  kubernetesVersionFrom?: string;
  /** Helm facts: release name and namespace, the chart version, and globs of files that are kube-prometheus-stack values. */
  helm?: { releaseName?: string; namespace?: string; chartVersion?: string; values?: (file: string) => boolean };
  plugins: string[];
  /** Prometheus objects described by `cluster.prometheus` (for repos whose Prometheus lives elsewhere). */
  externalPrometheus: Resource[];
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly at?: Location,
  ) {
    super(message);
  }
}

export function emptyConfig(cwd: string): Config {
  return { dir: cwd, ignore: [], rules: new Map(), overrides: [], scopes: [], plugins: [], externalPrometheus: [] };
}

function settingOf(v: unknown): RuleSetting {
  if (typeof v === 'string') return { severity: v as Level };
  const o = v as Obj;
  return { ...(o.severity ? { severity: o.severity as Level } : {}), ...(o.options ? { options: o.options as Record<string, unknown> } : {}) };
}

function ruleMap(v: unknown): Map<string, RuleSetting> {
  return new Map(Object.entries(isObj(v) ? v : {}).map(([k, x]) => [k, settingOf(x)]));
}

function pointerToPath(pointer: string): NodePath {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeError(e: ErrorObject): { path: NodePath; message: string } {
  const p = pointerToPath(e.instancePath);
  const where = p.length ? p.join('.') : 'the configuration';
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return { path: [...p, key], message: `unknown key "${key}" in ${where}` };
  }
  if (e.keyword === 'enum') return { path: p, message: `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}` };
  return { path: p, message: `${where} ${e.message ?? 'is invalid'}` };
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Finds and loads the config (explicit path, or .scrapelint.yaml/.yml in cwd). */
export function loadConfig(cwd: string, explicit?: string): Config {
  let abs: string | undefined;
  if (explicit) {
    abs = path.resolve(cwd, explicit);
    if (!existsSync(abs)) throw new ConfigError(`config file ${explicit} does not exist`);
  } else {
    abs = CONFIG_NAMES.map((n) => path.join(cwd, n)).find((p) => existsSync(p));
  }
  if (!abs) return emptyConfig(cwd);
  const rel = path.relative(cwd, abs).split(path.sep).join('/');
  const parsed = parseFile({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8') });
  const syntax = parsed.problems.find((p) => p.ruleId === 'yaml-syntax' || p.ruleId === 'yaml-duplicate-key');
  if (syntax) throw new ConfigError(syntax.message, syntax.at);
  const doc = parsed.documents[0];
  const value = doc?.value ?? {};
  if (!isObj(value)) throw new ConfigError('the configuration must be a mapping', doc?.startLocation);
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  if (!validator(value)) {
    const errors = (validator.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const first = describeError(errors[0] ?? (validator.errors ?? [])[0]!);
    throw new ConfigError(`invalid configuration: ${first.message}`, doc!.locate(first.path));
  }
  return buildConfig(value, path.dirname(abs), rel, doc!, cwd);
}

function buildConfig(v: Obj, dir: string, file: string, doc: ParsedDocument, cwd: string): Config {
  const matcher = (globs: string[]) => {
    const m = picomatch(globs, { dot: true });
    // Globs are relative to the config file; finding paths are relative to the working directory.
    return (f: string) => m(path.relative(dir, path.resolve(cwd, f)).split(path.sep).join('/'));
  };
  const cluster = isObj(v.cluster) ? v.cluster : {};
  const proms = Array.isArray(cluster.prometheus) ? (cluster.prometheus as Obj[]) : [];
  return {
    file,
    dir,
    ...(v.include ? { include: v.include as string[] } : {}),
    ignore: (v.ignore as string[] | undefined) ?? [],
    ...(v.namespace ? { namespace: v.namespace as string } : {}),
    ...(v.maxFileSize ? { maxFileSize: v.maxFileSize as number } : {}),
    rules: ruleMap(v.rules),
    overrides: ((v.overrides as Obj[] | undefined) ?? []).map((o) => ({ match: matcher(o.files as string[]), rules: ruleMap(o.rules) })),
    scopes: ((v.scopes as Obj[] | undefined) ?? []).map((s) => ({ name: String(s.name), match: matcher(s.files as string[]) })),
    ...(typeof cluster.kubernetesVersion === 'string' ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
    ...(isObj(cluster.helm)
      ? {
          helm: {
            ...(typeof cluster.helm.releaseName === 'string' ? { releaseName: cluster.helm.releaseName } : {}),
            ...(typeof cluster.helm.namespace === 'string' ? { namespace: cluster.helm.namespace } : {}),
            ...(typeof cluster.helm.chartVersion === 'string' ? { chartVersion: cluster.helm.chartVersion } : {}),
            ...(Array.isArray(cluster.helm.values) ? { values: matcher(cluster.helm.values as string[]) } : {}),
          },
        }
      : {}),
    plugins: ((v.plugins as string[] | undefined) ?? []).map((p) => (p.startsWith('.') ? path.resolve(dir, p) : p)),
    externalPrometheus: proms.map((p, i) => externalPrometheus(p, i, doc, file)),
  };
}

/** `cluster.prometheus[i]` as a Prometheus resource whose locations point into the config file. */
function externalPrometheus(p: Obj, i: number, doc: ParsedDocument, file: string): Resource {
  const { name, namespace, ...spec } = p;
  const base: NodePath = ['cluster', 'prometheus', i];
  return {
    kind: 'Prometheus',
    apiVersion: 'monitoring.coreos.com/v1',
    name: String(name),
    namespace: String(namespace),
    namespaceExplicit: true,
    labels: {},
    annotations: { 'scrapelint.io/external': 'true' },
    body: { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name, namespace }, spec },
    file,
    ref: `${refOf('Prometheus', String(namespace), String(name))} (from ${file})`,
    // spec.* paths of the synthesized object are the entry's own keys in the config.
    locate: (path) => doc.locate([...base, ...(path[0] === 'spec' ? path.slice(1) : path[0] === 'metadata' ? [path[1] ?? 'name'] : path)]),
  };
}

/** The effective level of a rule for a file: rule default, then `rules`, then matching overrides. */
export function levelFor(config: Config, ruleId: string, defaultLevel: Severity, file: string): Level {
  let level: Level = config.rules.get(ruleId)?.severity ?? defaultLevel;
  for (const o of config.overrides) {
    const s = o.rules.get(ruleId)?.severity;
    if (s && o.match(file)) level = s;
  }
  return level;
}

export function optionsFor(config: Config, ruleId: string): Record<string, unknown> {
  return config.rules.get(ruleId)?.options ?? {};
}
