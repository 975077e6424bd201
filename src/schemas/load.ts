/**
 * The prometheus-operator CRD schemas (src/schemas/operator-crds.json, see SOURCE.md), read on
 * first use and validated with ajv.
 *
 * Compiling a whole kind is slow for the big ones (Prometheus embeds PodSpec, ScrapeConfig every
 * service discovery: hundreds of ms), and a manifest uses a handful of its fields. So a kind is
 * compiled in two levels: its root with the schemas of `spec`'s fields left out (unknown and
 * required fields of `spec` are still checked there), and each `spec` field the first time an
 * object sets it. Repeated subschemas are `$ref`s into one shared `$defs`, compiled once.
 * Runs get all of these validators compiled ahead of time (precompile.ts, through validator.ts);
 * what a CrdValidator is not given, it compiles here on first use.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export type SchemaObject = Record<string, unknown>;

export interface CrdSchemaFile {
  source: string;
  /** The CRDs' operator.prometheus.io/version annotation. */
  crdVersionAnnotation: string;
  /** kind -> version -> schema (`$ref`s point at `#/$defs/<name>`). */
  kinds: Record<string, Record<string, SchemaObject>>;
  $defs: Record<string, SchemaObject>;
}

export const CRD_GROUP = 'monitoring.coreos.com';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where the package lives (dist/src/schemas -> the root), as in src/cli/main.ts. */
export const PACKAGE_ROOT = path.resolve(HERE, '../../..');
/** Next to the compiled loader when a build copies it there, else the committed source file. */
const CANDIDATES = [path.join(HERE, 'operator-crds.json'), path.join(PACKAGE_ROOT, 'src', 'schemas', 'operator-crds.json')];

let cached: CrdSchemaFile | undefined;
let digest: string | undefined;

/** Reads operator-crds.json once per process. */
export function loadCrdSchemas(): CrdSchemaFile {
  if (cached) return cached;
  let lastError: unknown;
  for (const file of CANDIDATES) {
    try {
      const bytes = readFileSync(file);
      cached = JSON.parse(bytes.toString('utf8')) as CrdSchemaFile;
      digest = createHash('sha256').update(bytes).digest('hex');
      return cached;
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`cannot read the CRD schemas (${CANDIDATES.join(' or ')}): ${(lastError as Error)?.message ?? String(lastError)}`);
}

const isObj = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One ajv error with its data path as segments (`/spec/endpoints/0/port` -> ['spec','endpoints',0,'port']). */
export interface SchemaError {
  path: (string | number)[];
  error: ErrorObject;
}

/** Thrown when an object is too large (an alias bomb) or too deep to be checked. */
class TooLarge extends Error {}

/**
 * What the API server validates: null fields are pruned before validation (structural schemas),
 * and YAML timestamps are strings to Kubernetes. Returns the value itself when nothing changes.
 * Aliases can make a small document huge: the walk stops after `budget` nodes or 200 levels.
 */
export function asApiServerSees(v: unknown, budget = { nodes: 200_000 }, depth = 0): unknown {
  if (--budget.nodes < 0 || depth > 200) throw new TooLarge('object too large to check');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const y = asApiServerSees(x, budget, depth + 1);
      if (y !== x) (out ??= v.slice())[i] = y;
    });
    return out ?? v;
  }
  if (!isObj(v)) return v;
  let out: SchemaObject | undefined;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === null || x === undefined) {
      out ??= { ...v };
      delete out[k];
      continue;
    }
    const y = asApiServerSees(x, budget, depth + 1);
    if (y !== x) (out ??= { ...v })[k] = y;
  }
  return out ?? v;
}

/** One segment of a JSON pointer inside a `crds#...` reference. */
export function pointerSegment(s: string): string {
  return encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));
}

