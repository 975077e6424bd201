import type { PodTemplate, ResourceGraph } from '../model/graph.js';
import { type Obj, type Resource, asArray, isObj } from '../model/resource.js';
import type { LabelSelector } from '../model/selector.js';
import { exactSize } from '../model/arrays.js';

/** Namespaces a ServiceMonitor/PodMonitor looks in (`spec.namespaceSelector`). `all` = any namespace. */
export function monitorNamespaces(monitor: Resource): string[] | 'all' {
  const ns = isObj(monitor.body.spec) ? monitor.body.spec.namespaceSelector : undefined;
  if (isObj(ns) && ns.any === true) return 'all';
  if (isObj(ns) && Array.isArray(ns.matchNames) && ns.matchNames.length > 0) return ns.matchNames.map(String);
  return monitor.namespace ? [monitor.namespace] : [];
}

/** The namespaces to search, made concrete with what the scope knows. */
export function concreteNamespaces(graph: ResourceGraph, monitor: Resource): string[] {
  const ns = monitorNamespaces(monitor);
  return ns === 'all' ? [...graph.namespaceList()] : ns;
}

/** Services a ServiceMonitor selects (labels of Services in its namespaces). */
export function servicesForMonitor(graph: ResourceGraph, monitor: Resource): Resource[] {
  const sel = isObj(monitor.body.spec) ? monitor.body.spec.selector : undefined;
  if (!isObj(sel)) return [];
  return graph.selectLabelsIn('Service', monitorNamespaces(monitor), sel as LabelSelector);
}

export function serviceSelector(svc: Resource): Record<string, unknown> | undefined {
  const sel = isObj(svc.body.spec) ? svc.body.spec.selector : undefined;
  if (!isObj(sel)) return undefined;
  for (const _ in sel) return sel; // not empty (no key array: this runs for every Service in several rules)
  return undefined;
}

export function servicePorts(svc: Resource): readonly Obj[] {
  return asArray(isObj(svc.body.spec) ? svc.body.spec.ports : undefined);
}

/** Hand-written Endpoints (same namespace/name) and EndpointSlices (`kubernetes.io/service-name`) of a Service. */
export function manualEndpoints(graph: ResourceGraph, svc: Resource): { endpoints: Resource | undefined; slices: Resource[] } {
  const ns = svc.namespace ?? '';
  return {
    endpoints: graph.get('Endpoints', ns, svc.name),
    slices: graph.selectMap('EndpointSlice', ns, { 'kubernetes.io/service-name': svc.name }),
  };
}

/** A container port of a pod template: name and number, and (computed when asked) its path inside the owner. */
export class ContainerPort {
  readonly name: string | undefined;
  readonly number: number | undefined;

  constructor(
    private readonly pod: PodTemplate,
    private readonly field: 'containers' | 'initContainers',
    private readonly container: number,
    private readonly index: number,
    p: Obj,
  ) {
    const n = typeof p.containerPort === 'number' ? p.containerPort : Number.parseInt(String(p.containerPort), 10);
    this.name = typeof p.name === 'string' ? p.name : undefined;
    this.number = Number.isFinite(n) ? n : undefined;
  }

  get path(): (string | number)[] {
    return [...this.pod.path, 'spec', this.field, this.container, 'ports', this.index];
  }
}

const portsCache = new WeakMap<PodTemplate, ContainerPort[]>();

/** Container ports of a pod template (cached: several rules ask). */
export function containerPorts(pod: PodTemplate): readonly ContainerPort[] {
  const cached = portsCache.get(pod);
  if (cached) return cached;
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    const cs = pod.spec[field];
    if (!Array.isArray(cs)) continue;
    for (let ci = 0; ci < cs.length; ci++) {
      const ports = isObj(cs[ci]) ? cs[ci].ports : undefined;
      if (!Array.isArray(ports)) continue;
      for (let pi = 0; pi < ports.length; pi++) if (isObj(ports[pi])) out.push(new ContainerPort(pod, field, ci, pi, ports[pi]));
    }
  }
  const exact = exactSize(out);
  portsCache.set(pod, exact);
  return exact;
}

export interface ResolvedPort {
  service: Resource;
  /** Index in the Service's `spec.ports`. */
  index: number;
  port: Obj;
  /** The port number Prometheus will connect to (the endpoint port), when it can be known. */
  targetNumber: number | undefined;
  /** Where that number comes from, for messages. */
  numberFrom: string;
  /** The hand-written Endpoints object the number comes from, if any. */
  endpoints?: Resource;
}

