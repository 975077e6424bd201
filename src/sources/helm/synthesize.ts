/**
 * The objects kube-prometheus-stack would render for the monitoring wiring, built from the
 * effective values: the Prometheus, the Service / Endpoints / ServiceMonitor of etcd, the
 * scheduler, the controller-manager, kube-proxy, coreDns and kubeDns, and the kubelet and API
 * server ServiceMonitors (templates/exporters/*, templates/prometheus/
 * prometheus.yaml; ../shared/design/domain-kps.md). Every field is located at the values line that
 * set it, or, for a chart default, at the nearest key the user wrote (and the message says so).
 */
import { pushAll } from '../../model/arrays.js';
import type { Location, NodePath } from '../../model/location.js';
import { type Obj, type Resource, refOf, stringMap } from '../../model/resource.js';
import { EffectiveValues, truthy } from './effective.js';
import type { Release } from './recognise.js';
import { atLeast, kubeMinor, parseVersion } from './versions.js';

export const SYNTH_ANNOTATION = 'scrapelint.io/synthesized-from';
const SA_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

type ValuesPath = NodePath;
interface Field {
  /** Path prefix in the synthesized object. */
  at: NodePath;
  /** Values path it comes from; `deep` appends the rest of the object path (lists copied verbatim). */
  values: ValuesPath | (() => ValuesPath);
  deep?: boolean;
}

function startsWith(path: NodePath, prefix: NodePath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

export function locator(eff: EffectiveValues, fields: Field[], fallback: ValuesPath): (path: NodePath) => Location {
  return (path) => {
    let best: Field | undefined;
    for (const f of fields) if (startsWith(path, f.at) && (!best || f.at.length > best.at.length)) best = f;
    const base = best ? (typeof best.values === 'function' ? best.values() : best.values) : fallback;
    const vp = best?.deep ? [...base, ...path.slice(best.at.length)] : base;
    const o = eff.origin(vp);
    return o.defaultNote ? { ...o.location, template: o.defaultNote } : o.location;
  };
}

interface Names {
  name: string;
  fullname: string;
  common: Record<string, string>;
  promNs: string;
}

function names(eff: EffectiveValues, r: Release): Names {
  const chartName = r.chart;
  const nameOverride = typeof eff.get(['nameOverride']) === 'string' ? (eff.get(['nameOverride']) as string) : '';
  const name = (nameOverride || chartName).slice(0, 50).replace(/-+$/, '');
  const fo = eff.get(['fullnameOverride']);
  let fullname: string;
  if (typeof fo === 'string' && fo !== '') fullname = fo;
  else fullname = r.release.includes(nameOverride || chartName) ? r.release : `${r.release}-${nameOverride || chartName}`;
  fullname = fullname.slice(0, 26).replace(/-+$/, '');
  const ns = eff.get(['namespaceOverride']);
  const version = r.version.replace(/^legacy-/, '');
  const common: Record<string, string> = {
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/instance': r.release,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/part-of': name,
    chart: `${chartName}-${version}`,
    release: r.release,
    heritage: 'Helm',
    ...stringMap(eff.get(['commonLabels'])),
  };
  return { name, fullname, common, promNs: typeof ns === 'string' && ns !== '' ? ns : r.namespace };
}

/** `{{ $.Release.Name }}` and `{{ .Release.Name }}` in tpl-rendered values. */
function tpl(v: unknown, r: Release): unknown {
  if (typeof v === 'string') return v.replace(/\{\{-?\s*\$?\.Release\.Name\s*-?\}\}/g, r.release).replace(/\{\{-?\s*\$?\.Release\.Namespace\s*-?\}\}/g, r.namespace);
  if (Array.isArray(v)) return v.map((x) => tpl(x, r));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tpl(x, r)]));
  return v;
}

function resource(
  r: Release,
  kind: string,
  apiVersion: string,
  name: string,
  namespace: string,
  labels: Record<string, string>,
  body: Obj,
  locate: (path: NodePath) => Location,
  file: string,
): Resource {
  const annotations = { [SYNTH_ANNOTATION]: 'helm-values' };
  return {
    kind,
    apiVersion,
    name,
    namespace,
    namespaceExplicit: true,
    labels,
    annotations,
    body: { apiVersion, kind, metadata: { name, namespace, labels, annotations }, ...body },
    file,
    ref: `${refOf(kind, namespace, name)} (from ${r.chart === 'prometheus-operator' ? 'stable/prometheus-operator' : r.chart} values, ${r.versionKnown ? `chart ${r.version.replace(/^legacy-/, '')}` : `chart ${r.version.replace(/^legacy-/, '')} assumed`})`,
    locate,
  };
}