export function splitInstancePath(p: string): (string | number)[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(?:0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

interface KindEntry {
  root: ValidateFunction;
  /** JSON pointer (in the schema file) of the spec schema, after `$ref`. */
  specPointer: string | undefined;
  spec: SchemaObject | undefined;
  fields: Map<string, FieldCheck | null>;
}

/** Validates the value of one spec field (at data path `base`), adding its errors to `out`. */
type FieldCheck = (value: unknown, base: (string | number)[], out: SchemaError[]) => void;

/** ajv's errors of a validator that ran on the value at `base`, with full paths. */
function addErrors(out: SchemaError[], errors: ErrorObject[] | null | undefined, base: (string | number)[]): void {
  const prefix = base.map((seg) => `/${String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  for (const err of errors ?? []) {
    out.push({ path: [...base, ...splitInstancePath(err.instancePath)], error: { ...err, instancePath: `${prefix}${err.instancePath}` } });
  }
}

/**
 * How one spec field is checked: its whole schema (`whole`, a reference), or, for a list of objects, the list
 * with its items' properties left out (`listRef`, a schema built here) and each item property on
 * its own (`itemRef` + `/properties/<name>`).
 */
export type FieldPlan =
  | { whole: string }
  | { listRef: string; listSchema: SchemaObject; itemRef: string; props: SchemaObject };

/** The ajv options of every validator, compiled here or ahead of time (src/schemas/precompile.ts). */
export const AJV_OPTIONS = {
  strict: false,
  allErrors: true,
  validateSchema: false,
  inlineRefs: false,
  code: { optimize: false },
  messages: true,
} as const;

/** Validators compiled ahead of time, by reference (see precompile.ts); an empty map compiles everything here. */
export type Precompiled = ReadonlyMap<string, ValidateFunction>;

/** Validates operator objects against the CRD schemas; validators are compiled once, on demand. */
export class CrdValidator {
  private ajvInstance: Ajv | undefined;
  private readonly entries = new Map<string, KindEntry>();

  constructor(
    readonly file: CrdSchemaFile = loadCrdSchemas(),
    private readonly precompiled: Precompiled = new Map(),
    /** ajv's code options on top of AJV_OPTIONS (the ahead-of-time compiler asks for the source). */
    private readonly code: { source?: boolean; esm?: boolean } = {},
  ) {}

  /**
   * ajv with the schema file and each kind's root without the schemas of spec's fields (and
   * without status, which the API server resets on create): names, required fields and types of
   * spec itself stay checked there. Made only for a validator that was not compiled ahead of time.
   */
  get ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, ...this.code } });
    const shallow: Record<string, Record<string, SchemaObject>> = {};
    for (const [kind, versions] of Object.entries(this.file.kinds)) {
      for (const [version, schema] of Object.entries(versions)) {
        const props = isObj(schema.properties) ? schema.properties : {};
        const spec = this.resolve(props.spec);
        const shallowSpec = spec && isObj(spec.properties) ? { ...spec, properties: Object.fromEntries(Object.keys(spec.properties).map((k) => [k, true])) } : props.spec;
        (shallow[kind] ??= {})[version] = {
          ...schema,
          properties: { ...props, ...(shallowSpec ? { spec: shallowSpec } : {}), ...(props.status ? { status: true } : {}) },
        };
      }
    }
    ajv.addSchema({ ...this.file, shallow } as unknown as SchemaObject, 'crds');
    return (this.ajvInstance = ajv);
  }

  /** The validator of a reference: compiled ahead of time, or now (`schema`: one built here, added under `ref`). */
  validator(ref: string, schema?: SchemaObject): ValidateFunction | undefined {
    const pre = this.precompiled.get(ref);
    if (pre) return pre;
    if (schema && !this.ajv.getSchema(ref)) this.ajv.addSchema(schema, ref);
    return this.ajv.getSchema(ref);
  }

  /** The CRD version of an apiVersion (`monitoring.coreos.com/v1` -> `v1`) when the schemas know it. */
  versionOf(kind: string, apiVersion: string): string | undefined {
    const [group, version] = apiVersion.split('/');
    if (group !== CRD_GROUP || !version) return undefined;
    return this.file.kinds[kind]?.[version] ? version : undefined;
  }

  resolve(s: unknown): SchemaObject | undefined {
    let cur = s;
    for (let i = 0; i < 8 && isObj(cur) && typeof cur.$ref === 'string'; i++) {
      const ref = cur.$ref;
      cur = ref.startsWith('#/$defs/') ? this.file.$defs[ref.slice('#/$defs/'.length)] : undefined;
    }
    return isObj(cur) ? cur : undefined;
  }

  /** The schema that describes the value at a data path (undefined when none does). */
  schemaAt(kind: string, version: string, dataPath: readonly (string | number)[]): SchemaObject | undefined {
    let s = this.resolve(this.file.kinds[kind]?.[version]);
    for (const seg of dataPath) {
      if (!s) return undefined;
      if (typeof seg === 'number') s = this.resolve(s.items);
      else {
        const props = isObj(s.properties) ? s.properties : undefined;
        s = this.resolve(props && Object.hasOwn(props, seg) ? props[seg] : isObj(s.additionalProperties) ? s.additionalProperties : undefined);
      }
    }
    return s;
  }

  /** The reference of a kind's root validator (its spec fields left out). */
  static rootRef(kind: string, version: string): string {
    return `crds#/shallow/${pointerSegment(kind)}/${pointerSegment(version)}`;
  }

  /** Pointer (in the schema file) of a kind's spec schema, after `$ref`, and that schema. */
  specOf(kind: string, version: string): { pointer: string | undefined; spec: SchemaObject | undefined } {
    const specRaw = (this.file.kinds[kind]![version]!.properties as SchemaObject | undefined)?.spec;
    let pointer: string | undefined;
    if (isObj(specRaw) && typeof specRaw.$ref === 'string' && specRaw.$ref.startsWith('#/$defs/')) pointer = `/$defs/${pointerSegment(specRaw.$ref.slice(8))}`;
    else if (isObj(specRaw)) pointer = `/kinds/${pointerSegment(kind)}/${pointerSegment(version)}/properties/spec`;
    return { pointer, spec: this.resolve(specRaw) };
  }

  private entry(kind: string, version: string): KindEntry {
    const key = `${kind}/${version}`;
    let e = this.entries.get(key);
    if (e) return e;
    const root = this.validator(CrdValidator.rootRef(kind, version));
    if (!root) throw new Error(`no schema for ${kind} ${version}`);
    const { pointer, spec } = this.specOf(kind, version);
    e = { root, specPointer: pointer, spec, fields: new Map() };
    this.entries.set(key, e);
    return e;
  }

  /**
   * How a spec field is checked (undefined for a field the schema does not have). A list of
   * objects (`endpoints`, `podMetricsEndpoints`, ...) is checked in two levels like the kind
   * itself: the list with its items' properties left out (types, required and unknown fields
   * still checked there), and each item property the first time an item sets it. `endpoints`
   * alone costs 24 ms to compile whole, and an endpoint sets a handful of its 25 properties.
   */
  fieldPlan(spec: SchemaObject | undefined, specPointer: string | undefined, field: string): FieldPlan | undefined {
    if (!spec || !specPointer || !isObj(spec.properties) || !Object.hasOwn(spec.properties, field)) return undefined;
    const raw = spec.properties[field];
    const pointer = isObj(raw) && typeof raw.$ref === 'string' && raw.$ref.startsWith('#/$defs/') ? `/$defs/${pointerSegment(raw.$ref.slice(8))}` : `${specPointer}/properties/${pointerSegment(field)}`;
    const schema = this.resolve(raw);
    if (!schema || schema.type !== 'array' || !isObj(schema.items)) return { whole: `crds#${pointer}` };
    const items = this.resolve(schema.items);
    if (!items || !isObj(items.properties)) return { whole: `crds#${pointer}` };
    const props = items.properties;
    const listSchema = { ...schema, items: { ...items, properties: Object.fromEntries(Object.keys(props).map((k) => [k, true])) } };
    // Compiled outside the schema file: no references allowed.
    if (JSON.stringify(listSchema).includes('"$ref"')) return { whole: `crds#${pointer}` };
    const rawItems = schema.items;
    const itemPointer = typeof rawItems.$ref === 'string' && rawItems.$ref.startsWith('#/$defs/') ? `/$defs/${pointerSegment(rawItems.$ref.slice(8))}` : `${pointer}/items`;
    return { listRef: `list:${pointer}`, listSchema, itemRef: `crds#${itemPointer}`, props };
  }

  /** The check of one spec field, compiled on first use. */
  private fieldValidator(e: KindEntry, field: string): FieldCheck | undefined {
    const known = e.fields.get(field);
    if (known !== undefined) return known ?? undefined;
    const plan = this.fieldPlan(e.spec, e.specPointer, field);
    const check = !plan ? null : 'whole' in plan ? this.wholeCheck(plan.whole) : this.listOfObjectsCheck(plan);
    e.fields.set(field, check);
    return check ?? undefined;
  }

  private wholeCheck(ref: string): FieldCheck | null {
    const fn = this.validator(ref);
    if (!fn) return null;
    return (value, base, out) => {
      if (!fn(value)) addErrors(out, fn.errors, base);
    };
  }

  /** The two-level check of a list of objects. */
  private listOfObjectsCheck(plan: Extract<FieldPlan, { listRef: string }>): FieldCheck {
    const list = this.validator(plan.listRef, plan.listSchema)!;
    const { props, itemRef } = plan;
    const byProp = new Map<string, ValidateFunction | null>();
    return (value, base, out) => {
      if (!list(value)) addErrors(out, list.errors, base);
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        if (!isObj(item)) return;
        for (const [prop, v] of Object.entries(item)) {
          if (!Object.hasOwn(props, prop)) continue; // unknown: reported by the list check
          let fn = byProp.get(prop);
          if (fn === undefined) byProp.set(prop, (fn = this.validator(`${itemRef}/properties/${pointerSegment(prop)}`) ?? null));
          if (fn && !fn(v)) addErrors(out, fn.errors, [...base, i, prop]);
        }
      });
    };
  }

  /**
   * Every schema violation of one object, in the shape the API server validates (nulls pruned,
   * timestamps as strings). `tree`: the body is known to hold no shared nodes (Resource.tree).
   */
  validate(kind: string, version: string, body: unknown, tree = false): SchemaError[] {
    // Most objects are valid as written: then the shape the API server sees is valid too (pruning
    // a null or turning a timestamp into a string cannot break a schema the object already meets),
    // and the walk that makes that shape is skipped.
    // Only for trees: a value with aliases may hold an exponential number of paths, and only the
    // budgeted walk below may visit it.
    if (tree && this.validateAsIs(kind, version, body).length === 0) return [];
    let value: unknown;
    try {
      value = asApiServerSees(body);
    } catch (err) {
      if (err instanceof TooLarge) return []; // not checked: an alias bomb or absurd nesting
      throw err;
    }
    return this.validateAsIs(kind, version, value);
  }

  private validateAsIs(kind: string, version: string, value: unknown): SchemaError[] {
    const e = this.entry(kind, version);
    const out: SchemaError[] = [];
    if (!e.root(value)) for (const err of e.root.errors ?? []) out.push({ path: splitInstancePath(err.instancePath), error: err });
    const spec = isObj(value) ? value.spec : undefined;
    if (isObj(spec)) {
      for (const [field, v] of Object.entries(spec)) this.fieldValidator(e, field)?.(v, ['spec', field], out);
    }
    return out;
  }
}

/** SHA-256 of operator-crds.json as read (what validators.generated.ts records it was compiled from). */
export function crdSchemasDigest(): string {
  loadCrdSchemas();
  return digest!;
}
