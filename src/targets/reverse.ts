/**
 * Reverse lookups shared by the Service/Endpoints/PodMonitor rules, each built once per scope
 * (cached on the graph or the target model) so that rules never loop objects x monitors:
 *   - which ServiceMonitors select a Service (forward through the label index, then inverted);
 *   - Services by name across namespaces (for DNS names and kustomize-defaulted namespaces);
 *   - label keys and values per kind and namespace (for near-miss suggestions);
 *   - the labels of pods that the operator creates (Prometheus, Alertmanager, ThanosRuler).
 */
import type { PodTemplate, ResourceGraph } from '../model/graph.js';
import { type Resource, isObj, stringMap } from '../model/resource.js';
import type { Labels } from '../model/selector.js';
import type { TargetModel } from './model.js';
import { groupBy } from '../model/arrays.js';

const monitorsBySvc = new WeakMap<TargetModel, Map<Resource, Resource[]>>();

/** ServiceMonitors whose selector and namespaceSelector match this Service. */
export function serviceMonitorsSelecting(graph: ResourceGraph, targets: TargetModel, svc: Resource): Resource[] {
  let map = monitorsBySvc.get(targets);
  if (!map) {
    map = new Map();
    for (const m of graph.byKind('ServiceMonitor')) {
      for (const s of targets.servicesFor(m)) {
        const list = map.get(s);
        if (list) list.push(m);
        else map.set(s, [m]);
      }
    }
    monitorsBySvc.set(targets, map);
  }
  return map.get(svc) ?? [];
}

const byName = new WeakMap<ResourceGraph, Map<string, Map<string, Resource[]>>>();

/** Objects of a kind with this name, in any namespace. */
export function objectsNamed(graph: ResourceGraph, kind: string, name: string): Resource[] {
  let kinds = byName.get(graph);
  if (!kinds) byName.set(graph, (kinds = new Map()));
  let names = kinds.get(kind);
  if (!names) kinds.set(kind, (names = groupBy(graph.byKind(kind), (r) => r.name)));
  return names.get(name) ?? [];
}

/**
 * Finds a Service by namespace and name. A Service whose namespace was not written (the default
 * was applied) may really live anywhere (kustomize `namespace:`, `helm -n`), so it counts too.
 */
export function findService(graph: ResourceGraph, namespace: string, name: string): Resource | undefined {
  return graph.get('Service', namespace, name) ?? objectsNamed(graph, 'Service', name).find((s) => !s.namespaceExplicit);
}

/** Label keys and their values seen on objects of one kind in one namespace. */
export type LabelValues = Map<string, Map<string, Resource | PodTemplate>>;

const labelIdx = new WeakMap<ResourceGraph, Map<string, LabelValues>>();

function indexOf(graph: ResourceGraph, cacheKey: string, items: readonly { labels: Labels }[]): LabelValues {
  let cache = labelIdx.get(graph);
  if (!cache) labelIdx.set(graph, (cache = new Map()));
  let idx = cache.get(cacheKey);
  if (!idx) {
    idx = new Map();
    for (const it of items) {
      for (const [k, v] of Object.entries(it.labels)) {
        let vals = idx.get(k);
        if (!vals) idx.set(k, (vals = new Map()));
        if (!vals.has(v)) vals.set(v, it as Resource | PodTemplate);
      }
    }
    cache.set(cacheKey, idx);
  }
  return idx;
}

/** Label keys -> values -> first object carrying them, for Services (or any kind) in a namespace. */
export function labelValues(graph: ResourceGraph, kind: string, namespace: string): LabelValues {
  return indexOf(graph, `${kind}\u0000${namespace}`, graph.inNamespace(kind, namespace));
}

/** The same for the pod templates of a namespace. */
export function podLabelValues(graph: ResourceGraph, namespace: string): LabelValues {
  return indexOf(graph, `\u0001pods\u0000${namespace}`, graph.podTemplatesIn(namespace));
}

/** The pods the operator creates for its own custom resources, with the labels it gives them. */
export interface OperatorPods {
  owner: Resource;
  labels: Labels;
}

