/**
 * Finds the kube-prometheus-stack (and legacy stable/prometheus-operator) releases of a scope and
 * their values layers, in Helm's order: an umbrella chart's values.yaml (values under the
 * dependency's name or alias), a Flux HelmRelease (valuesFrom, then spec.values), an Argo CD
 * Application (valueFiles, helm.values, helm.valuesObject), or a lone values file recognised by
 * its shape (several files of one directory are layered like `-f values.yaml -f values-x.yaml`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ParsedDocument } from '../../parse/document.js';
import type { Location } from '../../model/location.js';
import { type Obj, type Resource, isObj } from '../../model/resource.js';
import { groupBy } from '../../model/arrays.js';
import type { Config } from '../../config/config.js';
import { CHART_NAMES, chartData, latestVersion } from './chart.js';
import { type ValuesLayer, documentLayer, getPath, stringLayer } from './layers.js';

export type ChartName = 'kube-prometheus-stack' | 'prometheus-operator';

export interface Release {
  chart: ChartName;
  /** Chart version as used for defaults and keys: "88.5.3", or "legacy-9.3.2" for stable/prometheus-operator. */
  version: string;
  /** How messages state the version: "chart 39.4.0 (from HelmRelease spec.chart.spec.version)". */
  versionNote: string;
  versionKnown: boolean;
  release: string;
  releaseKnown: boolean;
  namespace: string;
  layers: ValuesLayer[];
  /** What made the values recognisable: "HelmRelease monitoring/kps", "Chart.yaml dependency", "values file". */
  via: string;
  /** Where to point when a value is a chart default and nothing above it is written. */
  anchor: Location;
  kubeVersion?: string;
  /** With an assumed release name: the `release` labels the repo's monitors carry (any may be the real name). */
  otherReleaseLabels?: string[];
}

function chartOf(name: unknown): ChartName | undefined {
  if (typeof name !== 'string') return undefined;
  const base = name.replace(/\/+$/, '').split('/').pop()!;
  return CHART_NAMES.has(base) ? (base as ChartName) : undefined;
}

