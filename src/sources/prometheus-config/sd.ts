/**
 * Kubernetes service discovery of raw scrape jobs, evaluated against the scope: the
 * `__meta_kubernetes_*` labels Prometheus would give the targets of the scope's Services,
 * Endpoints and pods (discovery/kubernetes/{endpoints,endpointslice,service,pod}.go), then the
 * job's relabel_configs. Values only the cluster knows (pod IPs and names, node names) are
 * unknown, and a rule that reads one makes the outcome unknown.
 */
import { pushAll } from '../../model/arrays.js';
import type { PodTemplate, ResourceGraph } from '../../model/graph.js';
import type { NodePath } from '../../model/location.js';
import { type Obj, type Resource, asArray, isObj } from '../../model/resource.js';
import { containerPorts, manualEndpoints, serviceSelector, servicePorts } from '../../targets/services.js';
import { type Labels, type RelabelOutcome, markUnknownPrefix, relabel } from './relabel.js';
import type { ScrapeJob, SdConfig } from './model.js';

export interface SdTarget {
  labels: Labels;
  /** The object the target comes from, and where (for related locations). */
  source: Resource;
  sourcePath: NodePath;
  describe: string;
  service?: Resource;
  pod?: PodTemplate;
  port?: number;
  portName?: string;
}

export interface EvaluatedTarget extends SdTarget {
  outcome: RelabelOutcome;
}

export interface JobEvaluation {
  job: ScrapeJob;
  /** Why the job cannot be evaluated (role not modelled, namespaces unknown...). */
  skipped?: string;
  /** The scope holds no candidate object in the job's namespaces. */
  empty: boolean;
  targets: EvaluatedTarget[];
}

const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9_]/g, '_');

function objectLabels(prefix: string, r: { labels: Record<string, string>; annotations: Record<string, string> }, into: Labels): void {
  for (const [k, v] of Object.entries(r.labels)) {
    into.set(`__meta_kubernetes_${prefix}_label_${sanitize(k)}`, v);
    into.set(`__meta_kubernetes_${prefix}_labelpresent_${sanitize(k)}`, 'true');
  }
  for (const [k, v] of Object.entries(r.annotations)) {
    into.set(`__meta_kubernetes_${prefix}_annotation_${sanitize(k)}`, v);
    into.set(`__meta_kubernetes_${prefix}_annotationpresent_${sanitize(k)}`, 'true');
  }
}

function podLabels(pod: PodTemplate | undefined, into: Labels): void {
  if (!pod) {
    markUnknownPrefix(into, '__meta_kubernetes_pod_');
    return;
  }
  const meta = pod.path.length === 0 ? pod.owner.body.metadata : walk(pod.owner.body, [...pod.path, 'metadata']);
  const annotations: Record<string, string> = {};
  if (isObj(meta) && isObj(meta.annotations)) for (const [k, v] of Object.entries(meta.annotations)) if (typeof v !== 'object') annotations[k] = String(v);
  objectLabels('pod', { labels: pod.labels, annotations }, into);
  if (pod.owner.kind === 'Pod') into.set('__meta_kubernetes_pod_name', pod.owner.name);
  else into.set('__meta_kubernetes_pod_name', undefined);
  const ctrl: Record<string, string> = { StatefulSet: 'StatefulSet', DaemonSet: 'DaemonSet', Job: 'Job', ReplicaSet: 'ReplicaSet' };
  if (ctrl[pod.owner.kind]) {
    into.set('__meta_kubernetes_pod_controller_kind', ctrl[pod.owner.kind]);
    into.set('__meta_kubernetes_pod_controller_name', pod.owner.name);
  } else if (pod.owner.kind === 'Deployment') {
    into.set('__meta_kubernetes_pod_controller_kind', 'ReplicaSet');
    into.set('__meta_kubernetes_pod_controller_name', undefined);
  }
  into.set('__meta_kubernetes_pod_ip', undefined);
  into.set('__meta_kubernetes_pod_node_name', undefined);
  into.set('__meta_kubernetes_pod_uid', undefined);
  into.set('__meta_kubernetes_pod_phase', 'Running');
  into.set('__meta_kubernetes_pod_ready', 'true');
}

