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

/** A Service `shop/<name>` selecting `app: <name>`, one port named `port` (8080). */
export const SVC = (name: string, port = 'http') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: ${name}
spec:
  selector:
    app: ${name}
  ports:
    - name: ${port}
      port: 8080
`;

/** A ServiceMonitor for Service `shop/<name>`, labelled `release: kps`; its endpoint port is on line 13 (after `comment` lines). */
export const SM = (name: string, port: string, comment = '') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: ${name}
  namespace: shop
  labels:
    release: kps
spec:
  selector:
    matchLabels:
      app: ${name}
  endpoints:
${comment}    - port: ${port}
`;
