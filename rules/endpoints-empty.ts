import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { asArray, isObj } from '../src/model/resource.js';
import { manualEndpoints, serviceSelector } from '../src/targets/services.js';
import { serviceMonitorsSelecting } from '../src/targets/reverse.js';

const ID = 'endpoints-empty';

type State = { kind: 'ok' } | { kind: 'empty'; why: string; path: (string | number)[] } | { kind: 'not-ready'; count: number; path: (string | number)[] };

function endpointsState(ep: Resource): State {
  const subsets = asArray(ep.body.subsets);
  if (subsets.length === 0) return { kind: 'empty', why: 'has no subsets', path: Array.isArray(ep.body.subsets) ? ['subsets'] : ['metadata', 'name'] };
  if (subsets.some((s) => asArray(s.addresses).length > 0)) return { kind: 'ok' };
  const notReady = subsets.reduce((n, s) => n + asArray(s.notReadyAddresses).length, 0);
  if (notReady > 0) return { kind: 'not-ready', count: notReady, path: ['subsets'] };
  return { kind: 'empty', why: 'lists no addresses in any subset', path: ['subsets'] };
}

function sliceState(slice: Resource): State {
  const eps = asArray(slice.body.endpoints).filter((e) => Array.isArray(e.addresses) && e.addresses.length > 0);
  if (eps.length === 0) {
    return { kind: 'empty', why: 'lists no endpoint with an address', path: Array.isArray(slice.body.endpoints) ? ['endpoints'] : ['metadata', 'name'] };
  }
  // A nil `ready` condition means ready (discovery/v1 EndpointConditions).
  if (eps.some((e) => !isObj(e.conditions) || e.conditions.ready !== false)) return { kind: 'ok' };
  return { kind: 'not-ready', count: eps.length, path: ['endpoints'] };
}

export const rule = {
  id: ID,
  title: 'Hand-written Endpoints of a monitored Service list no ready address',
  category: 'endpoints',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'high',
  rationale:
    'For a Service without a selector, Prometheus takes the targets of a ServiceMonitor from the hand-written ' +
    'Endpoints or EndpointSlices: one target per address and port. With no address there is no target; with ' +
    'only not-ready addresses nothing ever marks them ready, kube-proxy sends them no traffic and Prometheus ' +
    'labels them `__meta_kubernetes_endpoint_ready="false"`.',
  check({ graph, targets, report }) {
    for (const svc of graph.byKind('Service')) {
      if (serviceSelector(svc)) continue; // the controller rewrites them: endpoints-overwritten-by-selector
      const monitors = serviceMonitorsSelecting(graph, targets, svc);
      if (monitors.length === 0) continue;
      const { endpoints, slices } = manualEndpoints(graph, svc);
      const objects: { obj: Resource; state: State }[] = [
        ...(endpoints ? [{ obj: endpoints, state: endpointsState(endpoints) }] : []),
        ...slices.map((s) => ({ obj: s, state: sliceState(s) })),
      ];
      const mon = monitors.slice(0, 2).map((m) => m.ref).join(', ');
      const related = [
        { at: svc.locate(['metadata', 'name']), message: `${svc.ref}, which has no selector` },
        ...monitors.slice(0, 2).map((m) => ({ at: m.locate(['spec', 'selector']), message: `selector of ${m.ref}` })),
      ];
      for (const { obj, state } of objects) {
        if (state.kind === 'ok') continue;
        const meta = obj.kind === 'Endpoints' ? '__meta_kubernetes_endpoint_ready' : '__meta_kubernetes_endpointslice_endpoint_conditions_ready';
        report({
          message:
            state.kind === 'empty'
              ? `${obj.ref} ${state.why}, so ${mon} gets no target from ${svc.ref} (0/0 up). List the addresses to ` +
                `scrape under ${obj.kind === 'Endpoints' ? 'subsets[].addresses' : 'endpoints[].addresses'}, or give the ` +
                'Service a selector and delete the hand-written object.'
              : `${obj.ref} lists only not-ready addresses (${state.count} ${obj.kind === 'Endpoints' ? 'under notReadyAddresses' : `endpoint${state.count === 1 ? '' : 's'} with ready: false`}). ` +
                'A hand-written object is never updated, so they stay not ready: kube-proxy sends them no traffic, and ' +
                `Prometheus labels the targets of ${mon} \`${meta}="false"\` (dropped by any relabeling that keeps ready ` +
                `endpoints). Move them to ${obj.kind === 'Endpoints' ? 'addresses' : 'ready: true'}.`,
          at: obj.locate(state.path),
          related,
        });
      }
    }
  },
} satisfies Rule;
