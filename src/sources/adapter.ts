/**
 * Source adapters turn documents that are not plain Kubernetes objects into resources of the
 * same model: Helm values of kube-prometheus-stack (the objects the chart would render, each
 * field located at the values line that set it), control-plane component configuration
 * (static pods, kubeadm, kube-proxy, kubelet, k3s/RKE2), raw Prometheus configuration. Every
 * rule then runs on them unchanged.
 */
import type { ParsedDocument } from '../parse/document.js';
import type { InputProblem } from '../model/finding.js';
import type { Resource } from '../model/resource.js';
import type { Config } from '../config/config.js';

export interface AdapterContext {
  /** Every parsed document of the scope's files, in file order (values files, configs, objects). */
  documents: readonly ParsedDocument[];
  /** The Kubernetes objects already read from those documents. */
  resources: readonly Resource[];
  config: Config;
  /** Namespace for objects without one. */
  defaultNamespace: string;
}

export interface AdapterResult {
  resources: Resource[];
  problems: InputProblem[];
}

export interface SourceAdapter {
  name: string;
  adapt(ctx: AdapterContext): AdapterResult;
}