const SELECTORS = ['serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig', 'rule'] as const;

function prometheus(eff: EffectiveValues, r: Release, n: Names, file: string): Resource | undefined {
  if (!truthy(eff.get(['prometheus', 'enabled'])) || truthy(eff.get(['prometheus', 'agentMode']))) return undefined;
  const P = ['prometheus', 'prometheusSpec'];
  const get = (k: string) => eff.get([...P, k]);
  const spec: Obj = {};
  const fields: Field[] = [{ at: ['spec'], values: P }, { at: ['metadata'], values: ['prometheus'] }];
  for (const k of ['secrets', 'configMaps', 'volumes', 'volumeMounts', 'scrapeClasses']) {
    if (truthy(get(k))) spec[k] = tpl(get(k), r);
    fields.push({ at: ['spec', k], values: [...P, k], deep: true });
  }
  if (truthy(get('arbitraryFSAccessThroughSMs'))) spec.arbitraryFSAccessThroughSMs = get('arbitraryFSAccessThroughSMs');
  fields.push({ at: ['spec', 'arbitraryFSAccessThroughSMs'], values: [...P, 'arbitraryFSAccessThroughSMs'], deep: true });
  if (get('ignoreNamespaceSelectors') !== undefined) spec.ignoreNamespaceSelectors = get('ignoreNamespaceSelectors');
  const since = (min: string) => !r.version.startsWith('legacy-') && atLeast(r.version, min);
  for (const s of SELECTORS) {
    if (s === 'probe' && !since('10.1.1')) continue;
    if (s === 'scrapeConfig' && !since('46.5.0')) continue;
    const sel = get(`${s}Selector`);
    const nil = get(`${s}SelectorNilUsesHelmValues`);
    if (truthy(sel)) {
      spec[`${s}Selector`] = tpl(sel, r);
      fields.push({ at: ['spec', `${s}Selector`], values: [...P, `${s}Selector`], deep: true });
    } else if (truthy(nil)) {
      // An assumed release name: any release label the repo uses may be the real one (unknown is not wrong).
      spec[`${s}Selector`] = r.otherReleaseLabels?.length
        ? { matchExpressions: [{ key: 'release', operator: 'In', values: [r.release, ...r.otherReleaseLabels] }] }
        : { matchLabels: { release: r.release } };
      fields.push({ at: ['spec', `${s}Selector`], values: [...P, `${s}SelectorNilUsesHelmValues`] });
    } else {
      if (!(s === 'scrapeConfig' || s === 'rule') || sel !== undefined) spec[`${s}Selector`] = {};
      fields.push({ at: ['spec', `${s}Selector`], values: [...P, `${s}SelectorNilUsesHelmValues`] });
    }
    const nsSel = get(`${s}NamespaceSelector`);
    if (truthy(nsSel)) spec[`${s}NamespaceSelector`] = tpl(nsSel, r);
    else if (!(s === 'scrapeConfig' && nsSel === undefined)) spec[`${s}NamespaceSelector`] = {};
    fields.push({ at: ['spec', `${s}NamespaceSelector`], values: [...P, `${s}NamespaceSelector`], deep: true });
  }
  const clean = truthy(eff.get(['cleanPrometheusOperatorObjectNames']));
  const name = clean ? n.fullname : `${n.fullname}-prometheus`;
  const labels = { app: `${n.name}-prometheus`, ...n.common, ...stringMap(eff.get(['prometheus', 'additionalLabels'])) };
  return resource(r, 'Prometheus', 'monitoring.coreos.com/v1', name, n.promNs, labels, { spec }, locator(eff, fields, P), file);
}

interface Component {
  key: 'kubeEtcd' | 'kubeScheduler' | 'kubeControllerManager' | 'kubeProxy' | 'coreDns';
  suffix: string;
  /** The Service's jobLabel label (the job name). */
  job: string;
  selector: Record<string, string>;
  k8sApp: string;
}

