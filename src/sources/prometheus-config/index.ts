/**
 * Raw Prometheus configuration -> `ScrapeJob` resources: `scrape_configs` of prometheus.yml-style
 * documents (also inside a ConfigMap key), `prometheus.prometheusSpec.additionalScrapeConfigs`
 * of kube-prometheus-stack values (plain or in a HelmRelease), the Secret key a Prometheus names
 * in `spec.additionalScrapeConfigs` (stringData, or base64 data), and ScrapeConfig objects.
 */
import type { AdapterResult, SourceAdapter } from '../adapter.js';
import type { Location, NodePath } from '../../model/location.js';
import { type Obj, type Resource, asArray, isObj, refOf } from '../../model/resource.js';
import { groupBy } from '../../model/arrays.js';
import type { ParsedDocument } from '../../parse/document.js';
import { load } from 'js-yaml';
import { parseEmbedded } from '../components/embedded.js';
import { normalizeRule } from './relabel.js';
import { SCRAPE_JOB_API, SCRAPE_JOB_KIND, type ScrapeJob, type ScrapeJobBody, type SdConfig } from './model.js';

/** ScrapeConfig (camelCase CRD) field names for Prometheus' snake_case ones. */
const CAMEL: Record<string, string> = {
  job_name: 'jobName',
  kubernetes_sd_configs: 'kubernetesSDConfigs',
  relabel_configs: 'relabelings',
  source_labels: 'sourceLabels',
  target_label: 'targetLabel',
  tls_config: 'tlsConfig',
  ca_file: 'caFile',
  cert_file: 'certFile',
  key_file: 'keyFile',
  static_configs: 'staticConfigs',
  metrics_path: 'metricsPath',
  bearer_token_file: 'bearerTokenFile',
};

interface Origin {
  origin: string;
  file: string;
  locate: (path: NodePath) => Location;
  prometheus?: string;
  scrapeConfig?: string;
  configMap?: string;
  camel?: boolean;
  /** Namespace for `own_namespace`. */
  ownNamespace?: string;
}

function jobResource(cfg: Obj, base: NodePath, o: Origin, n: number): ScrapeJob | undefined {
  const get = (k: string) => (o.camel ? cfg[CAMEL[k] ?? k] : cfg[k]);
  const jobName = o.camel ? String(cfg.jobName ?? o.scrapeConfig ?? '') : typeof cfg.job_name === 'string' ? cfg.job_name : undefined;
  if (jobName === undefined) return undefined;
  const tlsRaw = isObj(get('tls_config')) ? (get('tls_config') as Obj) : {};
  const tget = (k: string) => (o.camel ? tlsRaw[CAMEL[k] ?? k] : tlsRaw[k]);
  const tls: ScrapeJobBody['tls'] = {};
  for (const k of ['ca_file', 'cert_file', 'key_file'] as const) if (typeof tget(k) === 'string' && tget(k) !== '') tls[k] = tget(k) as string;
  if (tget('insecure_skip_verify') === true || tlsRaw.insecureSkipVerify === true) tls.insecure_skip_verify = true;
  const sd: SdConfig[] = asArray(get('kubernetes_sd_configs')).map((s, index) => {
    const ns = isObj(s.namespaces) ? s.namespaces : undefined;
    const names = ns && Array.isArray(ns.names) && ns.names.length > 0 ? ns.names.map(String) : undefined;
    const own = ns ? ns.own_namespace === true || ns.ownNamespace === true : false;
    return {
      index,
      role: String(s.role ?? '').toLowerCase(),
      ...(names || (own && o.ownNamespace) ? { namespaces: [...(names ?? []), ...(own && o.ownNamespace ? [o.ownNamespace] : [])] } : {}),
      ...(own ? { ownNamespace: true } : {}),
    };
  });
  const statics = asArray(get('static_configs')).flatMap((g, group) =>
    (Array.isArray(g.targets) ? g.targets : []).map((t: unknown, index: number) => ({ address: String(t), group, index })),
  );
  const scheme = String(cfg.scheme ?? 'http').toLowerCase() === 'https' ? 'https' : 'http';
  const body: ScrapeJobBody = {
    jobName,
    origin: o.origin,
    ...(o.prometheus ? { prometheus: o.prometheus } : {}),
    ...(o.scrapeConfig ? { scrapeConfig: o.scrapeConfig } : {}),
    ...(o.configMap ? { configMap: o.configMap } : {}),
    scheme,
    schemeWritten: cfg.scheme !== undefined,
    metricsPath: typeof get('metrics_path') === 'string' ? (get('metrics_path') as string) : '/metrics',
    tls,
    ...(typeof get('bearer_token_file') === 'string' ? { bearerTokenFile: get('bearer_token_file') as string } : {}),
    sd,
    relabel: asArray(get('relabel_configs')).map((r, i) => normalizeRule(r, i, o.camel === true)),
    staticTargets: statics,
  };
  const translate = (path: NodePath): NodePath => (o.camel ? path.map((s) => (typeof s === 'string' ? CAMEL[s] ?? s : s)) : path);
  return {
    kind: SCRAPE_JOB_KIND,
    apiVersion: SCRAPE_JOB_API,
    name: `${jobName}#${o.file}#${n}`,
    namespace: undefined,
    namespaceExplicit: false,
    labels: {},
    annotations: {},
    body,
    file: o.file,
    ref: `scrape job "${jobName}" (${o.origin})`,
    locate: (path) => o.locate([...base, ...translate(path)]),
  };
}

