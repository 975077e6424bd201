import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { asArray, isObj } from '../src/model/resource.js';
import type { LabelSelector } from '../src/model/selector.js';
import type { ResourceGraph, PodTemplate } from '../src/model/graph.js';
import {
  concreteNamespaces,
  containerPorts,
  didYouMean,
  manualEndpoints,
  serviceSelector,
  servicePorts,
} from '../src/targets/services.js';

const ID = 'monitor-port-not-found';

/** The port names Prometheus will see for a Service: hand-written Endpoints win for selectorless Services. */
function endpointPortNames(graph: ResourceGraph, svc: Resource): { names: string[]; from: Resource; path: (string | number)[] } {
  if (!serviceSelector(svc)) {
    const { endpoints } = manualEndpoints(graph, svc);
    if (endpoints) {
      const names = asArray(endpoints.body.subsets).flatMap((s) => asArray(s.ports).map((p) => String(p.name ?? '')));
      return { names: names.filter(Boolean), from: endpoints, path: ['subsets'] };
    }
  }
  return { names: servicePorts(svc).map((p) => String(p.name ?? '')).filter(Boolean), from: svc, path: ['spec', 'ports'] };
}

/** endpointPortNames(graph, svc).names.includes(port), without building the lists (the common case: it does). */
function hasPortName(graph: ResourceGraph, svc: Resource, port: string): boolean {
  if (!serviceSelector(svc)) {
    const { endpoints } = manualEndpoints(graph, svc);
    if (endpoints) return asArray(endpoints.body.subsets).some((s) => asArray(s.ports).some((p) => String(p.name ?? '') === port));
  }
  return servicePorts(svc).some((p) => String(p.name ?? '') === port);
}

function describePorts(svc: Resource): string {
  const ports = servicePorts(svc).map((p) => `${p.name ?? '(unnamed)'} ${p.port ?? '?'}`);
  return ports.length ? ports.join(', ') : 'none';
}

/** What Prometheus sees for one Service: its ports, or the port names of its hand-written Endpoints. */
function describeSeen(s: { svc: Resource; from: Resource; names: string[] }): string {
  if (s.from === s.svc) return `${s.svc.ref} (ports: ${describePorts(s.svc)})`;
  return `${s.svc.ref} (its hand-written ${s.from.ref} names the ports: ${s.names.join(', ') || 'none'})`;
}

/** A Service port whose number (or numeric targetPort) is this number: the name `port` should use. */
function portNamedFor(services: Resource[], n: number): string | undefined {
  for (const s of services) {
    const p = servicePorts(s).find((x) => typeof x.name === 'string' && x.name !== '' && (x.port === n || x.targetPort === n || x.targetPort === String(n)));
    if (p) return String(p.name);
  }
  return undefined;
}