const COMPONENTS: Component[] = [
  { key: 'kubeEtcd', suffix: 'kube-etcd', job: 'kube-etcd', selector: { component: 'etcd' }, k8sApp: 'etcd-server' },
  { key: 'kubeScheduler', suffix: 'kube-scheduler', job: 'kube-scheduler', selector: { component: 'kube-scheduler' }, k8sApp: 'kube-scheduler' },
  { key: 'kubeControllerManager', suffix: 'kube-controller-manager', job: 'kube-controller-manager', selector: { component: 'kube-controller-manager' }, k8sApp: 'kube-controller-manager' },
  { key: 'kubeProxy', suffix: 'kube-proxy', job: 'kube-proxy', selector: { 'k8s-app': 'kube-proxy' }, k8sApp: 'kube-proxy' },
  // coreDns: no endpoints mode, plain http; its switches exist since 55.5.0.
  { key: 'coreDns', suffix: 'coredns', job: 'coredns', selector: { 'k8s-app': 'kube-dns' }, k8sApp: 'kube-dns' },
];

/** Kubernetes minor the chart renders for: kubeVersionOverride, the configured cluster version, else a current one (>= 1.25). */
function targetMinor(eff: EffectiveValues, r: Release): number {
  const o = eff.get(['kubeVersionOverride']);
  return kubeMinor(typeof o === 'string' ? o : undefined) ?? kubeMinor(r.kubeVersion) ?? 25;
}

function components(eff: EffectiveValues, r: Release, n: Names, file: string): Resource[] {
  const out: Resource[] = [];
  if (!truthy(eff.get(['kubernetesServiceMonitors', 'enabled']))) return out;
  const legacy = parseVersion(r.version)?.legacy ?? false;
  const since = (min: string) => !legacy && atLeast(r.version, min);
  const minor = targetMinor(eff, r);
  for (const c of COMPONENTS) {
    const C = [c.key];
    const g = (...p: string[]) => eff.get([...C, ...p]);
    if (!truthy(g('enabled'))) continue;
    if (c.key === 'kubeProxy' && legacy && !atLeast(r.version, 'legacy-5.17.0')) continue;
    const versioned = c.key === 'kubeScheduler' || c.key === 'kubeControllerManager';
    const secure = versioned && minor >= (c.key === 'kubeScheduler' ? 23 : 22);
    const securePort = c.key === 'kubeScheduler' ? 10259 : 10257;
    const insecurePort = c.key === 'kubeScheduler' ? 10251 : 10252;
    const resolvePort = (v: unknown) => (v === null || v === undefined) && versioned ? (secure ? securePort : insecurePort) : v;
    const port = resolvePort(g('service', 'port'));
    const targetPort = resolvePort(g('service', 'targetPort'));
    const portName = since('56.16.0') && typeof g('serviceMonitor', 'port') === 'string' ? (g('serviceMonitor', 'port') as string) : 'http-metrics';
    const name = `${n.fullname}-${c.suffix}`;
    const app = `${n.name}-${c.suffix}`;
    const dns = c.key === 'coreDns';
    const endpoints = !dns && Array.isArray(g('endpoints')) ? (g('endpoints') as unknown[]) : [];
    const switchesSince = dns ? '55.5.0' : '14.4.0';
    const serviceOn = !since(switchesSince) || truthy(g('service', 'enabled'));
    const monitorOn = !since(switchesSince) || truthy(g('serviceMonitor', 'enabled'));
    const portKey = (k: 'port' | 'targetPort'): ValuesPath => [...C, 'service', k];
    if (serviceOn) {
      const spec: Obj = {
        clusterIP: 'None',
        ports: [{ name: portName, port, protocol: 'TCP', targetPort }],
        type: 'ClusterIP',
      };
      const userSel = g('service', 'selector');
      if (endpoints.length === 0) spec.selector = truthy(userSel) ? tpl(userSel, r) : c.selector;
      const fields: Field[] = [
        { at: ['metadata'], values: [...C, 'service'] },
        { at: ['spec', 'ports'], values: portKey('port') },
        { at: ['spec', 'ports', 0, 'port'], values: portKey('port') },
        { at: ['spec', 'ports', 0, 'targetPort'], values: portKey('targetPort') },
        { at: ['spec', 'ports', 0, 'name'], values: [...C, 'serviceMonitor', 'port'] },
        { at: ['spec', 'selector'], values: truthy(userSel) ? [...C, 'service', 'selector'] : [...C, 'service'], deep: truthy(userSel) },
      ];
      const labels = { app, jobLabel: c.job, ...n.common };
      out.push(resource(r, 'Service', 'v1', name, 'kube-system', labels, { spec }, locator(eff, fields, [...C, 'service']), file));
    }
    if (endpoints.length > 0) {
      const fields: Field[] = [
        { at: ['metadata'], values: [...C, 'endpoints'] },
        { at: ['subsets'], values: [...C, 'endpoints'] },
        { at: ['subsets', 0, 'addresses'], values: [...C, 'endpoints'], deep: true },
        { at: ['subsets', 0, 'ports'], values: portKey('port') },
      ];
      const body = {
        subsets: [{ addresses: endpoints.map((ip) => ({ ip: String(ip) })), ports: [{ name: portName, port, protocol: 'TCP' }] }],
      };
      const labels = { app, 'k8s-app': c.k8sApp, ...n.common };
      out.push(resource(r, 'Endpoints', 'v1', name, 'kube-system', labels, body, locator(eff, fields, [...C, 'endpoints']), file));
    }
    if (monitorOn) out.push(serviceMonitor(eff, r, n, c, { name, app, portName, secure, legacy, since }, file));
  }
  return out;
}

