import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { didYouMean, manualEndpoints, serviceSelector } from '../src/targets/services.js';
import { serviceMonitorsSelecting } from '../src/targets/reverse.js';

const ID = 'selectorless-service-without-endpoints';

/**
 * Selectorless Services whose endpoints a cluster component writes: the API server's
 * default/kubernetes, the operator's kubelet Service (--kubelet-service).
 */
function endpointsManagedElsewhere(svc: Resource): boolean {
  if (svc.name === 'kubernetes' && svc.namespace === 'default') return true;
  return svc.labels['k8s-app'] === 'kubelet' || svc.labels['app.kubernetes.io/name'] === 'kubelet' || svc.labels['app.kubernetes.io/managed-by'] === 'prometheus-operator';
}

export const rule = {
  id: ID,
  title: 'Monitored Service without selector has no Endpoints, or is an ExternalName',
  category: 'endpoints',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'medium',
  rationale:
    'Prometheus discovers ServiceMonitor targets from Endpoints (or EndpointSlices), never from the Service. A ' +
    'Service without a selector gets no controller-managed Endpoints: they must be written by hand with the ' +
    'Service name. An ExternalName Service never has any. Either way the ServiceMonitor finds no target and ' +
    'nothing logs an error.',
  check({ graph, targets, report }) {
    for (const svc of graph.byKind('Service')) {
      const spec = isObj(svc.body.spec) ? svc.body.spec : {};
      const external = spec.type === 'ExternalName';
      if (!external && serviceSelector(svc)) continue;
      const monitors = serviceMonitorsSelecting(graph, targets, svc);
      if (monitors.length === 0) continue; // not monitoring wiring
      if (!external) {
        if (endpointsManagedElsewhere(svc)) continue;
        const { endpoints, slices } = manualEndpoints(graph, svc);
        if (endpoints || slices.length > 0) continue;
      }
      const mon = monitors.slice(0, 3).map((m) => m.ref).join(', ');
      const related = monitors.slice(0, 3).map((m) => ({ at: m.locate(['spec', 'selector']), message: `selector of ${m.ref}` }));
      if (external) {
        report({
          message:
            `${svc.ref} is an ExternalName Service (${typeof spec.externalName === 'string' ? spec.externalName : 'a DNS name'}), ` +
            `which never has Endpoints, so ${mon} can find no target through it (prometheus-operator#834). ` +
            'Scrape the external host with a ScrapeConfig or a Probe, or make it a Service without selector and ' +
            'write its Endpoints (or an EndpointSlice) with the host addresses.',
          at: svc.locate(['spec', 'type']),
          related,
        });
        continue;
      }
      // Endpoints or slices that were meant for it but carry another name.
      const ns = svc.namespace ?? '';
      const others = [
        ...graph.inNamespace('Endpoints', ns).map((e) => ({ obj: e, name: e.name, what: 'is named' })),
        ...graph.inNamespace('EndpointSlice', ns).map((e) => ({ obj: e, name: e.labels['kubernetes.io/service-name'] ?? e.name, what: e.labels['kubernetes.io/service-name'] ? 'names the Service' : 'is named' })),
      ];
      const guess = didYouMean(svc.name, others.map((o) => o.name));
      const near = guess ? others.find((o) => o.name === guess) : undefined;
      report({
        message:
          `${svc.ref} has no selector, and the scope holds no Endpoints named ${svc.name} nor EndpointSlice labelled ` +
          `\`kubernetes.io/service-name: ${svc.name}\` in namespace "${ns}". Without a selector nothing creates ` +
          `them, so ${mon} discovers no target (0/0 up). ` +
          (near
            ? `${near.obj.ref} ${near.what} "${near.name}": Prometheus pairs Endpoints with the Service of the same name, so rename it "${svc.name}".`
            : 'Add Endpoints with the same name and namespace (or a labelled EndpointSlice) listing the addresses, or give ' +
              'the Service a selector for the pods to scrape.'),
        at: svc.locate(['spec']),
        related: [...(near ? [{ at: near.obj.locate(['metadata', 'name']), message: `${near.obj.ref}, meant for ${svc.ref}?` }] : []), ...related],
      });
    }
  },
} satisfies Rule;
