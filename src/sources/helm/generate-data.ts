/**
 * Generates src/sources/helm/data/kps.json from the chart's reference values files
 * (../shared/reference/kube-prometheus-stack/values.yaml and values-history/): the union key tree
 * of every known chart version (each key with the versions that have it and the types of its
 * default), and the default values of the newest version for the blocks the adapter synthesizes.
 * Version-dependent defaults that differ from the newest values.yaml are in versions.ts.
 *
 *   node dist/src/sources/helm/generate-data.js [referenceDir]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { compareVersions } from './versions.js';

interface Node {
  /** Index ranges (inclusive) into `versions` where the key exists. */
  v: [number, number][];
  /** Types of the default across versions: b(ool) n(umber) s(tring) m(ap) l(ist) z (null) e (empty map). */
  t: string;
  c?: Record<string, Node>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');
const refDir = path.resolve(process.argv[2] ?? path.join(repo, '../shared/reference/kube-prometheus-stack'));
const histDir = path.join(refDir, 'values-history');

const files = readdirSync(histDir)
  .map((f) => {
    const m = /^(?:(legacy)-prometheus-operator-|values-)(\d+\.\d+\.\d+)\.yaml$/.exec(f);
    return m ? { file: path.join(histDir, f), version: m[1] ? `legacy-${m[2]}` : m[2]! } : undefined;
  })
  .filter((x): x is { file: string; version: string } => x !== undefined)
  .sort((a, b) => compareVersions(a.version, b.version));

const versions = files.map((f) => f.version);

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  if (Array.isArray(v)) return 'l';
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'e' : 'm';
  if (typeof v === 'boolean') return 'b';
  if (typeof v === 'number') return 'n';
  return 's';
}

/** Subcharts and free-form blocks: their keys are not the chart's and are not recorded. */
const OPAQUE_TOP = new Set(['grafana', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-windows-exporter', 'crds']);

function add(node: Node, value: unknown, idx: number, depth: number, key: string): void {
  const last = node.v[node.v.length - 1];
  if (last && last[1] === idx - 1) last[1] = idx;
  else if (!last || last[1] !== idx) node.v.push([idx, idx]);
  const t = typeOf(value);
  if (!node.t.includes(t)) node.t += t;
  if (t !== 'm' || (depth === 1 && OPAQUE_TOP.has(key))) return;
  node.c ??= {};
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    const child = (node.c[k] ??= { v: [], t: '' });
    add(child, x, idx, depth + 1, k);
  }
}

const root: Node = { v: [], t: '' };
files.forEach((f, i) => add(root, yaml.load(readFileSync(f.file, 'utf8')), i, 0, ''));

/**
 * Keys the templates read that values.yaml only mentions in comments (domain-kps.md, section 4):
 * recorded for every version, as free-form maps or scalars of any type.
 */
const READ_BUT_UNDOCUMENTED: [string[], string][] = [
  ...['kubeEtcd', 'kubeScheduler', 'kubeControllerManager', 'kubeProxy', 'coreDns', 'kubeDns'].map((c): [string[], string] => [[c, 'service', 'selector'], 'e']),
  [['prometheus', 'prometheusSpec', 'additionalScrapeConfigsSecret', 'enabled'], 'z'],
  [['prometheus', 'prometheusSpec', 'additionalScrapeConfigsSecret', 'name'], 'z'],
  [['prometheus', 'prometheusSpec', 'additionalScrapeConfigsSecret', 'key'], 'z'],
  [['prometheus', 'extraSecret', 'name'], 'z'],
  [['kubelet', 'serviceMonitor', 'scrapeTimeout'], 'z'],
];
for (const [p, t] of READ_BUT_UNDOCUMENTED) {
  let n = root;
  for (const seg of p) {
    n.c ??= {};
    n = n.c[seg] ??= { v: [[0, versions.length - 1]], t: 'm' };
  }
  n.v = [[0, versions.length - 1]];
  if (!n.t.includes(t)) n.t += t;
}

/** Ranges are written compactly: a key present in every version has no `v`. */
function compact(n: Node): unknown {
  const all = n.v.length === 1 && n.v[0]![0] === 0 && n.v[0]![1] === versions.length - 1;
  return {
    ...(all ? {} : { v: n.v }),
    t: n.t,
    ...(n.c ? { c: Object.fromEntries(Object.entries(n.c).map(([k, x]) => [k, compact(x)])) } : {}),
  };
}

const latest = yaml.load(readFileSync(path.join(refDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
const KEEP = ['nameOverride', 'namespaceOverride', 'fullnameOverride', 'kubeTargetVersionOverride', 'kubeVersionOverride',
  'commonLabels', 'cleanPrometheusOperatorObjectNames', 'kubernetesServiceMonitors', 'kubeApiServer', 'kubelet',
  'kubeControllerManager', 'coreDns', 'kubeDns', 'kubeEtcd', 'kubeScheduler', 'kubeProxy'];
const defaults: Record<string, unknown> = Object.fromEntries(KEEP.filter((k) => k in latest).map((k) => [k, latest[k]]));
const prom = latest.prometheus as Record<string, unknown>;
const spec = prom.prometheusSpec as Record<string, unknown>;
// Only the Prometheus fields the synthesized object carries (the rest is storage, images, resources...).
const SPEC_KEEP = ['secrets', 'configMaps', 'volumes', 'volumeMounts', 'arbitraryFSAccessThroughSMs', 'ignoreNamespaceSelectors',
  'serviceMonitorSelector', 'serviceMonitorSelectorNilUsesHelmValues', 'serviceMonitorNamespaceSelector',
  'podMonitorSelector', 'podMonitorSelectorNilUsesHelmValues', 'podMonitorNamespaceSelector',
  'probeSelector', 'probeSelectorNilUsesHelmValues', 'probeNamespaceSelector',
  'scrapeConfigSelector', 'scrapeConfigSelectorNilUsesHelmValues', 'scrapeConfigNamespaceSelector',
  'ruleSelector', 'ruleSelectorNilUsesHelmValues', 'ruleNamespaceSelector', 'scrapeClasses', 'agentMode'];
defaults.prometheus = {
  enabled: prom.enabled,
  agentMode: prom.agentMode,
  additionalServiceMonitors: prom.additionalServiceMonitors,
  additionalPodMonitors: prom.additionalPodMonitors,
  prometheusSpec: Object.fromEntries(SPEC_KEEP.filter((k) => k in spec).map((k) => [k, spec[k]])),
};

const out = { latest: versions[versions.length - 1], versions, tree: compact(root), defaults };
const target = path.join(repo, 'src/sources/helm/data/kps.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${path.relative(repo, target)}: ${versions.length} versions, ${JSON.stringify(out).length} bytes`);