function jobsOf(list: unknown, base: NodePath, o: Origin, out: Resource[]): void {
  asArray(list).forEach((cfg, i) => {
    const j = jobResource(cfg, [...base, i], o, out.length);
    if (j) out.push(j);
  });
}

function decode(v: unknown, base64: boolean): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (!base64) return v;
  try {
    return Buffer.from(v, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** kube-prometheus-stack values: the values object of a values document or a HelmRelease. */
function valuesOf(v: Obj): { values: Obj; base: NodePath } | undefined {
  if (v.kind === undefined && isObj(v.prometheus)) return { values: v, base: [] };
  if (v.kind === 'HelmRelease' && isObj(v.spec) && isObj(v.spec.values)) return { values: v.spec.values, base: ['spec', 'values'] };
  return undefined;
}

/** A bare list of scrape configs, linked to the Prometheus whose additionalScrapeConfigs Secret a kustomize generator builds from it. */
function listFile(resources: readonly Resource[], doc: ParsedDocument, list: unknown[], out: Resource[]): void {
  const base = doc.file.path.split('/').pop()!;
  const prom = resources.find((p) => {
    const ref = (p.kind === 'Prometheus' || p.kind === 'PrometheusAgent') && isObj(p.body.spec) ? p.body.spec.additionalScrapeConfigs : undefined;
    if (!isObj(ref) || ref.key !== base) return false;
    return resources.some((r) => r.kind === 'Secret' && r.name === ref.name && r.annotations['scrapelint.io/generated-by'] === 'kustomize');
  });
  jobsOf(list, [], {
    origin: doc.file.path,
    file: doc.file.path,
    locate: (p) => doc.locate(p),
    ...(prom ? { prometheus: `${prom.namespace}/${prom.name}`, ...(prom.namespace ? { ownNamespace: prom.namespace } : {}) } : {}),
  }, out);
}

export const prometheusConfigAdapter: SourceAdapter = {
  name: 'prometheus-config',
  adapt(ctx): AdapterResult {
    const out: Resource[] = [];
    // Indexes built on first use, not a scan of every resource per values document or Prometheus.
    let synthesized: Map<string, Resource> | undefined;
    const synthesizedPrometheus = () => {
      if (!synthesized) {
        synthesized = new Map();
        for (const r of ctx.resources) {
          if (r.kind === 'Prometheus' && r.annotations['scrapelint.io/synthesized-from'] && !synthesized.has(r.file)) synthesized.set(r.file, r);
        }
      }
      return synthesized;
    };
    let secrets: Map<string, Resource[]> | undefined;
    const secretsByName = () => (secrets ??= groupBy(ctx.resources, (r) => (r.kind === 'Secret' ? r.name : undefined)));
    let byFile: Map<string, ParsedDocument[]> | undefined;
    const docsByFile = () => (byFile ??= groupBy(ctx.documents, (d) => d.file.path));
    for (const doc of ctx.documents) {
      const raw = doc.value;
      // 1b. A bare list of scrape configs (the file a kustomize secretGenerator turns into the additionalScrapeConfigs Secret).
      if (Array.isArray(raw) && raw.length > 0 && raw.every((x) => isObj(x) && typeof x.job_name === 'string')) {
        listFile(ctx.resources, doc, raw, out);
        continue;
      }
      const v = raw;
      if (!isObj(v)) continue;
      // 1. prometheus.yml
      if (v.kind === undefined && Array.isArray(v.scrape_configs)) {
        jobsOf(v.scrape_configs, ['scrape_configs'], { origin: doc.file.path, file: doc.file.path, locate: (p) => doc.locate(p) }, out);
        continue;
      }
      const vals = valuesOf(v);
      if (vals) {
        const spec = isObj(vals.values.prometheus) && isObj(vals.values.prometheus.prometheusSpec) ? vals.values.prometheus.prometheusSpec : undefined;
        if (spec && Array.isArray(spec.additionalScrapeConfigs)) {
          const synth = synthesizedPrometheus().get(doc.file.path);
          jobsOf(spec.additionalScrapeConfigs, [...vals.base, 'prometheus', 'prometheusSpec', 'additionalScrapeConfigs'], {
            origin: `additionalScrapeConfigs in ${doc.file.path}`,
            file: doc.file.path,
            locate: (p) => doc.locate(p),
            ...(synth ? { prometheus: `${synth.namespace}/${synth.name}`, ownNamespace: synth.namespace } : {}),
          }, out);
        }
        continue;
      }
      // 3. prometheus.yml inside a ConfigMap
      if (v.kind === 'ConfigMap' && isObj(v.data)) {
        const meta = isObj(v.metadata) ? v.metadata : {};
        const ns = typeof meta.namespace === 'string' ? meta.namespace : ctx.defaultNamespace;
        const cmName = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '(unnamed)';
        for (const [key, text] of Object.entries(v.data)) {
          if (typeof text !== 'string' || !/(^|\n)scrape_configs:/.test(text)) continue;
          const emb = parseEmbedded(doc, ['data', key], text);
          if (!emb || !isObj(emb.value) || !Array.isArray(emb.value.scrape_configs)) continue;
          jobsOf(emb.value.scrape_configs, ['scrape_configs'], {
            origin: `ConfigMap ${ns}/${cmName}, key ${key}`,
            file: doc.file.path,
            locate: emb.locate,
            configMap: `${ns}/${cmName}`,
          }, out);
        }
      }
    }
    // 4. The Secret a Prometheus names in spec.additionalScrapeConfigs.
    for (const prom of ctx.resources) {
      if (prom.kind !== 'Prometheus' && prom.kind !== 'PrometheusAgent') continue;
      const ref = isObj(prom.body.spec) ? prom.body.spec.additionalScrapeConfigs : undefined;
      if (!isObj(ref) || typeof ref.name !== 'string' || typeof ref.key !== 'string') continue;
      const ns = prom.namespace ?? ctx.defaultNamespace;
      const secret = secretsByName().get(ref.name)?.find((r) => (r.namespace ?? ctx.defaultNamespace) === ns);
      if (!secret) continue;
      const docs = docsByFile().get(secret.file) ?? [];
      const doc = docs.find((d) => isObj(d.value) && d.value.kind === 'Secret' && isObj(d.value.metadata) && d.value.metadata.name === ref.name);
      for (const [field, b64] of [['stringData', false], ['data', true]] as const) {
        const text = decode(isObj(secret.body[field]) ? secret.body[field][ref.key] : undefined, b64);
        if (text === undefined) continue;
        let list: unknown;
        try {
          list = load(text);
        } catch {
          continue;
        }
        const emb = !b64 && doc ? parseEmbedded(doc, [field, ref.key], text) : undefined;
        const keyLoc = secret.locate([field, ref.key]);
        jobsOf(list, [], {
          origin: `${refOf('Secret', ns, ref.name)}, key ${ref.key}`,
          file: secret.file,
          locate: emb ? emb.locate : () => keyLoc,
          prometheus: `${ns}/${prom.name}`,
          ownNamespace: ns,
        }, out);
        break;
      }
    }
    // 5. ScrapeConfig objects with Kubernetes service discovery.
    for (const sc of ctx.resources) {
      if (sc.kind !== 'ScrapeConfig' || !isObj(sc.body.spec) || !Array.isArray(sc.body.spec.kubernetesSDConfigs)) continue;
      const j = jobResource(sc.body.spec, ['spec'], {
        origin: sc.ref,
        file: sc.file,
        locate: (p) => sc.locate(p),
        scrapeConfig: `${sc.namespace}/${sc.name}`,
        camel: true,
      }, out.length);
      if (j) {
        j.body.jobName = `scrapeConfig/${sc.namespace}/${sc.name}`;
        j.ref = `scrape job "${j.body.jobName}" (${sc.ref})`;
        out.push(j);
      }
    }
    return { resources: out, problems: [] };
  },
};