export const rule = {
  id: ID,
  title: 'Monitor endpoint port matches no port of the selected Services or pods',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'high',
  rationale:
    'A ServiceMonitor endpoint `port` is a Service port *name* (Prometheus keeps only endpoints whose port name ' +
    'equals it); `targetPort` is a container port name or number that the pods must declare. A PodMonitor ' +
    '`port` is a container port name. When nothing matches, every endpoint is dropped and the job shows 0/0 up.',
  check({ graph, targets, report }) {
    for (const m of graph.byKind('ServiceMonitor')) {
      const services = targets.servicesFor(m);
      if (services.length === 0) continue;
      asArray(isObj(m.body.spec) ? m.body.spec.endpoints : undefined).forEach((ep, i) => {
        if (typeof ep.port === 'string' && ep.port !== '') {
          const port = ep.port;
          if (services.some((s) => hasPortName(graph, s, port))) return;
          const seen = services.map((s) => ({ svc: s, ...endpointPortNames(graph, s) }));
          const suggestion = didYouMean(port, seen.flatMap((s) => s.names));
          const numeric = /^\d+$/.test(port);
          const list = seen.slice(0, 3).map(describeSeen).join(', ');
          const named = numeric ? portNamedFor(services, Number(port)) : undefined;
          const unnamed = seen.some((s) => s.from === s.svc && servicePorts(s.svc).some((p) => typeof p.name !== 'string' || p.name === ''));
          const viaEndpoints = seen.some((s) => s.from !== s.svc);
          report({
            message:
              `${m.ref} endpoint port "${port}" names no port of ${list}. Prometheus keeps only endpoints whose ` +
              'port name equals it, so this endpoint gets no target ("0/0 up").' +
              (suggestion ? ` Did you mean "${suggestion}"?` : '') +
              (numeric
                ? ' `port` takes a port name, not a number' +
                  (named ? `: use port: ${named}.` : ': name the Service port, or use targetPort.')
                : viaEndpoints
                  ? ' For a Service without a selector, Prometheus reads the port names from its hand-written Endpoints: rename the Endpoints port, or set port to one of its names.'
                  : unnamed && !suggestion
                    ? ' An unnamed Service port cannot be matched by name: name it, or use targetPort.'
                    : suggestion
                      ? ''
                      : ' Set port to a Service port name.'),
            at: m.locate(['spec', 'endpoints', i, 'port']),
            related: seen.slice(0, 3).map((s) => ({ at: s.from.locate(s.path), message: `ports of ${s.from.ref}` })),
          });
        } else if (ep.port === undefined && (typeof ep.targetPort === 'string' || typeof ep.targetPort === 'number')) {
          // targetPort matches the container ports of the pods behind the Services.
          const pods: PodTemplate[] = [];
          for (const s of services) {
            const sel = serviceSelector(s);
            if (!sel) return; // selectorless: no pods to compare with (another rule's business)
            const p = graph.podsForServiceSelector(s.namespace ?? '', sel);
            if (p.length === 0) return; // the pods are not in scope: unknown
            pods.push(...p);
          }
          const tp = ep.targetPort;
          const ports = pods.flatMap((p) => containerPorts(p).map((c) => ({ name: c.name, number: c.number, pod: p })));
          // A quoted number is a string: the operator matches it against container port *names*.
          const ok = ports.some((c) => (typeof tp === 'number' ? c.number === tp : c.name === tp));
          if (ok) return;
          const suggestion = typeof tp === 'string' ? didYouMean(tp, ports.map((c) => c.name ?? '').filter(Boolean)) : undefined;
          report({
            message:
              `${m.ref} endpoint targetPort ${JSON.stringify(tp)} is not declared by any container of ${pods
                .slice(0, 3)
                .map((p) => p.owner.ref)
                .join(', ')}. targetPort matches the pods' declared container ports (name or containerPort), so this endpoint gets no target.` +
              (suggestion
                ? ` Did you mean "${suggestion}"?`
                : typeof tp === 'string' && services.some((s) => servicePorts(s).some((p) => p.name === tp))
                  ? ` "${tp}" is a Service port name: use port: ${tp} instead of targetPort.`
                  : typeof tp === 'string' && /^\d+$/.test(tp) && ports.some((c) => c.number === Number(tp))
                    ? ` A quoted number is a port name, and no container port is named "${tp}": write targetPort: ${tp} without quotes to match containerPort ${tp}.`
                    : ' Declare the port in the pod template, or use `port` with a Service port name.'),
            at: m.locate(['spec', 'endpoints', i, 'targetPort']),
            related: pods.slice(0, 3).map((p) => ({ at: p.owner.locate([...p.path, 'spec', 'containers']), message: `containers of ${p.owner.ref}` })),
          });
        }
      });
    }
    for (const m of graph.byKind('PodMonitor')) {
      const spec = isObj(m.body.spec) ? m.body.spec : {};
      if (!isObj(spec.selector)) continue;
      const pods = concreteNamespaces(graph, m).flatMap((ns) => graph.podsForLabelSelector(ns, spec.selector as LabelSelector));
      if (pods.length === 0) continue;
      const names = pods.flatMap((p) => containerPorts(p).map((c) => c.name ?? '')).filter(Boolean);
      asArray(spec.podMetricsEndpoints).forEach((ep, i) => {
        if (typeof ep.port !== 'string' || ep.port === '' || names.includes(ep.port)) return;
        const suggestion = didYouMean(ep.port, names);
        report({
          message:
            `${m.ref} podMetricsEndpoints port "${ep.port}" is not the name of any container port of ${pods
              .slice(0, 3)
              .map((p) => p.owner.ref)
              .join(', ')} (named ports: ${[...new Set(names)].join(', ') || 'none'}), so this endpoint gets no target.` +
            (suggestion ? ` Did you mean "${suggestion}"?` : ' Name the container port, or use portNumber.'),
          at: m.locate(['spec', 'podMetricsEndpoints', i, 'port']),
          related: pods.slice(0, 3).map((p) => ({ at: p.owner.locate([...p.path, 'spec', 'containers']), message: `containers of ${p.owner.ref}` })),
        });
      });
    }
  },
} satisfies Rule;
