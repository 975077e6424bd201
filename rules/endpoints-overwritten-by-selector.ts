import { docsUrl, type Rule } from '../src/engine/rule.js';
import { manualEndpoints, serviceSelector } from '../src/targets/services.js';

const ID = 'endpoints-overwritten-by-selector';
const CONTROLLER = 'endpointslice-controller.k8s.io';

export const rule = {
  id: ID,
  title: 'Hand-written Endpoints belong to a Service with a selector',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'very-high',
  rationale:
    'When a Service has a selector, the endpoints controller owns its Endpoints and rewrites them from the pods ' +
    'that match within seconds. Hand-written addresses (an external etcd, control-plane node IPs) are replaced, so ' +
    'Prometheus scrapes whatever pods match, or nothing. A hand-written EndpointSlice survives but is never ' +
    'mirrored into the Endpoints that Prometheus reads by default. Hand-written endpoints need a Service without ' +
    'a selector.',
  check({ graph, report }) {
    for (const svc of graph.byKind('Service')) {
      if (!serviceSelector(svc)) continue;
      const { endpoints, slices } = manualEndpoints(graph, svc);
      const manual = [
        // Endpoints the controller itself wrote (a cluster dump) carry its label: not hand-written.
        ...(endpoints && endpoints.labels['endpoints.kubernetes.io/managed-by'] !== 'endpoint-controller' ? [endpoints] : []),
        ...slices.filter((s) => s.labels['endpointslice.kubernetes.io/managed-by'] !== CONTROLLER),
      ];
      for (const e of manual) {
        // The endpoints controller rewrites the Endpoints of the same name; the EndpointSlice controller only
        // touches slices labelled managed-by=endpointslice-controller.k8s.io and leaves this one beside its own.
        report({
          message:
            e.kind === 'Endpoints'
              ? `${svc.ref} has a selector, so the endpoints controller manages its endpoints and overwrites the ` +
                `hand-written ${e.ref} with the addresses of matching pods. Remove spec.selector from the Service ` +
                '(keep the hand-written object), or delete the hand-written object and let the selector find the pods.'
              : `${svc.ref} has a selector, so its Endpoints are built from matching pods and the hand-written ${e.ref} ` +
                "is not mirrored into them: Prometheus' default Endpoints discovery never sees its addresses " +
                '(with serviceDiscoveryRole: EndpointSlice they are scraped beside the pods). Remove spec.selector and ' +
                'hand-write Endpoints instead (mirrored into an EndpointSlice), or delete the slice and let the selector find the pods.',
          at: svc.locate(['spec', 'selector']),
          related: [{ at: e.locate(['metadata', 'name']), message: `hand-written ${e.kind} ${e.name}` }],
        });
      }
    }
  },
} satisfies Rule;
