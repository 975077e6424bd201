/**
 * Every built-in rule, sorted by id. test/meta.test.ts checks that this list equals the files in
 * rules/, and that each rule has its docs page and fixtures.
 */
import type { Rule } from '../src/engine/rule.js';
import { rule as arbitraryFsAccessDenied } from './arbitrary-fs-access-denied.js';
import { rule as controlPlaneBindLocalhost } from './control-plane-bind-localhost.js';
import { rule as controlPlaneInsecurePortDisabled } from './control-plane-insecure-port-disabled.js';
import { rule as documentSkipped } from './document-skipped.js';
import { rule as duplicateResource } from './duplicate-resource.js';
import { rule as endpointsEmpty } from './endpoints-empty.js';
import { rule as endpointsOverwrittenBySelector } from './endpoints-overwritten-by-selector.js';
import { rule as endpointsPortNameMismatch } from './endpoints-port-name-mismatch.js';
import { rule as endpointsliceNotLinked } from './endpointslice-not-linked.js';
import { rule as etcdClientCertRequired } from './etcd-client-cert-required.js';
import { rule as etcdMetricsNotListening } from './etcd-metrics-not-listening.js';
import { rule as fileSkipped } from './file-skipped.js';
import { rule as helmValuesSelectorMismatch } from './helm-values-selector-mismatch.js';
import { rule as helmValuesType } from './helm-values-type.js';
import { rule as helmValuesUnknownKey } from './helm-values-unknown-key.js';
import { rule as insecureSkipVerify } from './insecure-skip-verify.js';
import { rule as invalidSuppression } from './invalid-suppression.js';
import { rule as kubeProxyMetricsLocalhost } from './kube-proxy-metrics-localhost.js';
import { rule as kubeletReadonlyPortDisabled } from './kubelet-readonly-port-disabled.js';
import { rule as monitorNotSelected } from './monitor-not-selected.js';
import { rule as monitorPortNotFound } from './monitor-port-not-found.js';
import { rule as monitorPortUnset } from './monitor-port-unset.js';
import { rule as monitorSelectorNearMiss } from './monitor-selector-near-miss.js';
import { rule as monitorSelectsNothing } from './monitor-selects-nothing.js';
import { rule as podmonitorSelectsNothing } from './podmonitor-selects-nothing.js';
import { rule as probeModuleUnknown } from './probe-module-unknown.js';
import { rule as probeProberNotFound } from './probe-prober-not-found.js';
import { rule as resourceSchema } from './resource-schema.js';
import { rule as schemePortMismatch } from './scheme-port-mismatch.js';
import { rule as scrapeConfigTlsFileMissing } from './scrape-config-tls-file-missing.js';
import { rule as scrapeJobDiscoversNothing } from './scrape-job-discovers-nothing.js';
import { rule as scrapeTimeoutExceedsInterval } from './scrape-timeout-exceeds-interval.js';
import { rule as selectorlessServiceWithoutEndpoints } from './selectorless-service-without-endpoints.js';
import { rule as serviceTargetportNotFound } from './service-targetport-not-found.js';
import { rule as tlsCertWithoutKey } from './tls-cert-without-key.js';
import { rule as tlsConfigIgnored } from './tls-config-ignored.js';
import { rule as tlsFileOutsideMounts } from './tls-file-outside-mounts.js';
import { rule as tlsSecretKeyMissing } from './tls-secret-key-missing.js';
import { rule as tlsSecretMissing } from './tls-secret-missing.js';
import { rule as tlsSecretNotMounted } from './tls-secret-not-mounted.js';
import { rule as tlsSecretRefWrongNamespace } from './tls-secret-ref-wrong-namespace.js';
import { rule as unusedSuppression } from './unused-suppression.js';
import { rule as yamlDuplicateKey } from './yaml-duplicate-key.js';
import { rule as yamlSyntax } from './yaml-syntax.js';

export const rules: readonly Rule[] = [
  arbitraryFsAccessDenied,
  controlPlaneBindLocalhost,
  controlPlaneInsecurePortDisabled,
  documentSkipped,
  duplicateResource,
  endpointsEmpty,
  endpointsOverwrittenBySelector,
  endpointsPortNameMismatch,
  endpointsliceNotLinked,
  etcdClientCertRequired,
  etcdMetricsNotListening,
  fileSkipped,
  helmValuesSelectorMismatch,
  helmValuesType,
  helmValuesUnknownKey,
  insecureSkipVerify,
  invalidSuppression,
  kubeProxyMetricsLocalhost,
  kubeletReadonlyPortDisabled,
  monitorNotSelected,
  monitorPortNotFound,
  monitorPortUnset,
  monitorSelectorNearMiss,
  monitorSelectsNothing,
  podmonitorSelectsNothing,
  probeModuleUnknown,
  probeProberNotFound,
  resourceSchema,
  schemePortMismatch,
  scrapeConfigTlsFileMissing,
  scrapeJobDiscoversNothing,
  scrapeTimeoutExceedsInterval,
  selectorlessServiceWithoutEndpoints,
  serviceTargetportNotFound,
  tlsCertWithoutKey,
  tlsConfigIgnored,
  tlsFileOutsideMounts,
  tlsSecretKeyMissing,
  tlsSecretMissing,
  tlsSecretNotMounted,
  tlsSecretRefWrongNamespace,
  unusedSuppression,
  yamlDuplicateKey,
  yamlSyntax,
];
