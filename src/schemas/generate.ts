/**
 * Generates src/schemas/operator-crds.json from the prometheus-operator CustomResourceDefinitions:
 *
 *   npm run build --silent && node dist/src/schemas/generate.js <dir with *CustomResourceDefinition.yaml>
 *
 * For each kind the rule `resource-schema` checks, every served version's
 * `schema.openAPIV3Schema` is taken and turned into plain JSON Schema for ajv:
 * - `description` and keywords ajv cannot use (`format`, `default`, `x-kubernetes-list-*`,
 *   `x-kubernetes-map-type`, CEL `x-kubernetes-validations`) are dropped;
 * - `nullable: true` adds "null" to the type;
 * - `x-kubernetes-int-or-string` becomes `type: [integer, string]` (its anyOf goes);
 * - objects with `properties` get `additionalProperties: false` (the API server prunes unknown
 *   fields; kubectl's strict validation reports them), except objects with
 *   `x-kubernetes-preserve-unknown-fields` and anything under a `metadata` key;
 * - subschemas that occur more than once (Container, Volume, Affinity, TLSConfig...) are written
 *   once under `$defs` and referenced, so the file and ajv's compile stay small.
 * The output is deterministic: the same CRDs give the same bytes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/** The kinds checked by resource-schema. */
export const SCHEMA_KINDS = ['PodMonitor', 'Probe', 'Prometheus', 'PrometheusAgent', 'ScrapeConfig', 'ServiceMonitor'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JObj = { [k: string]: Json };

const DROP = new Set([
  'description',
  'format',
  'default',
  'example',
  'externalDocs',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-embedded-resource',
]);

const isJObj = (v: unknown): v is JObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI v3 (Kubernetes structural schema) -> JSON Schema for ajv. */
export function convert(s: Json, underMetadata = false): Json {
  if (!isJObj(s)) return s;
  const out: JObj = {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  for (const [k, v] of Object.entries(s)) {
    if (DROP.has(k) || k === 'nullable' || k === 'x-kubernetes-preserve-unknown-fields' || k === 'x-kubernetes-int-or-string') continue;
    if (intOrString && k === 'anyOf') continue;
    if (k === 'properties' && isJObj(v)) {
      const props: JObj = {};
      for (const [name, sub] of Object.entries(v)) props[name] = convert(sub, name === 'metadata');
      out[k] = props;
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isJObj(v)) out[k] = convert(v);
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map((x) => convert(x));
    else out[k] = v;
  }
  if (intOrString) out.type = ['integer', 'string'];
  if (s.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (isJObj(out.properties) && !preserve && !underMetadata && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * Moves repeated subschemas (larger than `minSize` characters of JSON) to `$defs`, largest first,
 * named after the property they first occur under. Pure and deterministic.
 */
export function dedupe(schemas: Record<string, Json>, minSize = 400): { defs: JObj; schemas: Record<string, Json> } {
  const count = new Map<string, number>();
  const nameOf = new Map<string, string>();
  const visit = (s: Json, name: string): void => {
    if (Array.isArray(s)) return s.forEach((x) => visit(x, name));
    if (!isJObj(s)) return;
    const key = JSON.stringify(s);
    if (key.length >= minSize) {
      count.set(key, (count.get(key) ?? 0) + 1);
      if (!nameOf.has(key)) nameOf.set(key, name);
    }
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties' && isJObj(v)) for (const [p, sub] of Object.entries(v)) visit(sub, p);
      else if (k === 'items') visit(v, `${name}Item`);
      else visit(v, name);
    }
  };
  for (const [kind, s] of Object.entries(schemas)) visit(s, kind);
  const repeated = [...count].filter(([, n]) => n > 1).map(([k]) => k);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const key of repeated) {
    const base = nameOf.get(key)!.replace(/[^A-Za-z0-9]/g, '') || 'def';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    names.set(key, name);
  }
  const defs: JObj = {};
  const rewrite = (s: Json, top: boolean): Json => {
    if (Array.isArray(s)) return s.map((x) => rewrite(x, false));
    if (!isJObj(s)) return s;
    const key = JSON.stringify(s);
    const name = top ? undefined : names.get(key);
    if (name) {
      if (!(name in defs)) {
        defs[name] = {}; // reserve (no cycles are possible in CRD schemas)
        defs[name] = rewriteChildren(s);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return rewriteChildren(s);
  };
  const rewriteChildren = (s: JObj): JObj => {
    const out: JObj = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties' && isJObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([p, sub]) => [p, rewrite(sub, false)]));
      else if (k === 'enum' || k === 'required') out[k] = v;
      else out[k] = rewrite(v, false);
    }
    return out;
  };
  const outSchemas: Record<string, Json> = {};
  for (const [kind, s] of Object.entries(schemas)) outSchemas[kind] = rewrite(s, true);
  return { defs: sortKeys(defs) as JObj, schemas: outSchemas };
}

function sortKeys(o: JObj): JObj {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

export interface GeneratedSchemas {
  source: string;
  /** The CRDs' operator.prometheus.io/version annotation. */
  crdVersionAnnotation: string;
  /** kind -> version (e.g. "v1") -> `#/kinds/<kind>/<version>` schema. */
  kinds: Record<string, Record<string, Json>>;
  $defs: JObj;
}

export function generate(dir: string): GeneratedSchemas {
  const found: Record<string, Record<string, Json>> = {};
  const versions = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => /CustomResourceDefinition\.ya?ml$/.test(n)).sort()) {
    const crd = load(readFileSync(path.join(dir, f), 'utf8')) as JObj;
    const spec = crd.spec as JObj;
    const names = spec.names as JObj;
    const kind = names.kind as string;
    if (spec.group !== 'monitoring.coreos.com' || !(SCHEMA_KINDS as readonly string[]).includes(kind)) continue;
    const ann = ((crd.metadata as JObj).annotations ?? {}) as JObj;
    if (typeof ann['operator.prometheus.io/version'] === 'string') versions.add(ann['operator.prometheus.io/version']);
    for (const v of spec.versions as JObj[]) {
      if (v.served !== true) continue;
      const schema = ((v.schema as JObj).openAPIV3Schema ?? null) as Json;
      (found[kind] ??= {})[v.name as string] = convert(schema);
    }
  }
  const missing = SCHEMA_KINDS.filter((k) => !found[k]);
  if (missing.length) throw new Error(`no CustomResourceDefinition for ${missing.join(', ')} in ${dir}`);
  const flat: Record<string, Json> = {};
  for (const kind of SCHEMA_KINDS) for (const [v, s] of Object.entries(found[kind]!).sort()) flat[`${kind}/${v}`] = s;
  const { defs, schemas } = dedupe(flat);
  const kinds: Record<string, Record<string, Json>> = {};
  for (const [key, s] of Object.entries(schemas)) {
    const [kind, v] = key.split('/') as [string, string];
    (kinds[kind] ??= {})[v] = s;
  }
  return {
    source: 'prometheus-operator CustomResourceDefinitions (monitoring.coreos.com), via kube-prometheus manifests/setup; Apache-2.0',
    crdVersionAnnotation: [...versions].sort().join(', '),
    kinds,
    $defs: defs,
  };
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/src/schemas/generate.js <dir with *CustomResourceDefinition.yaml> [out.json]\n');
    process.exit(2);
  }
  const out = process.argv[3] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/schemas/operator-crds.json');
  const json = JSON.stringify(generate(dir)) + '\n';
  writeFileSync(out, json);
  process.stdout.write(`wrote ${out} (${json.length} bytes)\n`);
}
