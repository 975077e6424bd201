/**
 * What scrapelint knows about the kube-prometheus-stack chart: the union key tree of every known
 * chart version and the newest defaults, generated into data/kps.json by generate-data.ts.
 */
import kps from './data/kps.json' with { type: 'json' };
import { compareVersions } from './versions.js';

export interface KeyNode {
  /** Index ranges into `versions` where the key exists; absent = every version. */
  v?: [number, number][];
  /** Types of the default: b n s m l, z (null), e (empty map). */
  t: string;
  c?: Record<string, KeyNode>;
}

export interface ChartData {
  latest: string;
  versions: string[];
  tree: KeyNode;
  defaults: Record<string, unknown>;
}

/** Imported (not read from disk) so that tsc copies it to dist/ and the action bundle inlines it. */
const data = kps as unknown as ChartData;

export function chartData(): ChartData {
  return data;
}

export const CHART_NAMES = new Set(['kube-prometheus-stack', 'prometheus-operator']);

/** The newest known kube-prometheus-stack version. */
export function latestVersion(): string {
  return chartData().latest;
}

/** Index of the known version nearest to (at or below) `version`; the oldest one of its line otherwise. */
export function versionIndex(version: string): number {
  const vs = chartData().versions;
  let best = -1;
  for (let i = 0; i < vs.length; i++) if (compareVersions(vs[i]!, version) <= 0) best = i;
  if (best >= 0) return best;
  return version.startsWith('legacy-') ? 0 : vs.findIndex((v) => !v.startsWith('legacy-'));
}

export function existsAt(node: KeyNode, idx: number): boolean {
  return !node.v || node.v.some(([a, b]) => idx >= a && idx <= b);
}

/** Versions (as text) in which a key exists, for messages: "9.3.4 to 23.0.0". */
export function versionSpan(node: KeyNode): string {
  const vs = chartData().versions;
  const ranges = node.v ?? [[0, vs.length - 1]];
  return ranges
    .map(([a, b]) => {
      const from = vs[a]!.replace(/^legacy-/, 'stable/prometheus-operator ');
      const to = vs[b]!.replace(/^legacy-/, 'stable/prometheus-operator ');
      return a === b ? from : b === vs.length - 1 ? `${from} and later` : `${from} to ${to}`;
    })
    .join(', ');
}

export { editDistance as distance } from '../../model/similar.js';
import { editDistance as distance } from '../../model/similar.js';

/** The closest sibling key: a typo when its distance is small for the key's length. */
export function closest(key: string, candidates: Iterable<string>): { key: string; distance: number } | undefined {
  let best: { key: string; distance: number } | undefined;
  const lower = key.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0.5 : distance(key, c, 3);
    if (!best || d < best.distance) best = { key: c, distance: d };
  }
  if (!best) return undefined;
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  return best.distance <= limit ? best : undefined;
}

/** Every path (below the top) where a key of this name exists in the chart, for "keys under the wrong parent". */
export function pathsOfKey(name: string, idx: number, limit = 3): string[][] {
  const out: string[][] = [];
  const walk = (n: KeyNode, p: string[]) => {
    if (!n.c || out.length >= limit) return;
    for (const [k, child] of Object.entries(n.c)) {
      if (!existsAt(child, idx)) continue;
      if (k === name) out.push([...p, k]);
      if (p.length < 4) walk(child, [...p, k]);
    }
  };
  walk(chartData().tree, []);
  return out;
}
