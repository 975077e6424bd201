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

/**
 * Are objects rendered from this release (helm template output, or a rendered copy) in scope?
 * `rendered` is built once per chart (see renderedReleases), not a scan of every object per release.
 */
function renderedInScope(r: Release, rendered: (chart: string) => { any: boolean; releases: Set<string> }): boolean {
  const seen = rendered(r.chart);
  return r.releaseKnown ? seen.releases.has(r.release) : seen.any;
}

/** Per chart: whether any object in scope was rendered from it, and the release names they carry. */
function renderedReleases(resources: readonly Resource[]): (chart: string) => { any: boolean; releases: Set<string> } {
  const byChart = new Map<string, { any: boolean; releases: Set<string> }>();
  return (chart) => {
    let hit = byChart.get(chart);
    if (!hit) {
      hit = { any: false, releases: new Set() };
      for (const x of resources) {
        const fromChart =
          (x.helmSource !== undefined && x.helmSource.startsWith(`${chart}/`)) ||
          (x.labels.chart !== undefined && x.labels.chart.startsWith(`${chart}-`)) ||
          x.labels['app.kubernetes.io/part-of'] === chart;
        if (!fromChart) continue;
        hit.any = true;
        if (x.labels.release !== undefined) hit.releases.add(x.labels.release);
        if (x.labels['app.kubernetes.io/instance'] !== undefined) hit.releases.add(x.labels['app.kubernetes.io/instance']);
      }
      byChart.set(chart, hit);
    }
    return hit;
  };
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
    const renderedFrom = renderedReleases(ctx.resources);
    for (const r of releases) {
      const rendered = renderedInScope(r, renderedFrom);
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
