/**
 * Checks a values map against the chart's key tree: keys the chart (at the release's version)
 * does not read. Free-form maps (any `{}`-default map, labels, annotations, selectors, Kubernetes
 * pod fields, Alertmanager config, subcharts) are never walked.
 */
import type { NodePath } from '../../model/location.js';
import { isObj } from '../../model/resource.js';
import { type KeyNode, chartData, closest, existsAt, pathsOfKey, versionIndex, versionSpan } from './chart.js';

/** Keys whose maps are passed to Kubernetes or another program verbatim. */
const FREE = new Set([
  'config', 'securityContext', 'containerSecurityContext', 'podSecurityContext', 'resources', 'affinity', 'nodeSelector',
  'tolerations', 'storageSpec', 'storage', 'volumeClaimTemplate', 'labels', 'annotations', 'podMetadata', 'podLabels',
  'podAnnotations', 'extraArgs', 'extraEnv', 'env', 'additionalArgs', 'web', 'selector', 'matchLabels', 'templateFiles',
  'tplConfig', 'stringConfig', 'global', 'persistentVolumeClaimRetentionPolicy', 'livenessProbe', 'readinessProbe',
  'startupProbe', 'thanos', 'serviceAccount', 'strategy', 'updateStrategy', 'dnsConfig', 'hostAliases', 'extraSecret',
  'apiserverConfig', 'remoteWrite', 'remoteRead', 'tracingConfig', 'tsdb', 'exemplars', 'runtime', 'alertmanagerConfiguration',
  'podDisruptionBudget', 'ingress', 'thanosIngress', 'ingressPerReplica', 'servicePerReplica', 'thanosServiceExternal', 'networkPolicy', 'route', 'gateway', 'httpRoute', 'tls', 'attachMetadata', 'authorization',
]);

function isFree(key: string, node: KeyNode): boolean {
  if (FREE.has(key) || /(Selector|Labels|Annotations|Metadata|Config|Spec)$/.test(key) && !/^(prometheusSpec|alertmanagerSpec|thanosRulerSpec)$/.test(key)) return true;
  // A map that is `{}` or null by default in any version holds whatever the user puts there.
  return !node.c || /[ezlsnb]/.test(node.t);
}

export type UnknownKind = 'typo' | 'wrong-switch' | 'misplaced' | 'other-version' | 'unknown';

/**
 * TLS keys a component does not have (domain-kps.md, section 1.8): silently ignored, so the scrape
 * stays plain HTTP or unverified. Keyed by "<component>.serviceMonitor.<key>".
 */
const WRONG_SWITCH: Record<string, string> = {
  'kubeEtcd.serviceMonitor.https': 'etcd switches TLS with kubeEtcd.serviceMonitor.scheme: https (the only value that turns it on)',
  'kubeScheduler.serviceMonitor.scheme': 'the scheduler switches TLS with kubeScheduler.serviceMonitor.https: true',
  'kubeControllerManager.serviceMonitor.scheme': 'the controller-manager switches TLS with kubeControllerManager.serviceMonitor.https: true',
  'kubeProxy.serviceMonitor.scheme': 'kube-proxy switches TLS with kubeProxy.serviceMonitor.https: true',
  'kubeScheduler.serviceMonitor.caFile': 'the chart always uses the service-account CA for the scheduler; there is no caFile key',
  'kubeScheduler.serviceMonitor.certFile': 'the chart has no client certificate keys for the scheduler',
  'kubeScheduler.serviceMonitor.keyFile': 'the chart has no client certificate keys for the scheduler',
  'kubeControllerManager.serviceMonitor.caFile': 'the chart always uses the service-account CA for the controller-manager; there is no caFile key',
  'kubeControllerManager.serviceMonitor.certFile': 'the chart has no client certificate keys for the controller-manager',
  'kubeControllerManager.serviceMonitor.keyFile': 'the chart has no client certificate keys for the controller-manager',
  'kubeProxy.serviceMonitor.insecureSkipVerify': 'kube-proxy has no insecureSkipVerify key',
  'kubeProxy.serviceMonitor.serverName': 'kube-proxy has no serverName key',
};

export interface UnknownKey {
  path: NodePath;
  kind: UnknownKind;
  message: string;
}

/** Does this key come from a template engine or a substitution (`${VAR}`, `{{ }}`)? Then it is not judged. */
function templated(key: string): boolean {
  return /\$\{|\{\{|\{%/.test(key);
}

export function unknownKeys(values: unknown, version: string, chart: string, versionText: string): UnknownKey[] {
  const out: UnknownKey[] = [];
  const idx = versionIndex(version);
  const walk = (v: unknown, node: KeyNode, path: string[]) => {
    if (!isObj(v) || !node.c) return;
    const siblings = Object.entries(node.c).filter(([, n]) => existsAt(n, idx)).map(([k]) => k);
    for (const [k, x] of Object.entries(v)) {
      // A top-level `enabled` is an umbrella chart's dependency condition (`kube-prometheus-stack.enabled`).
      if (templated(k) || (path.length === 0 && k === 'enabled')) continue;
      const child = node.c[k];
      const here = [...path, k];
      if (child && existsAt(child, idx)) {
        if (isObj(x) && !isFree(k, child)) walk(x, child, here);
        continue;
      }
      const where = path.length ? `${path.join('.')}` : 'the top level';
      if (child) {
        out.push({
          path: here,
          kind: 'other-version',
          message: `"${here.join('.')}" is not a key of ${chart} ${versionText}, so Helm ignores it (it exists in chart ${versionSpan(child)}).`,
        });
        continue;
      }
      const hint = WRONG_SWITCH[here.join('.')];
      if (hint) {
        out.push({ path: here, kind: 'wrong-switch', message: `"${here.join('.')}" is not read by ${chart} ${versionText}, so Helm ignores it: ${hint}.` });
        continue;
      }
      const near = closest(k, siblings);
      if (near) {
        out.push({
          path: here,
          kind: 'typo',
          message: `"${k}" is not a key of ${where} in ${chart} ${versionText}: Helm ignores it silently and the chart default stays in force. Did you mean "${near.key}"?`,
        });
        continue;
      }
      const elsewhere = pathsOfKey(k, idx).filter((p) => p.join('.') !== here.join('.'));
      if (elsewhere.length > 0 && elsewhere.length <= 3) {
        out.push({
          path: here,
          kind: 'misplaced',
          message:
            `"${k}" is not a key of ${where} in ${chart} ${versionText}, so Helm ignores it; the chart reads it under ` +
            `${elsewhere.map((p) => `"${p.join('.')}"`).join(' or ')}. Did you mean to put it there?`,
        });
        continue;
      }
      out.push({ path: here, kind: 'unknown', message: `"${here.join('.')}" is not a key of ${chart} ${versionText}, so Helm ignores it.` });
    }
  };
  walk(values, chartData().tree, []);
  return out;
}