function walk(v: unknown, path: NodePath): unknown {
  let cur = v;
  for (const seg of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Obj)[seg as string] : undefined;
  return cur;
}

function containerLabels(pod: PodTemplate, c: Obj, p: Obj | undefined, into: Labels): void {
  into.set('__meta_kubernetes_pod_container_name', String(c.name ?? ''));
  into.set('__meta_kubernetes_pod_container_image', String(c.image ?? ''));
  if (p) {
    into.set('__meta_kubernetes_pod_container_port_name', typeof p.name === 'string' ? p.name : '');
    into.set('__meta_kubernetes_pod_container_port_number', String(p.containerPort ?? ''));
    into.set('__meta_kubernetes_pod_container_port_protocol', String(p.protocol ?? 'TCP'));
  }
  into.set('__meta_kubernetes_pod_container_init', 'false');
  void pod;
}

function base(job: ScrapeJob, ns: string): Labels {
  return new Map<string, string | undefined>([
    ['job', job.body.jobName],
    ['__scheme__', job.body.scheme],
    ['__metrics_path__', job.body.metricsPath],
    ['__meta_kubernetes_namespace', ns],
  ]);
}

function serviceLabels(svc: Resource, into: Labels): void {
  into.set('__meta_kubernetes_service_name', svc.name);
  objectLabels('service', svc, into);
}