const OPERATOR_POD_LABELS: Record<string, (r: Resource) => Record<string, string>> = {
  Prometheus: (r) => ({
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': r.name,
    'operator.prometheus.io/name': r.name,
    'operator.prometheus.io/shard': '0',
    prometheus: r.name,
    app: 'prometheus', // before v0.40
  }),
  PrometheusAgent: (r) => ({
    'app.kubernetes.io/name': 'prometheus-agent',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': r.name,
    'operator.prometheus.io/name': r.name,
  }),
  Alertmanager: (r) => ({
    'app.kubernetes.io/name': 'alertmanager',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': r.name,
    alertmanager: r.name,
    app: 'alertmanager', // before v0.40
  }),
  ThanosRuler: (r) => ({
    'app.kubernetes.io/name': 'thanos-ruler',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': r.name,
    'thanos-ruler': r.name,
  }),
};

/** Pods the operator will create in a namespace (their templates are not in the repository). */
export function operatorPods(graph: ResourceGraph, namespace: string): OperatorPods[] {
  const out: OperatorPods[] = [];
  for (const [kind, labelsOf] of Object.entries(OPERATOR_POD_LABELS)) {
    for (const r of graph.inNamespace(kind, namespace)) {
      const spec = isObj(r.body.spec) ? r.body.spec : {};
      const podMeta = isObj(spec.podMetadata) ? stringMap(spec.podMetadata.labels) : {};
      out.push({ owner: r, labels: { ...podMeta, ...labelsOf(r) } });
    }
  }
  return out;
}

const BUILTIN_GROUP = /^(?:v1|apps\/|batch\/|policy\/|autoscaling\/|networking\.k8s\.io\/|discovery\.k8s\.io\/|rbac\.authorization\.k8s\.io\/|storage\.k8s\.io\/|scheduling\.k8s\.io\/|coordination\.k8s\.io\/|node\.k8s\.io\/|admissionregistration\.k8s\.io\/|apiextensions\.k8s\.io\/|apiregistration\.k8s\.io\/|certificates\.k8s\.io\/|monitoring\.coreos\.com\/|kustomize\.config\.k8s\.io\/)/;

const customNames = new WeakMap<ResourceGraph, Map<string, Resource[]>>();

/**
 * Custom resources (of other operators) by namespace: their pods are created at run time
 * (Strimzi, CloudNativePG, Elastic...), so a PodMonitor may rightly select pods the scope
 * does not show.
 */
export function customResourcesIn(graph: ResourceGraph, namespace: string): Resource[] {
  let map = customNames.get(graph);
  if (!map) customNames.set(graph, (map = groupBy(graph.all, (r) => (!r.namespace || BUILTIN_GROUP.test(r.apiVersion) ? undefined : r.namespace))));
  return map.get(namespace) ?? [];
}

/**
 * Pod labels that controllers and admission webhooks add at run time, so no pod template in a
 * repository carries them: Deployment/StatefulSet/Job controllers, Istio and Linkerd injection.
 * A selector that requires one of them cannot be judged against templates.
 */
const RUNTIME_POD_LABEL =
  /^(?:pod-template-hash|controller-revision-hash|pod-template-generation|job-name|controller-uid|statefulset\.kubernetes\.io\/pod-name|apps\.kubernetes\.io\/pod-index|batch\.kubernetes\.io\/.+|(?:security|service|sidecar)\.istio\.io\/.+|istio\.io\/rev|linkerd\.io\/.+)$/;

export function isRuntimePodLabel(key: string): boolean {
  return RUNTIME_POD_LABEL.test(key);
}

/** Does this selector require a label that only running pods carry? */
export function requiresRuntimePodLabel(sel: { matchLabels?: Record<string, unknown>; matchExpressions?: { key: string; operator: string }[] }): boolean {
  if (sel.matchLabels && typeof sel.matchLabels === 'object' && Object.keys(sel.matchLabels).some(isRuntimePodLabel)) return true;
  return (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).some(
    (r) => r && typeof r.key === 'string' && (r.operator === 'In' || r.operator === 'Exists') && isRuntimePodLabel(r.key),
  );
}