/** A port resolved through a pod's named container port; the words for messages are built only when a message needs them. */
class PortFromPod implements ResolvedPort {
  constructor(
    readonly service: Resource,
    readonly index: number,
    readonly port: Obj,
    readonly targetNumber: number,
    private readonly name: string,
    private readonly pod: PodTemplate,
  ) {}

  get numberFrom(): string {
    return `container port "${this.name}" of ${this.pod.owner.ref}`;
  }
}

/**
 * Resolves a ServiceMonitor endpoint's `port` (a Service port name) on one Service to the
 * number Prometheus connects to: hand-written Endpoints of a selectorless Service, else the
 * Service's numeric `targetPort`, a named `targetPort` looked up in the selected pods'
 * container ports, or the Service `port` itself.
 */
export function resolveServicePort(graph: ResourceGraph, svc: Resource, portName: string): ResolvedPort | undefined {
  // Several rules resolve the same endpoint ports: once per graph, Service and port name.
  let byService = resolvedCache.get(graph);
  if (!byService) resolvedCache.set(graph, (byService = new WeakMap()));
  // A Service is asked about one or two port names: a short list of [name, result] pairs, not a Map each.
  const pairs = byService.get(svc);
  if (pairs) for (const [name, r] of pairs) if (name === portName) return r;
  const resolved = resolvePort(graph, svc, portName);
  // Array literals, not push: an array grown by push keeps room for 17 items.
  byService.set(svc, pairs ? [...pairs, [portName, resolved]] : [[portName, resolved]]);
  return resolved;
}

const resolvedCache = new WeakMap<ResourceGraph, WeakMap<Resource, [string, ResolvedPort | undefined][]>>();

function resolvePort(graph: ResourceGraph, svc: Resource, portName: string): ResolvedPort | undefined {
  const ports = servicePorts(svc);
  const index = ports.findIndex((p) => p.name === portName);
  const sel = serviceSelector(svc);
  if (!sel) {
    const { endpoints } = manualEndpoints(graph, svc);
    if (endpoints) {
      for (const subset of asArray(endpoints.body.subsets)) {
        const ep = asArray(subset.ports).find((p) => p.name === portName);
        if (ep && typeof ep.port === 'number') {
          return {
            service: svc,
            index,
            port: index >= 0 ? ports[index]! : {},
            targetNumber: ep.port,
            numberFrom: `Endpoints ${endpoints.namespace}/${endpoints.name}`,
            endpoints,
          };
        }
      }
    }
  }
  if (index < 0) return undefined;
  const port = ports[index]!;
  // Without a selector the endpoints (not in scope here) decide the number: unknown.
  if (!sel) return { service: svc, index, port, targetNumber: undefined, numberFrom: 'unknown endpoints' };
  const tp = port.targetPort;
  if (typeof tp === 'number') return { service: svc, index, port, targetNumber: tp, numberFrom: 'targetPort' };
  if (typeof tp === 'string' && /^\d+$/.test(tp)) return { service: svc, index, port, targetNumber: Number(tp), numberFrom: 'targetPort' };
  if (typeof tp === 'string' && sel) {
    for (const pod of graph.podsForServiceSelector(svc.namespace ?? '', sel)) {
      const cp = containerPorts(pod).find((c) => c.name === tp);
      if (cp?.number !== undefined) return new PortFromPod(svc, index, port, cp.number, tp, pod);
    }
    return { service: svc, index, port, targetNumber: undefined, numberFrom: `targetPort "${tp}"` };
  }
  const n = typeof port.port === 'number' ? port.port : undefined;
  return { service: svc, index, port, targetNumber: n, numberFrom: 'port' };
}

export { didYouMean, editDistance } from '../model/similar.js';

/**
 * Services that exist in every cluster (or that the operator creates) without being in any repo:
 * a monitor selecting one of them is fine even when the scope does not hold it.
 *   default/kubernetes (component=apiserver, provider=kubernetes), created by the API server;
 *   kube-system/kubelet (k8s-app=kubelet), created by the operator's --kubelet-service;
 *   kube-system/kube-dns (k8s-app=kube-dns), created by kubeadm's CoreDNS add-on.
 */
export function selectsClusterProvidedService(selector: unknown): boolean {
  const ml = isObj(selector) && isObj(selector.matchLabels) ? selector.matchLabels : {};
  return (
    ml['k8s-app'] === 'kubelet' ||
    ml['app.kubernetes.io/name'] === 'kubelet' ||
    ml['k8s-app'] === 'kube-dns' ||
    ml.component === 'apiserver' ||
    ml.provider === 'kubernetes'
  );
}