/** "45.x", "~39.4.0", ">=40.0.0" -> "45.0.0", "39.4.0", "40.0.0"; undefined for "*" or nothing. */
function versionFrom(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const m = /(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(String(v));
  if (!m) return undefined;
  const n = (s: string | undefined) => (s && /^\d+$/.test(s) ? s : '0');
  return `${m[1]}.${n(m[2])}.${n(m[3])}`;
}

function versionOf(chart: ChartName, raw: unknown, where: string): { version: string; versionNote: string; versionKnown: boolean } {
  const v = versionFrom(raw);
  if (!v) {
    const version = chart === 'prometheus-operator' ? 'legacy-9.3.2' : latestVersion();
    return { version, versionNote: `chart version not pinned, ${chart} ${version.replace(/^legacy-/, '')} assumed`, versionKnown: false };
  }
  const version = chart === 'prometheus-operator' ? `legacy-${v}` : v;
  return { version, versionNote: `${chart} ${v}${String(raw) !== v ? ` (from "${String(raw)}")` : ''}, ${where}`, versionKnown: true };
}

/** Top-level keys that only kube-prometheus-stack values have. */
const DISTINCT = new Set([
  'kubeEtcd', 'kubeScheduler', 'kubeControllerManager', 'kubeProxy', 'kubeApiServer', 'prometheusOperator', 'kubeStateMetrics',
  'nodeExporter', 'coreDns', 'kubeDns', 'kubernetesServiceMonitors', 'defaultRules', 'thanosRuler',
]);

/** Top-level keys of look-alike charts (victoria-metrics-k8s-stack, rancher-monitoring): not this chart's values. */
const OTHER_CHART = /^(vm[a-z]*|victoria-metrics-.*|rke[A-Z0-9].*|rke2[A-Z].*|k3sServer|kubeAdm[A-Z].*|hardenedKubelet|hardenedNodeExporter)$/;

/** Is this map shaped like kube-prometheus-stack values? Conservative: distinctive keys, mostly chart keys. */
export function looksLikeValues(v: unknown, file?: string): v is Obj {
  if (!isObj(v) || typeof v.kind === 'string' || typeof v.apiVersion === 'string') return false;
  const keys = Object.keys(v);
  if (keys.length === 0 || keys.some((k) => OTHER_CHART.test(k))) return false;
  const top = chartData().tree.c ?? {};
  const known = keys.filter((k) => k in top || k === 'prometheusSpec').length;
  const distinct = keys.filter((k) => DISTINCT.has(k)).length;
  const promSpec = isObj(v.prometheus) && isObj(v.prometheus.prometheusSpec);
  // One distinctive key is enough in a file named like a values file (values.yaml, kps-values.yaml).
  const minKnown = file !== undefined && /values[^/]*\.ya?ml$/i.test(file) ? 1 : 2;
  return (distinct >= 1 || promSpec) && known >= minKnown && known / keys.length >= 0.6;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export interface RecogniseInput {
  documents: readonly ParsedDocument[];
  resources: readonly Resource[];
  config: Config;
  defaultNamespace: string;
}

export function recognise(input: RecogniseInput): { releases: Release[]; problems: { message: string; at: Location }[] } {
  const { documents, resources, config } = input;
  const releases: Release[] = [];
  const problems: { message: string; at: Location }[] = [];
  const claimed = new Set<ParsedDocument>();
  // Lookups by file and by identity (built on first use), not scans of every document or resource per release.
  let files: Map<string, ParsedDocument[]> | undefined;
  const byFile = () => (files ??= groupBy(documents, (d) => d.file.path));
  const docsOf = (r: Resource) => byFile().get(r.file)?.find((d) => sameObj(d.value, r.body));
  let byIdentity: Map<string, Resource> | undefined;
  const findResource = (kind: string, namespace: string | undefined, name: string): Resource | undefined => {
    if (!byIdentity) {
      byIdentity = new Map();
      for (const r of resources) {
        const key = `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;
        if (!byIdentity.has(key)) byIdentity.set(key, r); // the first, as a scan would find
      }
    }
    return byIdentity.get(`${kind}\u0000${namespace ?? ''}\u0000${name}`);
  };
  let inferred: { value: string | undefined } | undefined;
  const inferredRelease = () => (inferred ??= { value: inferRelease(resources) }).value;
  const cfgRelease = str(config.helm?.releaseName);
  const cfgNs = str(config.helm?.namespace);

  // 1. Flux HelmRelease.
  for (const hr of resources) {
    if (hr.kind !== 'HelmRelease' || !hr.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) continue;
    const spec = isObj(hr.body.spec) ? hr.body.spec : {};
    const chartSpec = isObj(spec.chart) && isObj(spec.chart.spec) ? spec.chart.spec : undefined;
    let chart = chartOf(chartSpec?.chart);
    let rawVersion: unknown = chartSpec?.version;
    let where = 'HelmRelease spec.chart.spec.version';
    if (!chart && isObj(spec.chartRef)) {
      const ref = spec.chartRef;
      const ns: unknown = ref.namespace ?? hr.namespace;
      const oci = typeof ref.name === 'string' && (ns === undefined || typeof ns === 'string') ? findResource(String(ref.kind), ns, ref.name) : undefined;
      const url = oci && isObj(oci.body.spec) ? oci.body.spec.url : undefined;
      chart = chartOf(url) ?? (oci ? undefined : chartOf(ref.name));
      if (oci && isObj(oci.body.spec) && isObj(oci.body.spec.ref)) {
        rawVersion = oci.body.spec.ref.tag ?? oci.body.spec.ref.semver;
        where = `${oci.kind} ${oci.name} spec.ref`;
      }
    }
    if (!chart) continue;
    const doc = docsOf(hr);
    if (!doc) continue;
    const layers: ValuesLayer[] = [];
    (Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []).forEach((vf: unknown) => {
      if (!isObj(vf) || (vf.kind !== 'ConfigMap' && vf.kind !== 'Secret') || typeof vf.name !== 'string') return;
      const src = findResource(vf.kind, hr.namespace, vf.name);
      if (!src) return; // not in scope: unknown, not wrong
      const key = typeof vf.valuesKey === 'string' ? vf.valuesKey : 'values.yaml';
      const field = isObj(src.body.data) && typeof src.body.data[key] === 'string' ? 'data' : isObj(src.body.stringData) && typeof src.body.stringData[key] === 'string' ? 'stringData' : undefined;
      if (!field || vf.targetPath) return;
      let text = String(src.body[field][key]);
      if (src.kind === 'Secret' && field === 'data') {
        try {
          text = Buffer.from(text, 'base64').toString('utf8');
        } catch {
          return;
        }
      }
      const value = safeLoad(text);
      const srcDoc = docsOf(src);
      if (!isObj(value) || !srcDoc) return;
      const layerFn = src.kind === 'Secret' && field === 'data' ? documentLayer(srcDoc, [field, key], value, `${src.ref} ${field}.${key}`) : stringLayer(srcDoc, [field, key], text, value, `${src.ref} ${field}.${key}`);
      layers.push(layerFn);
      claimed.add(srcDoc);
    });
    if (isObj(spec.values)) layers.push(documentLayer(doc, ['spec', 'values'], spec.values, `${hr.ref} spec.values`));
    claimed.add(doc);
    const ns = str(spec.targetNamespace) ?? hr.namespace ?? input.defaultNamespace;
    const release = str(spec.releaseName) ?? (str(spec.targetNamespace) ? `${spec.targetNamespace}-${hr.name}` : hr.name);
    releases.push({
      chart,
      ...versionOf(chart, rawVersion, where),
      release: release.slice(0, 53),
      releaseKnown: true,
      namespace: ns,
      layers,
      via: hr.ref,
      anchor: doc.locate(isObj(spec.values) ? ['spec', 'values'] : ['spec']),
    });
  }

  // 2. Argo CD Application.
  for (const app of resources) {
    if (app.kind !== 'Application' || !app.apiVersion.startsWith('argoproj.io/')) continue;
    const spec = isObj(app.body.spec) ? app.body.spec : {};
    const sources: [Obj, (string | number)[]][] = isObj(spec.source) ? [[spec.source, ['spec', 'source']]] : [];
    if (Array.isArray(spec.sources)) spec.sources.forEach((s: unknown, i: number) => isObj(s) && sources.push([s, ['spec', 'sources', i]]));
    const doc = docsOf(app);
    if (!doc) continue;
    for (const [src, base] of sources) {
      const chart = chartOf(src.chart) ?? (typeof src.path === 'string' ? chartOf(src.path) : undefined);
      if (!chart) continue;
      const helm = isObj(src.helm) ? src.helm : {};
      const layers: ValuesLayer[] = [];
      for (const vf of Array.isArray(helm.valueFiles) ? helm.valueFiles : []) {
        if (typeof vf !== 'string') continue;
        const rel = vf.replace(/^\$[^/]+\//, '').replace(/^\.\//, '');
        const match = [...byFile().keys()].find((f) => f === rel || f.endsWith(`/${rel}`));
        const d = match ? byFile().get(match)!.find((x) => isObj(x.value)) : undefined;
        if (!d || !isObj(d.value)) continue;
        layers.push(documentLayer(d, [], d.value, d.file.path));
        claimed.add(d);
      }
      if (typeof helm.values === 'string') {
        const value = safeLoad(helm.values);
        if (isObj(value)) layers.push(stringLayer(doc, [...base, 'helm', 'values'], helm.values, value, `${app.ref} helm.values`));
      } else if (isObj(helm.values)) layers.push(documentLayer(doc, [...base, 'helm', 'values'], helm.values, `${app.ref} helm.values`));
      if (isObj(helm.valuesObject)) layers.push(documentLayer(doc, [...base, 'helm', 'valuesObject'], helm.valuesObject, `${app.ref} helm.valuesObject`));
      claimed.add(doc);
      const dest = isObj(spec.destination) ? spec.destination : {};
      releases.push({
        chart,
        ...versionOf(chart, src.targetRevision, 'Application targetRevision'),
        release: str(helm.releaseName) ?? app.name,
        releaseKnown: true,
        namespace: str(dest.namespace) ?? cfgNs ?? input.defaultNamespace,
        layers,
        via: app.ref,
        anchor: doc.locate([...base, 'helm']),
      });
    }
  }

  // 3. Umbrella charts: Chart.yaml with a kube-prometheus-stack dependency, values under its name or alias.
  for (const d of documents) {
    if (!isObj(d.value) || !Array.isArray(d.value.dependencies) || !isChartFile(d.file.path)) continue;
    const dir = path.posix.dirname(d.file.path);
    for (const dep of d.value.dependencies as unknown[]) {
      if (!isObj(dep)) continue;
      const chart = chartOf(dep.name);
      if (!chart) continue;
      const key = str(dep.alias) ?? String(dep.name);
      let raw: unknown = dep.version;
      let where = 'Chart.yaml dependency';
      const lock = readLock(d, String(dep.name));
      if (lock) {
        raw = lock;
        where = 'Chart.lock';
      }
      const layers: ValuesLayer[] = [];
      for (const name of ['values.yaml', 'values.yml']) {
        const p = dir === '.' ? name : `${dir}/${name}`;
        for (const vd of byFile().get(p) ?? []) {
          if (!isObj(vd.value)) continue;
          claimed.add(vd);
          if (isObj(vd.value[key])) layers.push(documentLayer(vd, [key], vd.value[key], `${p} (${key}:)`));
        }
      }
      const cond = str(dep.condition);
      // `condition: kube-prometheus-stack.enabled` set to false in the umbrella values: not installed.
      const condPath = cond?.split(',')[0]?.trim().split('.');
      const off = condPath && layers.length === 0
        ? false
        : condPath && [...(byFile().get(dir === '.' ? 'values.yaml' : `${dir}/values.yaml`) ?? [])].some((vd) => getPath(vd.value, condPath) === false);
      if (off) continue;
      const anchorDoc = layers[0]?.doc ?? d;
      releases.push({
        chart,
        ...versionOf(chart, raw, where),
        release: cfgRelease ?? (typeof d.value.name === 'string' ? d.value.name : key),
        releaseKnown: cfgRelease !== undefined,
        namespace: cfgNs ?? input.defaultNamespace,
        layers,
        via: `${d.file.path} dependency ${key}${cond ? ` (condition ${cond})` : ''}`,
        anchor: anchorDoc === d ? d.locate(['dependencies']) : anchorDoc.locate([key]),
      });
    }
  }

  // 4. Lone values files, recognised by shape; files of one directory are layered, values.yaml first.
  const lone = new Map<string, ParsedDocument[]>();
  for (const d of documents) {
    if (claimed.has(d) || isChartFile(d.file.path)) continue;
    // An umbrella chart's values without its Chart.yaml in scope: the chart's values under its own name.
    const v = d.value;
    const sub = isObj(v) && typeof v.kind !== 'string' ? (['kube-prometheus-stack', 'prometheus-operator'] as const).find((k) => looksLikeValues(v[k])) : undefined;
    if (sub) {
      const release = cfgRelease ?? inferredRelease();
      releases.push({
        chart: sub,
        ...versionOf(sub, undefined, ''),
        release: release ?? sub,
        releaseKnown: release !== undefined,
        namespace: cfgNs ?? input.defaultNamespace,
        layers: [documentLayer(d, [sub], (v as Obj)[sub] as Obj, `${d.file.path} (${sub}:)`)],
        via: `${d.file.path} (values of an umbrella chart, under ${sub}:)`,
        anchor: d.locate([sub]),
      });
      continue;
    }
    const declared = input.config.helm?.values?.(d.file.path) === true;
    if (!declared && !looksLikeValues(d.value, d.file.path)) continue;
    if (!isObj(d.value)) continue;
    if (!declared && vendoredChart(d)) continue;
    // values.yaml, values-prod.yaml, values.prod.yaml of one directory are layers of one release; other files stand alone.
    const base = path.posix.basename(d.file.path);
    const dir = /^values([.-][^/]*)?\.ya?ml$/.test(base) ? path.posix.dirname(d.file.path) : `${d.file.path}#${d.index}`;
    const list = lone.get(dir);
    if (list) list.push(d);
    else lone.set(dir, [d]);
  }
  for (const [, docs] of lone) {
    docs.sort((a, b) => rank(a.file.path) - rank(b.file.path) || (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.index - b.index));
    const legacy = docs.some((d) => isObj(d.value) && isLegacyShape(d.value));
    const chart: ChartName = legacy ? 'prometheus-operator' : 'kube-prometheus-stack';
    const release = cfgRelease ?? inferredRelease();
    releases.push({
      chart,
      ...versionOf(chart, input.config.helm?.chartVersion, ''),
      release: release ?? 'kube-prometheus-stack',
      releaseKnown: release !== undefined,
      namespace: cfgNs ?? input.defaultNamespace,
      layers: docs.map((d) => documentLayer(d, [], d.value as Obj, d.file.path)),
      via: docs.map((d) => d.file.path).filter((f, i, a) => a.indexOf(f) === i).join(', '),
      anchor: docs[0]!.startLocation,
    });
  }
  if (config.kubernetesVersion) for (const r of releases) r.kubeVersion = config.kubernetesVersion;
  const labels = [...new Set(resources.filter((r) => r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor' || r.kind === 'Probe').map((r) => r.labels.release).filter((x): x is string => !!x))].sort();
  for (const r of releases) if (!r.releaseKnown) r.otherReleaseLabels = labels.filter((l) => l !== r.release);
  return { releases, problems };
}

/** Is this a chart's Chart.yaml? (Asked for every document: the answer for the last file is kept, documents of a file come together.) */
let lastPath: string | undefined;
let lastIsChart = false;
function isChartFile(file: string): boolean {
  if (file !== lastPath) {
    lastPath = file;
    lastIsChart = /(^|\/)Chart\.ya?ml$/.test(file);
  }
  return lastIsChart;
}

function rank(file: string): number {
  return /(^|\/)values\.ya?ml$/.test(file) ? 0 : 1;
}

/** The legacy chart's values had no `service.enabled` and no kubeApiServer.serviceMonitor; too weak to tell: only explicit hints. */
function isLegacyShape(v: Obj): boolean {
  return isObj(v.prometheusOperator) && (v.prometheusOperator.createCustomResource !== undefined || v.prometheusOperator.manageCrds !== undefined);
}

/** A values.yaml of a chart directory that is itself kube-prometheus-stack (a vendored copy): its own defaults. */
function vendoredChart(d: ParsedDocument): boolean {
  if (!d.file.absPath) return false;
  const chartFile = path.join(path.dirname(d.file.absPath), 'Chart.yaml');
  if (!existsSync(chartFile)) return false;
  try {
    const c = yaml.load(readFileSync(chartFile, 'utf8'));
    return isObj(c) && !!chartOf(c.name);
  } catch {
    return false;
  }
}

/** The exact version from a Chart.lock next to a Chart.yaml (not loaded by the walker: .lock files are read here). */
function readLock(d: ParsedDocument, dep: string): string | undefined {
  if (!d.file.absPath) return undefined;
  const lock = path.join(path.dirname(d.file.absPath), 'Chart.lock');
  if (!existsSync(lock)) return undefined;
  try {
    const v = yaml.load(readFileSync(lock, 'utf8'));
    const deps = isObj(v) && Array.isArray(v.dependencies) ? v.dependencies : [];
    const e = deps.find((x: unknown) => isObj(x) && x.name === dep);
    return isObj(e) && typeof e.version === 'string' ? e.version : undefined;
  } catch {
    return undefined;
  }
}

/** The `release` label the repo's own monitors agree on, when they do. */
function inferRelease(resources: readonly Resource[]): string | undefined {
  const values = new Set<string>();
  for (const r of resources) {
    if ((r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor') && r.labels.release) values.add(r.labels.release);
  }
  return values.size === 1 ? [...values][0] : undefined;
}

function safeLoad(text: string): unknown {
  try {
    return yaml.load(text);
  } catch {
    return undefined;
  }
}

function sameObj(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isObj(a) && Array.isArray(a.items)) return (a.items as unknown[]).includes(b);
  return false;
}