function serviceMonitor(
  eff: EffectiveValues,
  r: Release,
  n: Names,
  c: Component,
  x: { name: string; app: string; portName: string; secure: boolean; legacy: boolean; since: (v: string) => boolean },
  file: string,
): Resource {
  const C = [c.key];
  const SM = [...C, 'serviceMonitor'];
  const g = (...p: string[]) => eff.get([...SM, ...p]);
  const ep: Obj = { port: x.portName };
  if (truthy(g('interval'))) ep.interval = g('interval');
  if (truthy(g('proxyUrl'))) ep.proxyUrl = g('proxyUrl');
  const userSel = x.since('56.14.0') ? g('selector') : undefined;
  const fields: Field[] = [
    { at: ['metadata'], values: SM },
    { at: ['spec'], values: SM },
    // A user-written selector is where a selection finding belongs.
    truthy(userSel) ? { at: ['spec', 'selector'], values: [...SM, 'selector'], deep: true } : { at: ['spec', 'selector'], values: SM },
    { at: ['spec', 'endpoints'], values: SM },
  ];
  const schemeKey: ValuesPath = c.key === 'kubeEtcd' ? [...SM, 'scheme'] : [...SM, 'https'];
  // The port name is rarely the problem: a finding on it is about the scheme unless the user wrote the name.
  // When the scheme is the default, the user-written cause is the port (kubeEtcd.service.port: 2379).
  fields.push({
    at: ['spec', 'endpoints', 0, 'port'],
    values: () => [[...SM, 'port'], schemeKey, [...C, 'service', 'targetPort'], [...C, 'service', 'port']].find((p) => eff.written(p)) ?? schemeKey,
  });
  fields.push({ at: ['spec', 'endpoints', 0, 'scheme'], values: schemeKey });
  fields.push({ at: ['spec', 'endpoints', 0, 'tlsConfig'], values: schemeKey });
  fields.push({ at: ['spec', 'endpoints', 0, 'bearerTokenFile'], values: [...SM, 'bearerTokenFile'] });
  fields.push({ at: ['spec', 'endpoints', 0, 'relabelings'], values: [...SM, 'relabelings'], deep: true });
  fields.push({ at: ['spec', 'endpoints', 0, 'metricRelabelings'], values: [...SM, 'metricRelabelings'], deep: true });
  if (c.key === 'kubeEtcd') {
    const bt = x.since('81.2.4') ? g('bearerTokenFile') : SA_TOKEN;
    if (truthy(bt)) ep.bearerTokenFile = bt;
    if (g('scheme') === 'https') {
      ep.scheme = 'https';
      const tls: Obj = {};
      for (const k of ['serverName', 'caFile', 'certFile', 'keyFile']) {
        if (truthy(g(k))) tls[k] = g(k);
        fields.push({ at: ['spec', 'endpoints', 0, 'tlsConfig', k], values: [...SM, k] });
      }
      tls.insecureSkipVerify = g('insecureSkipVerify') ?? false;
      fields.push({ at: ['spec', 'endpoints', 0, 'tlsConfig', 'insecureSkipVerify'], values: [...SM, 'insecureSkipVerify'] });
      ep.tlsConfig = tls;
    }
  } else if (c.key === 'coreDns') {
    const bt = x.since('81.2.4') ? g('bearerTokenFile') : SA_TOKEN;
    if (truthy(bt)) ep.bearerTokenFile = bt;
  } else if (c.key === 'kubeProxy') {
    const bt = x.since('81.2.4') ? g('bearerTokenFile') : SA_TOKEN;
    if (truthy(bt)) ep.bearerTokenFile = bt;
    if (truthy(g('https'))) {
      ep.scheme = 'https';
      ep.tlsConfig = { caFile: SA_CA };
    }
  } else {
    const https = g('https');
    const isHttps = https === null || https === undefined ? x.secure : String(https) === 'true';
    ep.bearerTokenFile = SA_TOKEN;
    if (isHttps) {
      ep.scheme = 'https';
      const isv = g('insecureSkipVerify');
      const tls: Obj = { caFile: SA_CA };
      if (isv === null || isv === undefined ? x.secure : String(isv) === 'true') tls.insecureSkipVerify = true;
      if (truthy(g('serverName'))) tls.serverName = g('serverName');
      ep.tlsConfig = tls;
      fields.push({ at: ['spec', 'endpoints', 0, 'tlsConfig', 'insecureSkipVerify'], values: [...SM, 'insecureSkipVerify'] });
      fields.push({ at: ['spec', 'endpoints', 0, 'tlsConfig', 'serverName'], values: [...SM, 'serverName'] });
    }
  }
  if (truthy(g('relabelings'))) ep.relabelings = tpl(g('relabelings'), r);
  if (truthy(g('metricRelabelings'))) ep.metricRelabelings = tpl(g('metricRelabelings'), r);
  const jobLabel = x.since('56.14.0') && typeof g('jobLabel') === 'string' ? g('jobLabel') : 'jobLabel';
  const spec: Obj = {
    jobLabel,
    selector: truthy(userSel) ? tpl(userSel, r) : { matchLabels: { app: x.app, release: r.release } },
    namespaceSelector: { matchNames: ['kube-system'] },
    endpoints: [ep],
  };
  const ignoreNs = truthy(eff.get(['prometheus', 'prometheusSpec', 'ignoreNamespaceSelectors']));
  const ns = ignoreNs && x.since('55.5.2') ? 'kube-system' : n.promNs;
  const labels = { app: x.app, ...stringMap(g('additionalLabels')), ...n.common };
  return resource(r, 'ServiceMonitor', 'monitoring.coreos.com/v1', x.name, ns, labels, { spec }, locator(eff, fields, SM), file);
}

