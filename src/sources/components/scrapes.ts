/**
 * What scrapes a control-plane component: ServiceMonitor endpoints resolved through their
 * Services (and hand-written Endpoints) to a port number, and raw scrape jobs' targets. A scrape
 * belongs to a component when the Service selects that component's Pods, or when the names and
 * labels on both sides name the component and the port is one of the component's own ports (a
 * proxy port such as 2378 or 18443 is not the component). Used by the control-plane rules.
 */
import type { ResourceGraph } from '../../model/graph.js';
import type { Location } from '../../model/location.js';
import { type Obj, type Resource, asArray, isObj } from '../../model/resource.js';
import type { TargetModel } from '../../targets/model.js';
import { containerPorts, resolveServicePort, selectsClusterProvidedService, serviceSelector } from '../../targets/services.js';
import { knownPort } from '../../targets/ports.js';
import { type ComponentConfig, type ComponentName, VERSION_KIND, componentConfigs } from './model.js';
import { isLoopback, portOf } from './flags.js';
import { scrapeJobs } from '../prometheus-config/model.js';
import { evaluateJob } from '../prometheus-config/sd.js';

export interface ComponentScrape {
  component: ComponentName;
  port: number;
  scheme: 'http' | 'https';
  /** The ServiceMonitor or ScrapeJob. */
  scraper: Resource;
  /** "ServiceMonitor monitoring/etcd endpoint "http-metrics"" */
  what: string;
  /** Where the scraper picks the port (monitor endpoint), and its scheme. */
  at: Location;
  /** The other side: the Service port / Endpoints / target that gives the number. */
  portAt: Location;
  portWhere: string;
  /** A client certificate is configured (tlsConfig certFile/keyFile, cert/keySecret). */
  clientCert: boolean;
  /** Target addresses are loopback (a host-network Prometheus scraping 127.0.0.1). */
  loopbackTarget: boolean;
}

/** Ports each component serves itself (anything else on a component-named Service is a proxy or unknown). */
const OWN_PORTS: Record<number, ComponentName> = {
  10251: 'kube-scheduler', 10259: 'kube-scheduler',
  10252: 'kube-controller-manager', 10257: 'kube-controller-manager',
  2379: 'etcd', 2381: 'etcd',
  10249: 'kube-proxy',
  10250: 'kubelet', 10255: 'kubelet',
};

/**
 * Cheap pre-check before resolving ports: a Service with a selector whose ports name no component
 * port (numeric targetPort, or port without targetPort) and no named targetPort cannot reach one.
 */
function mayServeComponentPort(graph: ResourceGraph, svc: Resource): boolean {
  if (!serviceSelector(svc)) return true; // hand-written Endpoints decide
  return asArray(isObj(svc.body.spec) ? svc.body.spec.ports : undefined).some((p) => {
    const tp = p.targetPort ?? p.port;
    if (typeof tp === 'string' && !/^\d+$/.test(tp)) return namedComponentPorts(graph).get(svc.namespace ?? '')?.has(tp) === true;
    return OWN_PORTS[Number(tp)] !== undefined;
  });
}

const namedPortsCache = new WeakMap<ResourceGraph, Map<string, Set<string>>>();

/** Namespace -> names of the named container ports whose number is a component's own port. */
function namedComponentPorts(graph: ResourceGraph): Map<string, Set<string>> {
  let byNs = namedPortsCache.get(graph);
  if (byNs) return byNs;
  byNs = new Map();
  for (const ns of graph.namespaces()) {
    for (const pod of graph.podTemplatesIn(ns)) {
      for (const c of containerPorts(pod)) {
        if (c.name === undefined || c.number === undefined || !OWN_PORTS[c.number]) continue;
        let names = byNs.get(ns);
        if (!names) byNs.set(ns, (names = new Set()));
        names.add(c.name);
      }
    }
  }
  namedPortsCache.set(graph, byNs);
  return byNs;
}

