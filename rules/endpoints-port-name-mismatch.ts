import { docsUrl, type Rule } from '../src/engine/rule.js';
import { asArray } from '../src/model/resource.js';
import { didYouMean, manualEndpoints, serviceSelector, servicePorts } from '../src/targets/services.js';

const ID = 'endpoints-port-name-mismatch';

export const rule = {
  id: ID,
  title: 'Hand-written Endpoints port names differ from the Service port names',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['endpoints', 'cross-check'],
  precision: 'high',
  rationale:
    'Prometheus reads port names from the Endpoints (or EndpointSlice) objects, not from the Service. A ' +
    'ServiceMonitor `port` written against the Service port name therefore matches nothing when the ' +
    'hand-written Endpoints name the port differently, and the target list stays empty.',
  check({ graph, report }) {
    for (const svc of graph.byKind('Service')) {
      if (serviceSelector(svc)) continue; // endpoints-overwritten-by-selector covers that case
      const names = servicePorts(svc).map((p) => p.name).filter((n): n is string => typeof n === 'string' && n !== '');
      if (names.length === 0) continue; // a single unnamed port: nothing to compare
      const { endpoints, slices } = manualEndpoints(graph, svc);
      const check = (obj: NonNullable<typeof endpoints>, ports: { name: unknown; number: unknown; path: (string | number)[] }[]) => {
        for (const p of ports) {
          const name = typeof p.name === 'string' ? p.name : '';
          if (names.includes(name)) continue;
          // With a single Service port name there is only one thing the port can have meant.
          const suggestion = names.length === 1 ? names[0] : name ? didYouMean(name, names) : undefined;
          const what = name
            ? `names a port "${name}" but ${svc.ref} has no port of that name`
            : `leaves port ${typeof p.number === 'number' ? `${p.number} ` : ''}unnamed but every port of ${svc.ref} is named`;
          report({
            message:
              `${obj.ref} ${what} (ports: ${names.join(', ')}). ` +
              `Prometheus takes the port name from the ${obj.kind}, so a ServiceMonitor port written against the Service ` +
              `matches nothing. ${name ? 'Rename' : 'Name'} it ${suggestion ? `"${suggestion}"` : 'after the Service port it serves'}.`,
            at: obj.locate([...p.path, name ? 'name' : 'port']),
            related: [{ at: svc.locate(['spec', 'ports']), message: `ports of ${svc.ref}` }],
          });
        }
      };
      if (endpoints) {
        check(
          endpoints,
          asArray(endpoints.body.subsets).flatMap((s, si) => asArray(s.ports).map((p, pi) => ({ name: p.name, number: p.port, path: ['subsets', si, 'ports', pi] }))),
        );
      }
      for (const slice of slices) {
        check(slice, asArray(slice.body.ports).map((p, pi) => ({ name: p.name, number: p.port, path: ['ports', pi] })));
      }
    }
  },
} satisfies Rule;