/** Candidate targets of one Service for role endpoints / endpointslice, before relabeling. */
function endpointTargets(graph: ResourceGraph, job: ScrapeJob, svc: Resource, slice: boolean): SdTarget[] {
  const ns = svc.namespace ?? '';
  const out: SdTarget[] = [];
  const portKey = slice ? '__meta_kubernetes_endpointslice_port_name' : '__meta_kubernetes_endpoint_port_name';
  const protoKey = slice ? '__meta_kubernetes_endpointslice_port_protocol' : '__meta_kubernetes_endpoint_port_protocol';
  const start = () => {
    const l = base(job, ns);
    serviceLabels(svc, l);
    if (slice) l.set('__meta_kubernetes_endpointslice_name', undefined);
    else l.set('__meta_kubernetes_endpoints_name', svc.name);
    l.set(slice ? '__meta_kubernetes_endpointslice_endpoint_conditions_ready' : '__meta_kubernetes_endpoint_ready', 'true');
    l.set('__meta_kubernetes_endpoint_node_name', undefined);
    l.set('__meta_kubernetes_endpoint_hostname', undefined);
    return l;
  };
  const sel = serviceSelector(svc);
  if (!sel) {
    const { endpoints } = manualEndpoints(graph, svc);
    if (!endpoints) {
      // The cluster's Endpoints are not in scope: port names are the Service's, the rest unknown.
      servicePorts(svc).forEach((sp, i) => {
        const l = start();
        l.set(portKey, undefined);
        l.set('__address__', undefined);
        markUnknownPrefix(l, '__meta_kubernetes_pod_');
        out.push({ labels: l, source: svc, sourcePath: ['spec', 'ports', i], describe: `${svc.ref} (its Endpoints are not in scope)`, service: svc });
      });
      return out;
    }
    asArray(endpoints.body.subsets).forEach((subset, si) => {
      const addrs = asArray(subset.addresses);
      asArray(subset.ports).forEach((p, pi) => {
        for (const a of addrs.length ? addrs : [{}]) {
          const l = start();
          if (!slice) objectLabels('endpoints', endpoints, l);
          l.set(portKey, typeof p.name === 'string' ? p.name : '');
          l.set(protoKey, String(p.protocol ?? 'TCP'));
          l.set('__address__', a.ip ? `${a.ip}:${p.port}` : undefined);
          markUnknownPrefix(l, '__meta_kubernetes_pod_');
          out.push({
            labels: l,
            source: endpoints,
            sourcePath: ['subsets', si, 'ports', pi],
            describe: `${endpoints.ref}`,
            service: svc,
            ...(typeof p.port === 'number' ? { port: p.port } : {}),
            ...(typeof p.name === 'string' ? { portName: p.name } : {}),
          });
        }
      });
    });
    return out;
  }
  const pods = graph.podsForServiceSelector(ns, sel);
  const bound = new Set<string>();
  servicePorts(svc).forEach((sp, i) => {
    const name = typeof sp.name === 'string' ? sp.name : '';
    const tp = sp.targetPort ?? sp.port;
    for (const pod of pods.length ? pods : [undefined]) {
      const l = start();
      l.set(portKey, name);
      l.set(protoKey, String(sp.protocol ?? 'TCP'));
      l.set('__address__', undefined);
      podLabels(pod, l);
      let number: number | undefined = typeof tp === 'number' ? tp : /^\d+$/.test(String(tp)) ? Number(tp) : undefined;
      if (pod) {
        const cps = containerPorts(pod);
        const cp = cps.find((c) => (typeof tp === 'string' && !/^\d+$/.test(tp) ? c.name === tp : c.number === number));
        if (typeof tp === 'string' && !/^\d+$/.test(tp) && !cp) continue; // named targetPort the pod lacks: no endpoint
        if (cp) {
          number = cp.number;
          bound.add(`${pod.owner.ref}#${cp.path.join('.')}`);
          const ci = cp.path[cp.path.length - 3] as number;
          const field = cp.path[cp.path.length - 4] as string;
          const c = asArray(pod.spec[field])[ci]!;
          containerLabels(pod, c, asArray(c.ports)[cp.path[cp.path.length - 1] as number], l);
        }
      }
      out.push({
        labels: l,
        source: svc,
        sourcePath: ['spec', 'ports', i],
        describe: `${svc.ref}${pod ? ` -> ${pod.owner.ref}` : ''}`,
        service: svc,
        ...(pod ? { pod } : {}),
        ...(number !== undefined ? { port: number } : {}),
        portName: name,
      });
    }
  });
  // Container ports of the selected pods that no Service port names: targets without endpoint port labels.
  for (const pod of pods) {
    for (const cp of containerPorts(pod)) {
      if (bound.has(`${pod.owner.ref}#${cp.path.join('.')}`)) continue;
      const l = start();
      l.set('__address__', undefined);
      podLabels(pod, l);
      const ci = cp.path[cp.path.length - 3] as number;
      const field = cp.path[cp.path.length - 4] as string;
      const c = asArray(pod.spec[field])[ci]!;
      containerLabels(pod, c, asArray(c.ports)[cp.path[cp.path.length - 1] as number], l);
      out.push({ labels: l, source: pod.owner, sourcePath: cp.path, describe: `${svc.ref} -> ${pod.owner.ref} (container port ${cp.name ?? cp.number})`, service: svc, pod, ...(cp.number !== undefined ? { port: cp.number } : {}), ...(cp.name ? { portName: cp.name } : {}) });
    }
  }
  return out;
}

function serviceTargets(job: ScrapeJob, svc: Resource): SdTarget[] {
  const ns = svc.namespace ?? '';
  return servicePorts(svc).map((sp, i) => {
    const l = base(job, ns);
    serviceLabels(svc, l);
    l.set('__meta_kubernetes_service_port_name', typeof sp.name === 'string' ? sp.name : '');
    l.set('__meta_kubernetes_service_port_number', String(sp.port ?? ''));
    l.set('__meta_kubernetes_service_port_protocol', String(sp.protocol ?? 'TCP'));
    l.set('__meta_kubernetes_service_type', String((isObj(svc.body.spec) ? svc.body.spec.type : undefined) ?? 'ClusterIP'));
    l.set('__meta_kubernetes_service_cluster_ip', undefined);
    l.set('__address__', `${svc.name}.${ns}.svc:${sp.port}`);
    return { labels: l, source: svc, sourcePath: ['spec', 'ports', i], describe: svc.ref, service: svc, ...(typeof sp.port === 'number' ? { port: sp.port } : {}), portName: typeof sp.name === 'string' ? sp.name : '' };
  });
}

