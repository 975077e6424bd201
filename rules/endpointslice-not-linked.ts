import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { asArray } from '../src/model/resource.js';
import { didYouMean, serviceSelector, servicePorts } from '../src/targets/services.js';
import { findService } from '../src/targets/reverse.js';

const ID = 'endpointslice-not-linked';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLERS = new Set(['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io']);

/** The Service a label-less slice was most likely written for: its name, or its name before a suffix. */
function guessService(slice: Resource, services: readonly Resource[]): Resource | undefined {
  const exact = services.find((s) => s.name === slice.name);
  if (exact) return exact;
  const prefixed = services
    .filter((s) => slice.name.startsWith(`${s.name}-`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (prefixed) return prefixed;
  // A selectorless Service whose port names are exactly the slice's.
  const names = asArray(slice.body.ports).map((p) => String(p.name ?? '')).sort().join(',');
  const same = services.filter((s) => !serviceSelector(s) && servicePorts(s).map((p) => String(p.name ?? '')).sort().join(',') === names);
  return same.length === 1 ? same[0] : undefined;
}

export const rule = {
  id: ID,
  title: 'Hand-written EndpointSlice is not tied to a Service',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['endpoints'],
  precision: 'high',
  rationale:
    'An EndpointSlice belongs to the Service named by its `kubernetes.io/service-name` label, and only by it: ' +
    'the slice name does not matter. Without the label (or with a label that names no Service), kube-proxy and ' +
    'Prometheus EndpointSlice discovery never tie the slice to the Service, so the Service has no endpoints and ' +
    'its ServiceMonitor no target.',
  check({ graph, report }) {
    for (const slice of graph.byKind('EndpointSlice')) {
      if (CONTROLLERS.has(slice.labels[MANAGED_BY] ?? '')) continue; // written by the control plane
      const ns = slice.namespace ?? '';
      const services = graph.inNamespace('Service', ns);
      const target = slice.labels[SERVICE_NAME];
      if (target === undefined || target === '') {
        const guess = guessService(slice, services);
        report({
          message:
            `${slice.ref} has no \`${SERVICE_NAME}\` label, so it belongs to no Service: kube-proxy ignores it, and ` +
            'Prometheus EndpointSlice discovery gives its targets no `__meta_kubernetes_service_*` labels, so every ' +
            'ServiceMonitor selector drops them. ' +
            (guess
              ? `Add the label \`${SERVICE_NAME}: ${guess.name}\` (for ${guess.ref}).`
              : `Add the label \`${SERVICE_NAME}: <service>\` naming the Service without selector it serves.`),
          at: slice.locate(target === '' ? ['metadata', 'labels', SERVICE_NAME] : ['metadata']),
          ...(guess ? { related: [{ at: guess.locate(['metadata', 'name']), message: `${guess.ref}, which the slice seems meant for` }] } : {}),
        });
        continue;
      }
      if (services.length === 0) continue; // the namespace's Services are not in scope: unknown
      if (findService(graph, ns, target)) continue;
      if (target === 'kubernetes' && ns === 'default') continue; // created by the API server
      const suggestion = didYouMean(target, services.map((s) => s.name));
      const sugg = suggestion ? services.find((s) => s.name === suggestion) : undefined;
      report({
        message:
          `${slice.ref} is labelled \`${SERVICE_NAME}: ${target}\`, but the scope holds no Service "${target}" in namespace ` +
          `"${ns}" (it holds ${services.length} other${services.length === 1 ? '' : 's'}), so the slice serves no Service there. ` +
          (sugg
            ? `Did you mean "${sugg.name}"? Set the label to the exact name of the Service.`
            : 'Set the label to the exact name of the Service it serves, or add that Service (without selector).'),
        at: slice.locate(['metadata', 'labels', SERVICE_NAME]),
        related: (sugg ? [sugg] : services.slice(0, 3)).map((s) => ({ at: s.locate(['metadata', 'name']), message: `${s.ref}, in the slice's namespace` })),
        // A typo next to an existing Service is certain; a Service that is simply absent may live elsewhere.
        ...(sugg ? {} : { severity: 'warning' as const }),
      });
    }
  },
} satisfies Rule;
