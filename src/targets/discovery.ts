/**
 * The offline equivalent of Prometheus' Status > Targets page: for every Prometheus, the
 * monitors it selects, the endpoints each monitor endpoint resolves to, and where a chain breaks.
 * Follows the operator's config generation (pkg/prometheus/promcfg.go) and Prometheus' endpoint
 * discovery (discovery/kubernetes/endpoints.go): see ../shared/design/domain.md §1-§2.
 */
import type { PodTemplate, ResourceGraph } from '../model/graph.js';
import type { Location } from '../model/location.js';
import { type Obj, type Resource, asArray, isObj } from '../model/resource.js';
import type { LabelSelector } from '../model/selector.js';
import type { Selection } from './selection.js';
import { scrapeJobs } from '../sources/prometheus-config/model.js';
import { scrapeJobView } from '../sources/prometheus-config/targets.js';
import { containerPorts, monitorNamespaces, serviceSelector, servicePorts, manualEndpoints } from './services.js';
import { operatorPods } from './reverse.js';
import { mapSelectorMatches } from '../model/selector.js';

/** One endpoint port Prometheus would see on a Service: a name, a number (when known), where from. */
interface EndpointPort {
  name: string;
  number: number | undefined;
  /** IP addresses from hand-written Endpoints/EndpointSlices; undefined = pod IPs. */
  addresses: string[] | undefined;
  pod?: PodTemplate;
  /** A custom resource whose pods the operator creates (Prometheus, Alertmanager...). */
  operatorOwner?: Resource;
  /** The hand-written object the port comes from. */
  source?: Resource;
}

/** Container ports of the pods the operator creates, by port name. */
const OPERATOR_POD_PORTS: Record<string, Record<string, number>> = {
  Prometheus: { web: 9090, 'reloader-web': 8080 },
  PrometheusAgent: { web: 9090, 'reloader-web': 8080 },
  Alertmanager: { web: 9093, 'reloader-web': 8080, 'mesh-tcp': 9094 },
  ThanosRuler: { web: 10902, grpc: 10901, 'reloader-web': 8080 },
};

export interface Target {
  /** `ip:port`, or `<Kind ns/name>:port` for pods whose IPs are only known at run time. */
  address: string;
  scheme: string;
  path: string;
  port: number | undefined;
  portName: string;
  /** The label set the operator gives the target (before user relabelings). */
  labels: Record<string, string>;
  service?: Resource;
  pod?: PodTemplate;
}

export interface Broken {
  reason: string;
  at: Location;
}

/** One scrape job: a monitor endpoint as one Prometheus sees it. */
export interface Job {
  name: string;
  monitor: Resource;
  /** Index of the endpoint in the monitor (spec.endpoints / podMetricsEndpoints). */
  endpoint: number;
  scheme: string;
  path: string;
  tls: Record<string, unknown>;
  targets: Target[];
  /** Why there is no target (empty when targets exist). */
  broken: Broken[];
  /** The scope does not hold what would decide (pods, Services): targets are a sketch. */
  partial?: string;
}

export interface PrometheusView {
  prometheus: Resource;
  monitors: Resource[];
  jobs: Job[];
}

export interface TargetsReport {
  prometheuses: PrometheusView[];
  /** Raw scrape jobs (prometheus.yml) that no operator Prometheus in scope loads. */
  rawJobs?: Job[];
  /** Monitors that no Prometheus in scope selects. */
  unselected: Resource[];
}

/** The namespaces a monitor's job looks in, for one Prometheus (ignoreNamespaceSelectors = own namespace). */
function jobNamespaces(graph: ResourceGraph, prom: Resource, m: Resource): string[] {
  const promSpec = isObj(prom.body.spec) ? prom.body.spec : {};
  const ns = promSpec.ignoreNamespaceSelectors === true ? [m.namespace ?? ''] : monitorNamespaces(m);
  return ns === 'all' ? [...graph.namespaces()] : ns;
}

/** An empty job for endpoint `i` of a ServiceMonitor or PodMonitor, named as the operator names it. */
function newJob(prefix: 'serviceMonitor' | 'podMonitor', m: Resource, ep: Obj, i: number): Job {
  return {
    name: `${prefix}/${m.namespace}/${m.name}/${i}`,
    monitor: m,
    endpoint: i,
    scheme: schemeOf(ep),
    path: typeof ep.path === 'string' ? ep.path : '/metrics',
    tls: isObj(ep.tlsConfig) ? ep.tlsConfig : {},
    targets: [],
    broken: [],
  };
}