/** Does a relabeling rewrite the address or scheme, or does a proxy URL stand in between? */
function indirect(ep: Obj): boolean {
  if (typeof ep.proxyUrl === 'string' && ep.proxyUrl !== '') return true;
  return asArray(ep.relabelings).some((r) => r.targetLabel === '__address__');
}

function hasClientCert(tls: unknown): boolean {
  if (!isObj(tls)) return false;
  const cert = typeof tls.certFile === 'string' || isObj(tls.cert);
  const key = typeof tls.keyFile === 'string' || isObj(tls.keySecret);
  return cert && key;
}

/** The component a pod template runs, from its labels or its container's binary. */
function podComponentName(labels: Record<string, string>, spec: Obj): ComponentName | undefined {
  const names: ComponentName[] = ['kube-scheduler', 'kube-controller-manager', 'etcd', 'kube-proxy', 'kube-apiserver'];
  const byLabel = names.find((n) => labels.component === n || labels['k8s-app'] === n || labels['app.kubernetes.io/name'] === n);
  if (byLabel) return byLabel;
  for (const c of asArray(spec.containers)) {
    const cmd = Array.isArray(c.command) ? String(c.command[0] ?? '') : '';
    const bin = cmd.split(/[\\/]/).pop()!.split(/\s/)[0];
    const hit = names.find((n) => bin === n);
    if (hit) return hit;
  }
  return undefined;
}

const cache = new WeakMap<ResourceGraph, ComponentScrape[]>();

