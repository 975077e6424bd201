import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { type Obj, asArray, isObj } from '../src/model/resource.js';
import type { LabelSelector } from '../src/model/selector.js';
import type { PodTemplate } from '../src/model/graph.js';
import { concreteNamespaces, containerPorts, serviceSelector, servicePorts } from '../src/targets/services.js';

const ID = 'monitor-port-unset';

const unset = (v: unknown) => v === undefined || v === null || v === '';

/** Relabelings that pick or rewrite the port themselves: the author filters ports on purpose. */
function filtersPorts(ep: Obj): boolean {
  return asArray(ep.relabelings).some((r) => {
    const sources = Array.isArray(r.sourceLabels) ? r.sourceLabels.map(String) : [];
    const action = typeof r.action === 'string' ? r.action.toLowerCase() : 'replace';
    if ((action === 'keep' || action === 'drop') && sources.some((s) => /port/.test(s))) return true;
    return r.targetLabel === '__address__';
  });
}

const METRICSY = /metric|prom|monitor|exporter|telemetry|stats/i;

function portLabel(p: Obj): string {
  const name = typeof p.name === 'string' && p.name !== '' ? p.name : '(unnamed)';
  return `${name} ${typeof p.port === 'number' ? p.port : '?'}`;
}

/** Container ports of these pods that no Service port targets: Prometheus adds them as extra targets. */
function extraContainerPorts(svc: Resource, pods: readonly PodTemplate[]): { name?: string; number?: number }[] {
  const targeted = new Set<string>();
  for (const p of servicePorts(svc)) {
    const tp = p.targetPort ?? p.port;
    targeted.add(String(tp));
  }
  const out = new Map<string, { name?: string; number?: number }>();
  for (const pod of pods) {
    for (const c of containerPorts(pod)) {
      if ((c.name && targeted.has(c.name)) || (c.number !== undefined && targeted.has(String(c.number)))) continue;
      out.set(`${c.name ?? ''}/${c.number ?? ''}`, c);
    }
  }
  return [...out.values()];
}

export const rule = {
  id: ID,
  title: 'Monitor endpoint sets no port, so every port becomes a target',
  category: 'endpoints',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['endpoints'],
  precision: 'high',
  rationale:
    'A ServiceMonitor endpoint without `port` and `targetPort` (a PodMonitor endpoint without `port`, ' +
    '`portNumber` and `targetPort`) gets no port filter from the operator: Prometheus scrapes every port of ' +
    'the selected Services plus every other container port their pods declare. The ports that do not serve ' +
    'metrics fail the scrape and the job reports targets down.',
  check({ graph, targets, report }) {
    for (const m of graph.byKind('ServiceMonitor')) {
      const endpoints = asArray(isObj(m.body.spec) ? m.body.spec.endpoints : undefined);
      endpoints.forEach((ep, i) => {
        if (!unset(ep.port) || !unset(ep.targetPort) || filtersPorts(ep)) return;
        const services = targets.servicesFor(m);
        const perService: string[] = [];
        const extra: string[] = [];
        let single = services.length > 0;
        let podsUnknown = false;
        let suggestion: string | undefined;
        for (const svc of services) {
          const sp = servicePorts(svc);
          perService.push(`${svc.ref} (ports: ${sp.map(portLabel).join(', ') || 'none'})`);
          const sel = serviceSelector(svc);
          const pods = sel ? graph.podsForServiceSelector(svc.namespace ?? '', sel) : [];
          if (sel && pods.length === 0) podsUnknown = true;
          const more = extraContainerPorts(svc, pods);
          extra.push(...more.map((c) => `${c.name ?? '(unnamed)'} ${c.number ?? '?'}`));
          if (sp.length > 1 || more.length > 0) single = false;
          suggestion ??= sp.map((p) => p.name).find((n): n is string => typeof n === 'string' && METRICSY.test(n));
          if (!suggestion && sp.length === 1 && typeof sp[0]!.name === 'string' && sp[0]!.name !== '') suggestion = sp[0]!.name;
        }
        // One Service port and no other declared container port: exactly one target per pod, as meant.
        if (single) return;
        const list = services.length
          ? `every port of ${perService.slice(0, 3).join(', ')}${services.length > 3 ? ' and more' : ''}` +
            (extra.length
              ? ` plus the other container ports their pods declare (${[...new Set(extra)].slice(0, 4).join(', ')})`
              : podsUnknown
                ? ' plus every other container port their pods declare'
                : '')
          : 'every port of each selected Service plus every other container port its pods declare';
        report({
          message:
            `${m.ref} endpoints[${i}] sets neither port nor targetPort, so the operator adds no port filter: Prometheus ` +
            `scrapes ${list}, each as a target of this job. The ports that do not serve metrics fail ` +
            '(`server returned HTTP status 404 Not Found`, or a protocol error) and show as down. ' +
            (suggestion ? `Set port: ${suggestion} (the Service port name of the metrics port).` : 'Set port to the name of the Service port that serves metrics.'),
          at: m.locate(['spec', 'endpoints', i, ...Object.keys(ep).slice(0, 1)]),
          related: services.slice(0, 3).map((s) => ({ at: s.locate(['spec', 'ports']), message: `ports of ${s.ref}` })),
        });
      });
    }
    for (const m of graph.byKind('PodMonitor')) {
      const spec = isObj(m.body.spec) ? m.body.spec : {};
      asArray(spec.podMetricsEndpoints).forEach((ep, i) => {
        if (!unset(ep.port) || !unset(ep.portNumber) || !unset(ep.targetPort) || filtersPorts(ep)) return;
        const pods = isObj(spec.selector) ? concreteNamespaces(graph, m).flatMap((n) => graph.podsForLabelSelector(n, spec.selector as LabelSelector)) : [];
        const declared = pods.map((p) => containerPorts(p));
        // Every selected pod declares exactly one port: one target per pod, as meant.
        if (pods.length > 0 && declared.every((d) => d.length === 1)) return;
        const names = [...new Set(declared.flat().map((c) => `${c.name ?? '(unnamed)'} ${c.number ?? '?'}`))];
        const suggestion = declared.flat().map((c) => c.name).find((n): n is string => typeof n === 'string' && METRICSY.test(n));
        const noPorts = pods.filter((_, k) => declared[k]!.length === 0);
        report({
          message:
            `${m.ref} podMetricsEndpoints[${i}] sets none of port, portNumber and targetPort, so the operator adds no port ` +
            'filter: Prometheus scrapes every container port the selected pods declare' +
            (names.length ? ` (${names.slice(0, 6).join(', ')})` : '') +
            ', each as a target of this job' +
            (noPorts.length
              ? `, and a container that declares no port is scraped on the default port 80 (${noPorts.slice(0, 2).map((p) => p.owner.ref).join(', ')} declare${noPorts.length === 1 ? 's' : ''} none)`
              : pods.length === 0
                ? ' (a container that declares no port is scraped on the default port 80)'
                : '') +
            '. The ports that do not serve metrics fail and show as down. ' +
            (suggestion ? `Set port: ${suggestion} (the container port name of the metrics port).` : 'Set port to the name of the container port that serves metrics.'),
          at: m.locate(['spec', 'podMetricsEndpoints', i, ...Object.keys(ep).slice(0, 1)]),
          related: pods.slice(0, 3).map((p) => ({ at: p.owner.locate([...p.path, 'spec', 'containers']), message: `containers of ${p.owner.ref}` })),
        });
      });
    }
  },
} satisfies Rule;