/**
 * kubeDns (templates/exporters/kube-dns/{service,servicemonitor}.yaml), the alternative to coreDns:
 * switched by `kubeDns.enabled` alone (default false; no service/serviceMonitor switches, no
 * endpoints mode). One headless Service with two ports whose names are fixed
 * (`http-metrics-dnsmasq` from `service.dnsmasq`, `http-metrics-skydns` from `service.skydns`), and
 * one ServiceMonitor with an endpoint on each (`dnsmasq*Relabelings` for the first), plain http.
 */
const KUBE_DNS_PORTS = [
  { key: 'dnsmasq', name: 'http-metrics-dnsmasq', relabelings: 'dnsmasqRelabelings', metricRelabelings: 'dnsmasqMetricRelabelings' },
  { key: 'skydns', name: 'http-metrics-skydns', relabelings: 'relabelings', metricRelabelings: 'metricRelabelings' },
] as const;

function kubeDns(eff: EffectiveValues, r: Release, n: Names, file: string): Resource[] {
  const C = ['kubeDns'];
  const S = [...C, 'service'];
  const SM = [...C, 'serviceMonitor'];
  if (!truthy(eff.get([...C, 'enabled'])) || !truthy(eff.get(['kubernetesServiceMonitors', 'enabled']))) return [];
  const legacy = parseVersion(r.version)?.legacy ?? false;
  const since = (min: string) => !legacy && atLeast(r.version, min);
  const name = `${n.fullname}-kube-dns`;
  const app = `${n.name}-kube-dns`;
  const out: Resource[] = [];

  // The Service: always rendered with the component; the selector is always set.
  const userSel = eff.get([...S, 'selector']);
  const svcFields: Field[] = [
    { at: ['metadata'], values: S },
    { at: ['spec', 'ports'], values: S },
    { at: ['spec', 'selector'], values: truthy(userSel) ? [...S, 'selector'] : S, deep: truthy(userSel) },
  ];
  const ports = KUBE_DNS_PORTS.map((p, i) => {
    svcFields.push({ at: ['spec', 'ports', i], values: [...S, p.key] });
    svcFields.push({ at: ['spec', 'ports', i, 'port'], values: [...S, p.key, 'port'] });
    svcFields.push({ at: ['spec', 'ports', i, 'targetPort'], values: [...S, p.key, 'targetPort'] });
    return { name: p.name, port: eff.get([...S, p.key, 'port']), protocol: 'TCP', targetPort: eff.get([...S, p.key, 'targetPort']) };
  });
  const spec: Obj = { clusterIP: 'None', ports, selector: truthy(userSel) ? tpl(userSel, r) : { 'k8s-app': 'kube-dns' }, type: 'ClusterIP' };
  out.push(resource(r, 'Service', 'v1', name, 'kube-system', { app, jobLabel: 'kube-dns', ...n.common }, { spec }, locator(eff, svcFields, S), file));

  // The ServiceMonitor.
  const g = (...p: string[]) => eff.get([...SM, ...p]);
  const smSel = since('56.14.0') ? g('selector') : undefined;
  const fields: Field[] = [
    { at: ['metadata'], values: SM },
    { at: ['spec'], values: SM },
    truthy(smSel) ? { at: ['spec', 'selector'], values: [...SM, 'selector'], deep: true } : { at: ['spec', 'selector'], values: SM },
    { at: ['spec', 'endpoints'], values: SM },
  ];
  const bt = since('81.2.4') ? g('bearerTokenFile') : SA_TOKEN;
  const endpoints = KUBE_DNS_PORTS.map((p, i) => {
    const ep: Obj = { port: p.name };
    if (truthy(g('interval'))) ep.interval = g('interval');
    if (truthy(bt)) ep.bearerTokenFile = bt;
    if (truthy(g('proxyUrl'))) ep.proxyUrl = g('proxyUrl');
    if (truthy(g(p.metricRelabelings))) ep.metricRelabelings = tpl(g(p.metricRelabelings), r);
    if (truthy(g(p.relabelings))) ep.relabelings = tpl(g(p.relabelings), r);
    // The port name is fixed: a finding on it is about the Service port the user wrote, if any.
    const portPaths: ValuesPath[] = [[...S, p.key, 'targetPort'], [...S, p.key, 'port'], [...S, p.key]];
    fields.push({ at: ['spec', 'endpoints', i], values: SM });
    fields.push({ at: ['spec', 'endpoints', i, 'port'], values: () => portPaths.find((x) => eff.written(x)) ?? [...S, p.key, 'port'] });
    fields.push({ at: ['spec', 'endpoints', i, 'interval'], values: [...SM, 'interval'] });
    fields.push({ at: ['spec', 'endpoints', i, 'bearerTokenFile'], values: [...SM, 'bearerTokenFile'] });
    fields.push({ at: ['spec', 'endpoints', i, 'proxyUrl'], values: [...SM, 'proxyUrl'] });
    fields.push({ at: ['spec', 'endpoints', i, 'relabelings'], values: [...SM, p.relabelings], deep: true });
    fields.push({ at: ['spec', 'endpoints', i, 'metricRelabelings'], values: [...SM, p.metricRelabelings], deep: true });
    return ep;
  });
  const smSpec: Obj = {
    jobLabel: since('56.14.0') && typeof g('jobLabel') === 'string' ? g('jobLabel') : 'jobLabel',
    selector: truthy(smSel) ? tpl(smSel, r) : { matchLabels: { app, release: r.release } },
    namespaceSelector: { matchNames: ['kube-system'] },
    endpoints,
  };
  const ignoreNs = truthy(eff.get(['prometheus', 'prometheusSpec', 'ignoreNamespaceSelectors']));
  const ns = ignoreNs && since('55.5.2') ? 'kube-system' : n.promNs;
  const labels = { app, ...stringMap(g('additionalLabels')), ...n.common };
  out.push(resource(r, 'ServiceMonitor', 'monitoring.coreos.com/v1', name, ns, labels, { spec: smSpec }, locator(eff, fields, SM), file));
  return out;
}

