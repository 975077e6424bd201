/** Manifests several end-to-end tests share. */

/** A kube-prometheus-stack style Prometheus: monitors need `release: kps`, any namespace. */
export const PROM = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  serviceMonitorSelector:
    matchLabels:
      release: kps
  serviceMonitorNamespaceSelector: {}
`;
