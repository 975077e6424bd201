/**
 * The Helm source adapter: kube-prometheus-stack values (umbrella charts, Flux HelmRelease, Argo CD
 * Application, lone values files) become
 *  - one `HelmValues` resource (apiVersion scrapelint.io/v1) per values layer, which the
 *    helm-values-* rules read, and
 *  - the Prometheus, Services, Endpoints and ServiceMonitors the chart would render, located at
 *    the values lines, on which every manifest rule runs unchanged.
 * Nothing is synthesized for a release whose rendered manifests are in scope too.
 */
import { pushAll } from '../../model/arrays.js';
import type { SourceAdapter } from '../adapter.js';
import type { InputProblem } from '../../model/finding.js';
import type { Resource } from '../../model/resource.js';
import { type Release, recognise } from './recognise.js';
import { synthesize } from './synthesize.js';
import { EffectiveValues } from './effective.js';

export const HELM_VALUES_KIND = 'HelmValues';
export const HELM_VALUES_API = 'scrapelint.io/v1';

/** Are objects rendered from this release (helm template output, or a rendered copy) in scope? */
function renderedInScope(r: Release, resources: readonly Resource[]): boolean {
  return resources.some((x) => {
    const fromChart =
      (x.helmSource !== undefined && x.helmSource.startsWith(`${r.chart}/`)) ||
      (x.labels.chart !== undefined && x.labels.chart.startsWith(`${r.chart}-`)) ||
      x.labels['app.kubernetes.io/part-of'] === r.chart;
    if (!fromChart) return false;
    return !r.releaseKnown || x.labels.release === r.release || x.labels['app.kubernetes.io/instance'] === r.release;
  });
}

export const helmAdapter: SourceAdapter = {
  name: 'helm-values',
  adapt(ctx) {
    const { releases } = recognise(ctx);
    const resources: Resource[] = [];
    const problems: InputProblem[] = [];
    // Two releases of one name would render the same kube-system objects: the scope mixes clusters
    // (or environments), so neither is synthesized; their values are still checked.
    const count = new Map<string, number>();
    for (const r of releases) count.set(`${r.chart}\u0000${r.release}`, (count.get(`${r.chart}\u0000${r.release}`) ?? 0) + 1);
    for (const r of releases) {
      const rendered = renderedInScope(r, ctx.resources);
      const ambiguous = (count.get(`${r.chart}\u0000${r.release}`) ?? 0) > 1;
      let eff: EffectiveValues;
      if (!rendered && !ambiguous && r.layers.length > 0) {
        const s = synthesize(r);
        eff = s.effective;
        pushAll(resources, s.resources);
      } else eff = new EffectiveValues(r);
      r.layers.forEach((l, i) => {
        const name = `${r.release}/${l.label}#${i}`;
        resources.push({
          kind: HELM_VALUES_KIND,
          apiVersion: HELM_VALUES_API,
          name,
          namespace: r.namespace,
          namespaceExplicit: true,
          labels: {},
          annotations: { 'scrapelint.io/synthesized-from': 'helm-values' },
          body: {
            chart: r.chart,
            version: r.version,
            versionKnown: r.versionKnown,
            versionNote: r.versionNote,
            release: r.release,
            releaseKnown: r.releaseKnown,
            namespace: r.namespace,
            via: r.via,
            layer: l.label,
            layerIndex: i,
            layerCount: r.layers.length,
            renderedInScope: rendered,
            synthesized: !rendered && !ambiguous && r.layers.length > 0,
            values: l.value,
            effective: eff.values,
          },
          file: l.file,
          ref: `${r.chart} values ${l.label}`,
          locate: (path) => {
            if (path[0] === 'values') return l.locateExact(path.slice(1)).location;
            if (path[0] === 'effective') {
              const o = eff.origin(path.slice(1));
              return o.defaultNote ? { ...o.location, template: o.defaultNote } : o.location;
            }
            return l.locateExact([]).location;
          },
        });
      });
    }
    return { resources, problems };
  },
};