function schemeOf(ep: Obj): string {
  return typeof ep.scheme === 'string' ? ep.scheme.toLowerCase() : 'http';
}

/** The ports Prometheus discovers for a Service, as Endpoints (or EndpointSlices) would list them. */
function endpointPorts(graph: ResourceGraph, svc: Resource): { ports: EndpointPort[]; partial?: string } {
  const sel = serviceSelector(svc);
  if (!sel) {
    const { endpoints, slices } = manualEndpoints(graph, svc);
    const out: EndpointPort[] = [];
    if (endpoints) {
      for (const subset of asArray(endpoints.body.subsets)) {
        const addrs = asArray(subset.addresses).map((a) => String(a.ip ?? a.hostname ?? '?'));
        for (const p of asArray(subset.ports)) {
          out.push({ name: String(p.name ?? ''), number: typeof p.port === 'number' ? p.port : undefined, addresses: addrs, source: endpoints });
        }
      }
    }
    for (const slice of slices) {
      const addrs = asArray(slice.body.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
      for (const p of asArray(slice.body.ports)) {
        out.push({ name: String(p.name ?? ''), number: typeof p.port === 'number' ? p.port : undefined, addresses: addrs, source: slice });
      }
    }
    if (!endpoints && slices.length === 0) return { ports: [], partial: `${svc.ref} has no selector and the scope holds no Endpoints for it` };
    return { ports: out };
  }
  const pods = graph.podsForServiceSelector(svc.namespace ?? '', sel);
  const out: EndpointPort[] = [];
  if (pods.length === 0) {
    // Pods the operator creates for its own resources: their ports are known by name.
    const owners = operatorPods(graph, svc.namespace ?? '').filter((p) => mapSelectorMatches(sel, p.labels));
    for (const { owner } of owners) {
      const known = OPERATOR_POD_PORTS[owner.kind] ?? {};
      for (const sp of servicePorts(svc)) {
        const tp = sp.targetPort ?? sp.port;
        const number = typeof tp === 'number' ? tp : /^\d+$/.test(String(tp)) ? Number(tp) : known[String(tp)];
        if (number === undefined) continue;
        out.push({ name: typeof sp.name === 'string' ? sp.name : '', number, addresses: undefined, operatorOwner: owner });
      }
    }
    if (out.length) return { ports: out };
  }
  for (const sp of servicePorts(svc)) {
    const name = typeof sp.name === 'string' ? sp.name : '';
    const tp = sp.targetPort ?? sp.port;
    if (pods.length === 0) {
      out.push({ name, number: typeof tp === 'number' ? tp : undefined, addresses: undefined });
      continue;
    }
    for (const pod of pods) {
      const cp = typeof tp === 'string' && !/^\d+$/.test(tp) ? containerPorts(pod).find((c) => c.name === tp) : undefined;
      if (typeof tp === 'string' && !/^\d+$/.test(tp) && !cp) continue; // a named targetPort the pod lacks: no endpoint
      out.push({ name, number: cp?.number ?? (typeof tp === 'number' ? tp : Number(tp)), addresses: undefined, pod });
    }
  }
  return pods.length === 0 ? { ports: out, partial: `no pods matching ${svc.ref}'s selector are in scope` } : { ports: out };
}

function addressesOf(p: EndpointPort): string[] {
  const port = p.number ?? '?';
  if (p.addresses) return p.addresses.map((a) => `${a}:${port}`);
  if (p.pod) return [`[${p.pod.owner.kind} ${p.pod.owner.namespace}/${p.pod.owner.name}]:${port}`];
  if (p.operatorOwner) return [`[pods of ${p.operatorOwner.kind} ${p.operatorOwner.namespace}/${p.operatorOwner.name}]:${port}`];
  return [`[pods of the Service]:${port}`];
}

function serviceMonitorJobs(graph: ResourceGraph, prom: Resource, m: Resource): Job[] {
  const spec = isObj(m.body.spec) ? m.body.spec : {};
  const namespaces = jobNamespaces(graph, prom, m);
  const services = isObj(spec.selector) ? namespaces.flatMap((n) => graph.selectLabels('Service', n, spec.selector as LabelSelector)) : [];
  const jobs: Job[] = [];
  asArray(spec.endpoints).forEach((ep, i) => {
    const job = newJob('serviceMonitor', m, ep, i);
    jobs.push(job);
    if (services.length === 0) {
      const any = namespaces.some((n) => graph.inNamespace('Service', n).length > 0);
      if (any) job.broken.push({ reason: 'the selector matches no Service', at: m.locate(['spec', 'selector']) });
      else job.partial = 'the scope holds no Service in the namespaces the monitor looks in';
      return;
    }
    const partial: string[] = [];
    const seenNames: string[] = [];
    for (const svc of services) {
      const { ports, partial: p } = endpointPorts(graph, svc);
      if (p) partial.push(p);
      for (const x of ports) seenNames.push(x.name || '(unnamed)');
      const jobLabel = typeof spec.jobLabel === 'string' ? svc.labels[spec.jobLabel] : undefined;
      for (const port of ports) {
        if (typeof ep.port === 'string') {
          if (port.name !== ep.port) continue;
        } else if (ep.targetPort !== undefined) {
          const tp = ep.targetPort;
          const decl = port.pod ? containerPorts(port.pod) : [];
          const ok = decl.some((c) => (typeof tp === 'number' ? c.number === tp && c.number === port.number : c.name === tp && c.number === port.number));
          if (!ok) continue;
        }
        for (const address of addressesOf(port)) {
          job.targets.push({
            address,
            scheme: job.scheme,
            path: job.path,
            port: port.number,
            portName: port.name,
            labels: {
              job: jobLabel ?? svc.name,
              namespace: svc.namespace ?? '',
              service: svc.name,
              endpoint: typeof ep.port === 'string' ? ep.port : String(ep.targetPort ?? port.name),
            },
            service: svc,
            ...(port.pod ? { pod: port.pod } : {}),
          });
        }
      }
    }
    if (partial.length) job.partial = partial.join('; ');
    if (job.targets.length === 0 && !job.partial) {
      const what = typeof ep.port === 'string' ? `port "${ep.port}"` : ep.targetPort !== undefined ? `targetPort ${JSON.stringify(ep.targetPort)}` : 'the endpoint';
      job.broken.push({
        reason: `${what} matches no endpoint port of ${services.map((s) => s.ref).join(', ')} (ports: ${[...new Set(seenNames)].join(', ') || 'none'})`,
        at: m.locate(['spec', 'endpoints', i, typeof ep.port === 'string' ? 'port' : 'targetPort']),
      });
    }
  });
  return jobs;
}

function podMonitorJobs(graph: ResourceGraph, prom: Resource, m: Resource): Job[] {
  const spec = isObj(m.body.spec) ? m.body.spec : {};
  const namespaces = jobNamespaces(graph, prom, m);
  const pods = isObj(spec.selector) ? namespaces.flatMap((n) => graph.podsForLabelSelector(n, spec.selector as LabelSelector)) : [];
  return asArray(spec.podMetricsEndpoints).map((ep, i) => {
    const job = newJob('podMonitor', m, ep, i);
    if (pods.length === 0) {
      const any = namespaces.some((n) => graph.podTemplatesIn(n).length > 0);
      if (any) job.broken.push({ reason: 'the selector matches no pod template', at: m.locate(['spec', 'selector']) });
      else job.partial = 'the scope holds no workload in the namespaces the monitor looks in';
      return job;
    }
    for (const pod of pods) {
      for (const c of containerPorts(pod)) {
        if (typeof ep.port === 'string' ? c.name !== ep.port : typeof ep.portNumber === 'number' ? c.number !== ep.portNumber : false) continue;
        job.targets.push({
          address: `[${pod.owner.kind} ${pod.owner.namespace}/${pod.owner.name}]:${c.number ?? "?"}`,
          scheme: job.scheme,
          path: job.path,
          port: c.number,
          portName: c.name ?? '',
          labels: {
            job: `${m.namespace}/${m.name}`,
            namespace: pod.namespace,
            ...(typeof spec.jobLabel === 'string' && pod.labels[spec.jobLabel] ? { job: pod.labels[spec.jobLabel]! } : {}),
            endpoint: typeof ep.port === 'string' ? ep.port : String(ep.portNumber ?? c.name ?? ''),
          },
          pod,
        });
      }
    }
    if (job.targets.length === 0) {
      job.broken.push({
        reason: `port ${JSON.stringify(ep.port ?? ep.portNumber)} is not a container port of ${pods.map((p) => p.owner.ref).join(', ')}`,
        at: m.locate(['spec', 'podMetricsEndpoints', i, ep.port !== undefined ? 'port' : 'portNumber']),
      });
    }
    return job;
  });
}

function staticJobs(m: Resource): Job[] {
  const spec = isObj(m.body.spec) ? m.body.spec : {};
  if (m.kind === 'Probe') {
    const statics = isObj(spec.targets) && isObj(spec.targets.staticConfig) ? asArray([spec.targets.staticConfig]) : [];
    const prober = isObj(spec.prober) ? spec.prober : {};
    return [
      {
        name: `probe/${m.namespace}/${m.name}`,
        monitor: m,
        endpoint: 0,
        scheme: typeof prober.scheme === 'string' ? prober.scheme : 'http',
        path: typeof prober.path === 'string' ? prober.path : '/probe',
        tls: {},
        targets: statics.flatMap((s) =>
          (Array.isArray(s.static) ? s.static : []).map((t: unknown) => ({
            address: String(prober.url ?? '?'),
            scheme: 'http',
            path: '/probe',
            port: undefined,
            portName: '',
            labels: { job: `probe/${m.namespace}/${m.name}`, target: String(t), module: String(spec.module ?? 'http_2xx') },
          })),
        ),
        broken: [],
        ...(statics.length === 0 ? { partial: 'ingress targets are not resolved' } : {}),
      },
    ];
  }
  // ScrapeConfig: static targets only.
  return asArray(spec.staticConfigs).map((sc, i) => ({
    name: `scrapeConfig/${m.namespace}/${m.name}`,
    monitor: m,
    endpoint: i,
    scheme: typeof spec.scheme === 'string' ? spec.scheme.toLowerCase() : 'http',
    path: typeof spec.metricsPath === 'string' ? spec.metricsPath : '/metrics',
    tls: isObj(spec.tlsConfig) ? spec.tlsConfig : {},
    targets: (Array.isArray(sc.targets) ? sc.targets : []).map((t: unknown) => ({
      address: String(t),
      scheme: 'http',
      path: '/metrics',
      port: undefined,
      portName: '',
      labels: { job: `scrapeConfig/${m.namespace}/${m.name}` },
    })),
    broken: [],
  }));
}

/** Builds the whole report. Cost: linear in the selected monitors and their Services/pods. */
export function discoverTargets(graph: ResourceGraph, selection: Selection): TargetsReport {
  const byProm = new Map<Resource, Resource[]>();
  const unselected: Resource[] = [];
  for (const kind of ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig']) {
    for (const m of graph.byKind(kind)) {
      const proms = selection.selecting(m);
      if (proms.length === 0) unselected.push(m);
      for (const p of proms) {
        const list = byProm.get(p);
        if (list) list.push(m);
        else byProm.set(p, [m]);
      }
    }
  }
  const prometheuses = selection.prometheuses.map((prometheus) => {
    const monitors = byProm.get(prometheus) ?? [];
    const jobs = monitors.flatMap((m) =>
      m.kind === 'ServiceMonitor'
        ? serviceMonitorJobs(graph, prometheus, m)
        : m.kind === 'PodMonitor'
          ? podMonitorJobs(graph, prometheus, m)
          : staticJobs(m),
    );
    return { prometheus, monitors, jobs };
  });
  // Raw scrape configuration: under the Prometheus that loads it (additionalScrapeConfigs, ScrapeConfig), else on its own.
  const rawJobs: Job[] = [];
  for (const sj of scrapeJobs(graph.byKind('ScrapeJob'))) {
    const job = scrapeJobView(graph, sj);
    const views = prometheuses.filter((v) =>
      sj.body.prometheus
        ? `${v.prometheus.namespace}/${v.prometheus.name}` === sj.body.prometheus
        : sj.body.scrapeConfig !== undefined && v.monitors.some((m) => m.kind === 'ScrapeConfig' && `${m.namespace}/${m.name}` === sj.body.scrapeConfig),
    );
    for (const v of views) v.jobs.push(job);
    if (views.length === 0 && !sj.body.scrapeConfig && !sj.body.prometheus) rawJobs.push(job);
  }
  return { prometheuses, unselected, ...(rawJobs.length ? { rawJobs } : {}) };
}