/** The kubelet ServiceMonitor (templates/exporters/kubelet/servicemonitor.yaml); the operator creates the Service. */
function kubelet(eff: EffectiveValues, r: Release, n: Names, file: string): Resource | undefined {
  const K = ['kubelet'];
  const SM = [...K, 'serviceMonitor'];
  const g = (...p: string[]) => eff.get([...SM, ...p]);
  if (!truthy(eff.get([...K, 'enabled'])) || !truthy(g('enabled')) || !truthy(eff.get(['kubernetesServiceMonitors', 'enabled']))) return undefined;
  const https = truthy(g('https'));
  const scheme = https ? 'https' : 'http';
  const legacy = parseVersion(r.version)?.legacy ?? false;
  const isv = !legacy && atLeast(r.version, '58.4.1') ? g('insecureSkipVerify') : true;
  const auth: Obj = https ? { tlsConfig: { caFile: SA_CA, insecureSkipVerify: isv === true || String(isv) === 'true' }, bearerTokenFile: SA_TOKEN } : {};
  const endpoints: Obj[] = [];
  const fields: Field[] = [
    { at: ['metadata'], values: SM },
    { at: ['spec'], values: SM },
  ];
  const add = (switchKey: string, extra: Obj, intervalKey?: string) => {
    if (!truthy(g(switchKey))) return;
    const i = endpoints.length;
    const ep: Obj = { port: `${scheme}-metrics`, scheme, ...extra, ...clone(auth), honorLabels: g('honorLabels') ?? true };
    const interval = intervalKey ? g(intervalKey) : g('interval');
    if (truthy(interval)) ep.interval = interval;
    endpoints.push(ep);
    fields.push({ at: ['spec', 'endpoints', i], values: [...SM, switchKey] });
    fields.push({ at: ['spec', 'endpoints', i, 'scheme'], values: [...SM, 'https'] });
    fields.push({ at: ['spec', 'endpoints', i, 'port'], values: [...SM, 'https'] });
    fields.push({ at: ['spec', 'endpoints', i, 'tlsConfig'], values: [...SM, 'https'] });
    fields.push({ at: ['spec', 'endpoints', i, 'tlsConfig', 'insecureSkipVerify'], values: [...SM, 'insecureSkipVerify'] });
    fields.push({ at: ['spec', 'endpoints', i, 'bearerTokenFile'], values: [...SM, 'https'] });
  };
  add('kubelet', {});
  add('cAdvisor', { path: '/metrics/cadvisor' }, 'cAdvisorInterval');
  add('probes', { path: '/metrics/probes' });
  add('resource', { path: typeof g('resourcePath') === 'string' ? g('resourcePath') : '/metrics/resource' }, 'resourceInterval');
  if (endpoints.length === 0) return undefined;
  const ns = typeof eff.get([...K, 'namespace']) === 'string' ? (eff.get([...K, 'namespace']) as string) : 'kube-system';
  const ignoreNs = truthy(eff.get(['prometheus', 'prometheusSpec', 'ignoreNamespaceSelectors']));
  const spec: Obj = {
    jobLabel: 'k8s-app',
    namespaceSelector: { matchNames: [ns] },
    selector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' } },
    endpoints,
  };
  const labels = { app: `${n.name}-kubelet`, ...stringMap(g('additionalLabels')), ...n.common };
  return resource(r, 'ServiceMonitor', 'monitoring.coreos.com/v1', `${n.fullname}-kubelet`, ignoreNs ? ns : n.promNs, labels, { spec }, locator(eff, fields, SM), file);
}