/** Every scrape of a known component port that the scope shows (ServiceMonitors and ScrapeJobs). */
export function componentScrapes(graph: ResourceGraph, targets: TargetModel): ComponentScrape[] {
  const hit = cache.get(graph);
  if (hit) return hit;
  const out: ComponentScrape[] = [];
  for (const m of graph.byKind('ServiceMonitor')) {
    const spec = isObj(m.body.spec) ? m.body.spec : {};
    const services = targets.servicesFor(m);
    asArray(spec.endpoints).forEach((ep, i) => {
      if (indirect(ep)) return;
      const scheme = typeof ep.scheme === 'string' && ep.scheme.toLowerCase() === 'https' ? 'https' : 'http';
      // Locations cost a YAML parse of the document: computed only when a rule reports.
      const at = () => m.locate(['spec', 'endpoints', i, typeof ep.port === 'string' ? 'port' : 'targetPort']);
      // Built for the few endpoints that scrape a component, not for every endpoint of the scope.
      const what = () => `${m.ref} endpoint ${typeof ep.port === 'string' ? `"${ep.port}"` : i}`;
      const clientCert = () => hasClientCert(ep.tlsConfig);
      if (services.length === 0 && typeof ep.port === 'string' && selectsClusterProvidedService(spec.selector)) {
        // The operator-maintained kubelet Service is never in a repository: its ports are known.
        const ml = isObj(spec.selector) && isObj(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
        if (ml['k8s-app'] !== 'kubelet' && ml['app.kubernetes.io/name'] !== 'kubelet') return;
        const port = ep.port === 'https-metrics' ? 10250 : ep.port === 'http-metrics' ? 10255 : undefined;
        if (port) {
          out.push({ component: 'kubelet', port, scheme, scraper: m, what: what(), get at() { return at(); }, get portAt() { return m.locate(['spec', 'selector']); }, portWhere: `port "${ep.port}" of the kubelet Service the operator maintains (${port})`, clientCert: clientCert(), loopbackTarget: false });
        }
        return;
      }
      if (typeof ep.port !== 'string') return;
      for (const svc of services) {
        if (!mayServeComponentPort(graph, svc)) continue;
        const resolved = resolveServicePort(graph, svc, ep.port);
        const n = resolved?.targetNumber;
        if (!resolved || n === undefined) continue;
        const owner = OWN_PORTS[n];
        if (!owner) continue;
        const sel = serviceSelector(svc);
        const pods = sel ? graph.podsForServiceSelector(svc.namespace ?? '', sel) : [];
        let component: ComponentName | undefined;
        if (pods.length > 0) {
          // The Service selects pods in scope: they must be the component itself, not a proxy in front of it.
          const comps = new Set(pods.map((p) => podComponentName(p.labels, p.spec)));
          if (comps.size !== 1 || !comps.has(owner)) continue;
          component = owner;
        } else {
          const evidence = [svc.name, ...Object.values(svc.labels), ...Object.values(sel ?? {}).map(String), m.name, ...Object.values(m.labels)].join(' ');
          const known = knownPort(n, evidence);
          if (!known || known.component !== owner) continue;
          component = owner;
        }
        const addrs = resolved.endpoints ? asArray(resolved.endpoints.body.subsets).flatMap((s) => asArray(s.addresses).map((a) => String(a.ip ?? ''))) : [];
        out.push({
          component,
          port: n,
          scheme,
          scraper: m,
          what: what(),
          get at() {
            return at();
          },
          get portAt() {
            return resolved.endpoints ? resolved.endpoints.locate(['subsets']) : svc.locate(resolved.index >= 0 ? ['spec', 'ports', resolved.index] : ['spec', 'ports']);
          },
          portWhere: `${resolved.numberFrom} of ${svc.ref}`,
          clientCert: clientCert(),
          loopbackTarget: addrs.length > 0 && addrs.every(isLoopback),
        });
      }
    });
  }
  const fromJobs: ComponentScrape[] = [];
  for (const job of scrapeJobs(graph.byKind('ScrapeJob'))) {
    const clientCert = typeof job.body.tls.cert_file === 'string' && typeof job.body.tls.key_file === 'string';
    const what = job.ref;
    // Static targets: host:port, judged by the job's name.
    for (const t of job.body.staticTargets) {
      const port = portOf(t.address);
      const owner = port ? OWN_PORTS[port] : undefined;
      if (!port || !owner || job.body.relabel.some((r) => r.targetLabel === '__address__')) continue;
      const known = knownPort(port, job.body.jobName);
      if (!known || known.component !== owner) continue;
      const at = job.locate(['static_configs', t.group, 'targets', t.index]);
      fromJobs.push({ component: owner, port, scheme: job.body.scheme, scraper: job, what, at, portAt: at, portWhere: `static target ${t.address}`, clientCert, loopbackTarget: isLoopback(t.address) });
    }
    // Kubernetes service discovery: the targets the relabeling keeps.
    if (job.body.sd.length === 0) continue;
    const ev = evaluateJob(graph, job);
    for (const t of ev.targets) {
      if (t.outcome.result !== 'kept') continue;
      const addr = t.outcome.labels.get('__address__');
      const rewritten = job.body.relabel.some((r) => r.targetLabel === '__address__');
      if (rewritten && addr === undefined) continue;
      const port = rewritten ? portOf(addr ?? '') : t.port;
      const owner = port ? OWN_PORTS[port] : undefined;
      if (!port || !owner) continue;
      const podComp = t.pod ? podComponentName(t.pod.labels, t.pod.spec) : undefined;
      if (t.pod && podComp !== owner) continue;
      if (!podComp) {
        const svc = t.service;
        const evidence = [job.body.jobName, ...(svc ? [svc.name, ...Object.values(svc.labels), ...Object.values(serviceSelector(svc) ?? {}).map(String)] : [])].join(' ');
        const known = knownPort(port, evidence);
        if (!known || known.component !== owner) continue;
      }
      const scheme = t.outcome.labels.get('__scheme__') === 'https' ? 'https' : 'http';
      fromJobs.push({
        component: owner,
        port,
        scheme,
        scraper: job,
        what,
        at: job.locate(['job_name']),
        portAt: t.source.locate(t.sourcePath),
        portWhere: `${t.describe}, kept by the job's relabeling`,
        clientCert,
        loopbackTarget: addr !== undefined && isLoopback(addr),
      });
    }
  }
  // One scrape per job, port and scheme: several targets of a job are one finding.
  const merged = new Map<string, ComponentScrape & { more: string[] }>();
  for (const x of fromJobs) {
    const key = `${x.scraper.name}\u0000${x.port}\u0000${x.scheme}\u0000${x.loopbackTarget}`;
    const m = merged.get(key);
    if (m) m.more.push(x.portWhere);
    else merged.set(key, { ...x, more: [] });
  }
  for (const m of merged.values()) {
    const { more, ...x } = m;
    out.push(more.length ? { ...x, portWhere: `${x.portWhere} and ${more.length} more target${more.length === 1 ? '' : 's'}` } : x);
  }
  cache.set(graph, out);
  return out;
}

/**
 * Does something in scope front this port on the node: a pod template (kube-rbac-proxy, socat,
 * haproxy, nginx...) whose arguments or mounted ConfigMaps point at `127.0.0.1:<port>` /
 * `localhost:<port>`? Then a loopback-bound component is reachable through it.
 */
const proxies = new WeakMap<ResourceGraph, Map<number, Resource | undefined>>();

export function proxyFronts(graph: ResourceGraph, port: number): Resource | undefined {
  let byPort = proxies.get(graph);
  if (!byPort) proxies.set(graph, (byPort = new Map()));
  if (byPort.has(port)) return byPort.get(port);
  const found = findProxy(graph, port);
  byPort.set(port, found);
  return found;
}

function findProxy(graph: ResourceGraph, port: number): Resource | undefined {
  const re = new RegExp(`(?:127\\.0\\.0\\.1|localhost|\\[::1\\]|::1)[:,](?:${port})(?![0-9])`);
  for (const ns of graph.namespaces()) {
    for (const pod of graph.podTemplatesIn(ns)) {
      if (podComponentName(pod.labels, pod.spec) !== undefined && !/proxy-metrics|rbac|socat|haproxy/i.test(pod.owner.name)) continue;
      const texts: string[] = [];
      for (const c of [...asArray(pod.spec.containers), ...asArray(pod.spec.initContainers)]) {
        for (const f of [c.command, c.args]) if (Array.isArray(f)) for (const x of f) texts.push(String(x));
        for (const e of asArray(c.env)) if (typeof e.value === 'string') texts.push(e.value);
      }
      for (const v of asArray(pod.spec.volumes)) {
        const name = isObj(v.configMap) ? v.configMap.name : undefined;
        const cm = typeof name === 'string' ? graph.get('ConfigMap', ns, name) : undefined;
        if (cm && isObj(cm.body.data)) for (const x of Object.values(cm.body.data)) texts.push(String(x));
      }
      if (texts.some((t) => re.test(t))) return pod.owner;
    }
  }
  return undefined;
}

/** The component facts of the scope for one component, the most exact source first. */
export function componentFacts(graph: ResourceGraph, component: ComponentName): ComponentConfig[] {
  const all = componentConfigs(graph.byKind('ComponentConfig')).filter((c) => c.body.component === component);
  // A static pod manifest (or a DaemonSet's flags) is what runs; kubeadm's config is what it would render.
  const rank = (c: ComponentConfig) => (c.body.source === 'static-pod' || c.body.source === 'kube-proxy-daemonset' ? 0 : c.body.source === 'kubeadm' ? 1 : 2);
  const best = all.reduce((m, c) => Math.min(m, rank(c)), Number.POSITIVE_INFINITY);
  return all.filter((c) => rank(c) === best);
}

/** The lowest Kubernetes version the scope proves, with its origin and location. */
export function scopeMinVersion(graph: ResourceGraph): { minor: number; exact: string | undefined; from: string; at: Location } | undefined {
  const r = graph.byKind(VERSION_KIND)[0];
  if (!r || r.body.major !== 1) return undefined;
  return { minor: Number(r.body.minor), exact: r.body.exact as string | undefined, from: String(r.body.from), at: r.locate([]) };
}

/** Every fact source agrees on the value (several nodes, several files): else stay quiet. */
export function agreed<T>(facts: readonly ComponentConfig[], pick: (c: ComponentConfig) => T | undefined): { value: T; from: ComponentConfig } | undefined {
  const values = facts.map(pick);
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  const key = JSON.stringify(values[0]);
  if (!values.every((v) => JSON.stringify(v) === key)) return undefined;
  return { value: values[0]!, from: facts[0]! };
}
