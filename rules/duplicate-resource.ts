import { docsUrl, type Rule, type Resource } from '../src/engine/rule.js';
import { DistinctBodies } from '../src/model/graph.js';

const ID = 'duplicate-resource';


const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * A kustomize patch (patchesStrategicMerge, patches) looks like an object but is only a fragment
 * merged into another: it lives under a `patches/` folder or a `*patch*` file, or it is a
 * workload without the selector that apps/v1 requires. The loader does not apply kustomize, so
 * such fragments are not second definitions.
 */
function isPatch(r: Resource): boolean {
  if (/(^|\/)[^/]*patch[^/]*(\/|$)/i.test(r.file)) return true;
  const spec = r.body.spec;
  return WORKLOADS.has(r.kind) && (typeof spec !== 'object' || spec === null || spec.selector === undefined);
}

function where(r: Resource): string {
  return r.helmSource ? `${r.file} (from ${r.helmSource})` : r.file;
}

export const rule = {
  id: ID,
  title: 'The same object is defined twice with different bodies',
  category: 'input',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['input', 'cross-check'],
  precision: 'high',
  rationale:
    'A cluster holds one object per kind, namespace and name: applying both definitions keeps only the last ' +
    'one applied. Two different bodies in one scope usually mean that the scope mixes clusters or ' +
    'environments (overlays, per-cluster folders), where cross-checks pair objects that never meet; otherwise ' +
    'one definition is stale.',
  check({ graph, report }) {
    // The scope hint is said once, in the first finding; the others only point at their first definition.
    let said = false;
    for (const conflict of graph.conflicts) {
      const [first, ...rest] = conflict.resources.filter((r) => !isPatch(r));
      if (!first) continue;
      const seen = new DistinctBodies();
      seen.add(first.body);
      for (const r of rest) {
        // Byte-identical (structurally equal) repeats add nothing: quiet.
        if (!seen.add(r.body)) continue;
        const hinted = said;
        said = true;
        const bothDefaulted = !first.namespaceExplicit && !r.namespaceExplicit && first.namespace !== undefined;
        const firstAt = first.locate(['metadata', 'name']);
        const firstWhere = first.file === r.file ? `line ${firstAt.line} of this file` : `${where(first)}:${firstAt.line}`;
        report({
          message:
            `${r.ref} is defined again with a different body (first at ${firstWhere}). A cluster keeps only the one ` +
            'applied last, while scrapelint checks both against the rest of the scope. ' +
            (hinted
              ? 'Remove the stale definition, or lint its cluster separately.'
              : 'The scope may mix clusters or environments (overlays, per-cluster folders), where cross-checks pair ' +
                'objects that never meet: lint each cluster separately (one run per cluster folder, or `scopes:` in ' +
                '.scrapelint.yaml). Otherwise remove the stale definition.') +
            (bothDefaulted
              ? ` Neither sets metadata.namespace: if they are applied to different namespaces, write the namespace in each.`
              : ''),
          at: r.locate(['metadata', 'name']),
          related: [{ at: first.locate(['metadata', 'name']), message: `first definition of ${first.ref}` }],
        });
      }
    }
  },
} satisfies Rule;
