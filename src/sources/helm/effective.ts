/**
 * Effective values of a release: the chart defaults of its version merged with every values
 * layer in order (Helm's `-f a -f b`: maps merge, lists and scalars replace, `null` deletes), each
 * value able to say where it comes from.
 */
import type { Location, NodePath } from '../../model/location.js';
import { type Obj, isObj } from '../../model/resource.js';
import { chartData } from './chart.js';
import { getPath, hasPath, type ValuesLayer } from './layers.js';
import type { Release } from './recognise.js';
import { versionDefaults } from './versions.js';

export interface Origin {
  location: Location;
  /** The layer that wrote the value; undefined when the chart default applies. */
  layer?: ValuesLayer;
  /** Set when the value is the chart's default: "chart default kubeEtcd.service.port=2379, kube-prometheus-stack 39.4.0". */
  defaultNote?: string;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function setPath(target: Obj, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const seg of path.slice(0, -1)) {
    if (!isObj(cur[seg])) cur[seg] = {};
    cur = cur[seg];
  }
  cur[path[path.length - 1]!] = clone(value);
}

/** Helm's merge of one layer over another: maps merge, everything else replaces, null deletes. */
export function mergeValues(base: Obj, over: Obj): Obj {
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete base[k];
    else if (isObj(v) && isObj(base[k])) mergeValues(base[k], v);
    else base[k] = isObj(v) ? mergeValues({}, v) : clone(v);
  }
  return base;
}

export class EffectiveValues {
  readonly values: Obj;
  private readonly defaults: Obj;

  constructor(readonly release: Release) {
    const defaults = clone(chartData().defaults) as Obj;
    for (const d of versionDefaults(release.version)) setPath(defaults, d.path, d.value);
    this.defaults = defaults;
    const merged = clone(defaults);
    for (const l of release.layers) mergeValues(merged, l.value);
    this.values = merged;
  }

  get(path: NodePath): unknown {
    return getPath(this.values, path);
  }

  /** Did any layer write this path? */
  written(path: NodePath): boolean {
    return this.release.layers.some((l) => hasPath(l.value, path));
  }

  /** Where the value at `path` comes from: the last layer that writes it, or the chart default. */
  origin(path: NodePath): Origin {
    const layers = this.release.layers;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i]!;
      if (hasPath(l.value, path)) return { location: l.locateExact(path).location, layer: l };
    }
    // A default: point at the nearest parent the user wrote, and say that the default applies.
    let location = this.release.anchor;
    outer: for (let n = path.length - 1; n >= 1; n--) {
      const prefix = path.slice(0, n);
      for (let i = layers.length - 1; i >= 0; i--) {
        if (hasPath(layers[i]!.value, prefix)) {
          location = layers[i]!.locateExact(prefix).location;
          break outer;
        }
      }
    }
    const def = getPath(this.defaults, path);
    const shown = def === undefined || def === null ? 'unset' : typeof def === 'object' ? JSON.stringify(def) : String(def);
    const version = this.release.version.replace(/^legacy-/, '');
    return {
      location,
      defaultNote: `chart default ${path.join('.')}: ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}, ${this.release.chart} ${version}${this.release.versionKnown ? '' : ' assumed'}`,
    };
  }
}

/** Go template truthiness: false, 0, "", nil and empty maps/lists are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}