/** The API server ServiceMonitor (templates/exporters/kube-api-server/servicemonitor.yaml): the target is default/kubernetes. */
function apiServer(eff: EffectiveValues, r: Release, n: Names, file: string): Resource | undefined {
  const A = ['kubeApiServer'];
  const SM = [...A, 'serviceMonitor'];
  const g = (...p: string[]) => eff.get([...SM, ...p]);
  const legacy = parseVersion(r.version)?.legacy ?? false;
  const since14 = !legacy && atLeast(r.version, '14.4.0');
  if (!truthy(eff.get([...A, 'enabled'])) || (since14 && g('enabled') === false) || !truthy(eff.get(['kubernetesServiceMonitors', 'enabled']))) return undefined;
  const tls: Obj = { caFile: SA_CA };
  const tc = eff.get([...A, 'tlsConfig']);
  if (tc && typeof tc === 'object') {
    const t = tc as Obj;
    if (truthy(t.serverName)) tls.serverName = t.serverName;
    tls.insecureSkipVerify = t.insecureSkipVerify === true;
  }
  const ep: Obj = { port: 'https', scheme: 'https', bearerTokenFile: SA_TOKEN, tlsConfig: tls };
  if (truthy(g('interval'))) ep.interval = g('interval');
  const sel = g('selector');
  const spec: Obj = {
    jobLabel: typeof g('jobLabel') === 'string' ? g('jobLabel') : 'component',
    namespaceSelector: { matchNames: ['default'] },
    selector: truthy(sel) ? tpl(sel, r) : { matchLabels: { component: 'apiserver', provider: 'kubernetes' } },
    endpoints: [ep],
  };
  const fields: Field[] = [
    { at: ['metadata'], values: SM },
    { at: ['spec'], values: SM },
    { at: ['spec', 'selector'], values: [...SM, 'selector'], deep: true },
    { at: ['spec', 'endpoints', 0, 'tlsConfig'], values: [...A, 'tlsConfig'], deep: true },
  ];
  const ignoreNs = truthy(eff.get(['prometheus', 'prometheusSpec', 'ignoreNamespaceSelectors']));
  const labels = { app: `${n.name}-apiserver`, ...stringMap(g('additionalLabels')), ...n.common };
  return resource(r, 'ServiceMonitor', 'monitoring.coreos.com/v1', `${n.fullname}-apiserver`, ignoreNs && !legacy && atLeast(r.version, '55.5.2') ? 'default' : n.promNs, labels, { spec }, locator(eff, fields, SM), file);
}

