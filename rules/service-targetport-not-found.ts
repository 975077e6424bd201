import { docsUrl, type Rule } from '../src/engine/rule.js';
import { containerPorts, didYouMean, serviceSelector, servicePorts } from '../src/targets/services.js';
import { serviceMonitorsSelecting } from '../src/targets/reverse.js';

const ID = 'service-targetport-not-found';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'];

/** A targetPort that names a container port (not a number, not empty). */
function isName(tp: unknown): tp is string {
  return typeof tp === 'string' && tp !== '' && !/^\d+$/.test(tp);
}

export const rule = {
  id: ID,
  title: 'Service targetPort names no container port of its pods',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'high',
  rationale:
    'A named Service `targetPort` is looked up in the `containers[].ports[].name` of each selected pod. The ' +
    'endpoints controller leaves a pod out of that Service port when it declares no container port of that ' +
    'name, so when no pod declares it the port has no endpoint at all: no traffic, and no target for a ' +
    'ServiceMonitor that scrapes that port.',
  check({ graph, targets, report }) {
    const mixed = WORKLOADS.some((k) => graph.hasConflicts(k)) || graph.hasConflicts('Service');
    for (const svc of graph.byKind('Service')) {
      const sel = serviceSelector(svc);
      if (!sel) continue;
      const ports = servicePorts(svc);
      if (!ports.some((p) => isName(p.targetPort))) continue;
      const pods = graph.podsForServiceSelector(svc.namespace ?? '', sel);
      if (pods.length === 0) continue; // the pods are not in scope: unknown
      // The common case, without building lists: every named targetPort is a container port of the pods.
      if (ports.every((p) => !isName(p.targetPort) || pods.some((pod) => containerPorts(pod).some((c) => c.name === p.targetPort)))) continue;
      const headless = svc.body.spec?.clusterIP === 'None';
      const declared = pods.flatMap((p) => containerPorts(p).map((c) => ({ name: c.name, number: c.number, pod: p })));
      const names = [...new Set(declared.map((c) => c.name).filter((n): n is string => typeof n === 'string' && n !== ''))];
      ports.forEach((p, i) => {
        const tp = p.targetPort;
        if (!isName(tp) || names.includes(tp)) return;
        const suggestion = didYouMean(tp, names);
        const byNumber = typeof p.port === 'number' ? declared.find((c) => c.number === p.port) : undefined;
        const monitors = serviceMonitorsSelecting(graph, targets, svc);
        const scraped = monitors.filter((m) =>
          (Array.isArray(m.body.spec?.endpoints) ? m.body.spec.endpoints : []).some((ep: unknown) => {
            const e = ep as { port?: unknown; targetPort?: unknown };
            return e.port === p.name || (e.port === undefined && e.targetPort === undefined);
          }),
        );
        report({
          message:
            `${svc.ref} port ${p.name ? `"${p.name}" ` : ''}has targetPort "${tp}", but no container of ${pods
              .slice(0, 3)
              .map((x) => x.owner.ref)
              .join(', ')}${pods.length > 3 ? ' and more' : ''} declares a port of that name (named ports: ${names.join(', ') || 'none'}). ` +
            'The endpoints controller leaves these pods out of this port, so it has no endpoint' +
            (scraped.length ? `: ${scraped[0]!.ref} gets no target from it (0/0 up)` : '') +
            (headless ? '.' : `${scraped.length ? ', and' : ':'} kube-proxy rejects connections to it (\`connection refused\`).`) +
            (suggestion
              ? ` Did you mean "${suggestion}"?`
              : byNumber
                ? ` Use targetPort: ${byNumber.number}${byNumber.name ? ` or "${byNumber.name}"` : ''}, or name the container port "${tp}".`
                : ` Name the container port "${tp}" in the pod template, or use the container port number.`) +
            (mixed ? ' (A warning: the scope defines some objects twice with different bodies; it may mix clusters.)' : ''),
          at: svc.locate(['spec', 'ports', i, 'targetPort']),
          related: [
            ...pods.slice(0, 3).map((x) => ({ at: x.owner.locate([...x.path, 'spec', 'containers']), message: `containers of ${x.owner.ref}` })),
            ...scraped.slice(0, 1).map((m) => ({ at: m.locate(['spec', 'endpoints']), message: `endpoints of ${m.ref}` })),
          ],
          ...(mixed ? { severity: 'warning' as const } : {}),
        });
      });
    }
  },
} satisfies Rule;