function podTargets(job: ScrapeJob, pod: PodTemplate): SdTarget[] {
  const out: SdTarget[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    asArray(pod.spec[field]).forEach((c, ci) => {
      const ports = asArray(c.ports);
      if (field === 'initContainers') return;
      for (const [pi, p] of ports.length ? ports.map((x, i) => [i, x] as const) : [[-1, undefined] as const]) {
        const l = base(job, pod.namespace);
        podLabels(pod, l);
        containerLabels(pod, c, p, l);
        l.set('__address__', undefined);
        out.push({
          labels: l,
          source: pod.owner,
          sourcePath: [...pod.path, 'spec', field, ci, ...(pi >= 0 ? ['ports', pi] : [])],
          describe: `${pod.owner.ref} container ${String(c.name ?? ci)}${p ? ` port ${String(p.name ?? p.containerPort)}` : ''}`,
          pod,
          ...(p && typeof p.containerPort === 'number' ? { port: p.containerPort } : {}),
          ...(p && typeof p.name === 'string' ? { portName: p.name } : {}),
        });
      }
    });
  }
  return out;
}

function namespacesOf(graph: ResourceGraph, sd: SdConfig): string[] | undefined {
  if (sd.namespaces) return sd.namespaces;
  if (sd.ownNamespace) return undefined;
  return [...graph.namespaces()];
}

const cache = new WeakMap<ResourceGraph, Map<ScrapeJob, JobEvaluation>>();

/**
 * Objects the scrape jobs of one scope may discover in all (each job discovers every object of its
 * namespaces and keeps its targets): past it, further jobs are not evaluated and say so, so that
 * thousands of jobs over thousands of Services end in quiet rules, not an out-of-memory crash.
 */
const DISCOVERY_BUDGET = 200_000;
const spent = new WeakMap<ResourceGraph, number>();

/** Evaluates a job's Kubernetes service discovery and relabeling against the scope. */
export function evaluateJob(graph: ResourceGraph, job: ScrapeJob): JobEvaluation {
  let byJob = cache.get(graph);
  if (!byJob) cache.set(graph, (byJob = new Map()));
  const hit = byJob.get(job);
  if (hit) return hit;
  const ev: JobEvaluation = { job, empty: true, targets: [] };
  byJob.set(job, ev);
  for (const sd of job.body.sd) {
    const namespaces = namespacesOf(graph, sd);
    if (!namespaces) {
      ev.skipped = `kubernetes_sd_configs[${sd.index}] uses own_namespace, which depends on where Prometheus runs`;
      continue;
    }
    const pods = sd.role === 'pod';
    const objects = namespaces.reduce((n, ns) => n + (pods ? graph.podTemplatesIn(ns).length : graph.inNamespace('Service', ns).length), 0);
    const used = (spent.get(graph) ?? 0) + objects;
    if (used > DISCOVERY_BUDGET) {
      ev.skipped = `the scope's scrape jobs discover more than ${DISCOVERY_BUDGET.toLocaleString('en-US')} objects in all; kubernetes_sd_configs[${sd.index}] is not evaluated offline`;
      if (objects > 0) ev.empty = false; // not evaluated, not empty
      continue;
    }
    spent.set(graph, used);
    let candidates: SdTarget[] = [];
    if (sd.role === 'endpoints' || sd.role === 'endpointslice') {
      for (const ns of namespaces) for (const svc of graph.inNamespace('Service', ns)) pushAll(candidates, endpointTargets(graph, job, svc, sd.role === 'endpointslice'));
    } else if (sd.role === 'service') {
      for (const ns of namespaces) for (const svc of graph.inNamespace('Service', ns)) pushAll(candidates, serviceTargets(job, svc));
    } else if (sd.role === 'pod') {
      for (const ns of namespaces) for (const pod of graph.podTemplatesIn(ns)) pushAll(candidates, podTargets(job, pod));
    } else {
      ev.skipped = `role ${sd.role || '(none)'} is not evaluated offline`;
      continue;
    }
    candidates = candidates.filter((c) => c.source.kind !== 'ScrapeJob');
    if (candidates.length) ev.empty = false;
    for (const c of candidates) ev.targets.push({ ...c, outcome: relabel(c.labels, job.body.relabel) });
  }
  return ev;
}