/**
 * `prometheus.additionalServiceMonitors` / `additionalPodMonitors`: one monitor per item, in the
 * release namespace, with the chart's labels (so `release`) plus `additionalLabels`; the item's
 * fields are copied into the spec.
 */
function additionalMonitors(eff: EffectiveValues, r: Release, n: Names, file: string): Resource[] {
  const out: Resource[] = [];
  if (!truthy(eff.get(['prometheus', 'enabled']))) return out;
  for (const [key, kind, epKey] of [
    ['additionalServiceMonitors', 'ServiceMonitor', 'endpoints'],
    ['additionalPodMonitors', 'PodMonitor', 'podMetricsEndpoints'],
  ] as const) {
    const list = eff.get(['prometheus', key]);
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i: number) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return;
      const it = item as Obj;
      if (typeof it.name !== 'string' || it.name === '') return;
      const base = ['prometheus', key, i];
      const spec: Obj = {};
      for (const f of [epKey, 'jobLabel', 'namespaceSelector', 'selector', 'targetLabels', 'podTargetLabels', 'sampleLimit', 'targetLimit', 'attachMetadata']) {
        if (it[f] !== undefined && it[f] !== null) spec[f] = tpl(it[f], r);
      }
      const labels = { app: `${n.name}-prometheus`, ...n.common, ...stringMap(it.additionalLabels) };
      const fields: Field[] = [
        { at: ['metadata'], values: base },
        { at: ['metadata', 'labels'], values: [...base, 'additionalLabels'] },
        { at: ['spec'], values: base, deep: true },
      ];
      out.push(resource(r, kind, 'monitoring.coreos.com/v1', it.name, n.promNs, labels, { spec }, locator(eff, fields, base), file));
    });
  }
  return out;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Everything the release would render for the wiring scrapelint checks. */
export function synthesize(r: Release): { resources: Resource[]; effective: EffectiveValues } {
  const eff = new EffectiveValues(r);
  const n = names(eff, r);
  const file = r.layers[r.layers.length - 1]?.file ?? r.anchor.file;
  const out: Resource[] = [];
  const p = prometheus(eff, r, n, file);
  if (p) out.push(p);
  out.push(...components(eff, r, n, file));
  out.push(...kubeDns(eff, r, n, file));
  const k = kubelet(eff, r, n, file);
  if (k) out.push(k);
  const a = apiServer(eff, r, n, file);
  if (a) out.push(a);
  pushAll(out, additionalMonitors(eff, r, n, file));
  return { resources: out, effective: eff };
}

/**
 * Is the field at `path` of a synthesized object the chart's default rather than something the
 * user wrote? For rules that want to stay quiet about the chart's own choices.
 */
export function fromChartDefault(r: Resource, path: NodePath): boolean {
  return r.annotations[SYNTH_ANNOTATION] === 'helm-values' && (r.locate(path).template?.startsWith('chart default ') ?? false);
}
