import { docsUrl, type Resource, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { didYouMean } from '../src/targets/services.js';
import { suggestDuration } from '../src/targets/durations.js';
import { CRD_GROUP, type CrdValidator, type SchemaError, type SchemaObject } from '../src/schemas/load.js';
import { crdValidator } from '../src/schemas/validator.js';

const ID = 'resource-schema';

/** The prometheus-operator kinds whose CRD schemas ship in src/schemas/operator-crds.json. */
const KINDS = ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig', 'Prometheus', 'PrometheusAgent'];

const DURATION_PATTERN = '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';
const BYTE_SIZE_PATTERN = '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$';
const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
/** Strings Kubernetes' YAML 1.1 parser reads as booleans (js-yaml, YAML 1.2, keeps them strings). */
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

type Path = (string | number)[];

/** A Kubernetes field path, as the API server and kubectl print it: spec.endpoints[0].tlsConfig. */
function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

function valueAt(body: unknown, path: readonly (string | number)[]): unknown {
  let v = body;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObj(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v instanceof Date ? v.toISOString() : v;
}

/** A number as YAML writes it (`.nan` and `.inf` rather than JavaScript's names). */
function num(n: number): string {
  return Number.isNaN(n) ? '.nan' : n === Infinity ? '.inf' : n === -Infinity ? '-.inf' : String(n);
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (v instanceof Date) return 'string';
  return typeof v;
}

/** "the number 8080", "the string \"x\"", "a mapping". */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (isObj(v)) return 'a mapping';
  if (typeof v === 'number') return `the number ${num(v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `the string ${show(v)}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (isObj(v)) return 'a mapping';
  return 'empty';
}

function quoteList(values: readonly unknown[]): string {
  return values.map((x) => JSON.stringify(x)).join(', ');
}

function propsOf(s: SchemaObject | undefined): string[] {
  return s && isObj(s.properties) ? Object.keys(s.properties) : [];
}

interface Issue {
  /** Where the finding points (the unknown key itself, the value, or the parent of missing fields). */
  at: Path;
  errors: SchemaError[];
}

const RANK: Record<string, number> = { type: 0, additionalProperties: 0, required: 1, enum: 2, const: 2, pattern: 3, format: 3 };
const COMBINERS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else']);

/**
 * One issue per offending node: an unknown key, a value, or the missing fields of one object.
 * Errors of a combinator (anyOf/oneOf) are dropped when a more precise error sits at the same
 * node or below it; the type errors of its branches merge into one ("integer or string").
 */
function groupErrors(errors: SchemaError[]): Issue[] {
  const groups = new Map<string, Issue>();
  for (const e of errors) {
    const kw = e.error.keyword;
    let at: Path = e.path;
    let key: string;
    if (kw === 'additionalProperties') {
      at = [...e.path, String((e.error.params as { additionalProperty: string }).additionalProperty)];
      key = JSON.stringify(at);
    } else if (kw === 'required') key = `${JSON.stringify(e.path)}#required`;
    else key = JSON.stringify(e.path);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { at, errors: [] }));
    g.errors.push(e);
  }
  const issues = [...groups.values()];
  const precise = issues.filter((i) => i.errors.some((e) => !COMBINERS.has(e.error.keyword)));
  return issues.filter((i) => {
    if (i.errors.some((e) => !COMBINERS.has(e.error.keyword))) return true;
    // Only combinator errors here: keep them unless a precise error explains them.
    const p = JSON.stringify(i.at).slice(0, -1);
    return !precise.some((o) => o !== i && JSON.stringify(o.at).startsWith(p));
  });
}

/** What the API server answers, in its own words. */
/** The field an unknown key most likely meant (a near-miss of a field allowed at its level). */
function meantField(c: Ctx, at: Path): string | undefined {
  return didYouMean(String(at[at.length - 1]), propsOf(c.v.schemaAt(c.r.kind, c.version, at.slice(0, -1))));
}

/**
 * A misspelled required field gives two errors: the unknown key and the missing field. The
 * unknown key explains both, so the missing field is not reported again.
 */
function withoutCascades(c: Ctx, issues: Issue[]): Issue[] {
  const meant = new Set<string>();
  for (const i of issues) {
    if (!i.errors.some((e) => e.error.keyword === 'additionalProperties')) continue;
    const m = meantField(c, i.at);
    if (m) meant.add(JSON.stringify([...i.at.slice(0, -1), m]));
  }
  if (meant.size === 0) return issues;
  return issues.flatMap((i) => {
    if (!i.errors.every((e) => e.error.keyword === 'required')) return [i];
    const errors = i.errors.filter((e) => !meant.has(JSON.stringify([...e.path, String((e.error.params as { missingProperty: string }).missingProperty)])));
    return errors.length ? [{ ...i, errors }] : [];
  });
}

function rejects(quote: string): string {
  return `the API server rejects the object: ${quote}`;
}

/** Enum values; long case-paired lists (relabel actions) are shown in lowercase only. */
function allowedList(values: readonly unknown[]): string {
  const strings = values.filter((x): x is string => typeof x === 'string');
  const lower = strings.filter((x) => x === x.toLowerCase());
  if (values.length > 8 && strings.length === values.length && lower.length * 2 === strings.length) {
    return `${quoteList(lower)} (or capitalized: ${JSON.stringify(strings.find((x) => x !== x.toLowerCase()))}...)`;
  }
  return quoteList(values);
}

interface Ctx {
  r: Resource;
  v: CrdValidator;
  version: string;
}

function unknownFieldMessage(c: Ctx, at: Path): string {
  const key = String(at[at.length - 1]);
  const parent = at.slice(0, -1);
  const parentSchema = c.v.schemaAt(c.r.kind, c.version, parent);
  const siblings = propsOf(parentSchema);
  const fp = fieldPath(at);
  let hint = '';
  const fileFields: Record<string, string> = { caFile: 'ca', certFile: 'cert', keyFile: 'keySecret' };
  const near = didYouMean(key, siblings);
  const required = Array.isArray(parentSchema?.required) ? (parentSchema.required as unknown[]) : [];
  const parentValue = valueAt(c.r.body, parent);
  if (near && required.includes(near) && !(isObj(parentValue) && near in parentValue)) {
    hint = ` (did you mean "${near}"? It is required, so without it the API server rejects the object: ${fieldPath([...parent, near])}: Required value)`;
  } else if (near) hint = ` (did you mean "${near}"?)`;
  else if (fileFields[key] && siblings.includes(fileFields[key]!)) {
    const to = fileFields[key]!;
    hint =
      ` (this tlsConfig cannot read files: a ${c.r.kind} takes it from a Secret or ConfigMap in its own namespace, ` +
      `${to === 'keySecret' ? 'keySecret: {name, key}' : `${to}: {secret: {name, key}} or ${to}: {configMap: {name, key}}`})`;
  } else if (key === 'endpoints' && siblings.includes('podMetricsEndpoints')) hint = ' (a PodMonitor lists its endpoints under podMetricsEndpoints)';
  else if (key === 'podMetricsEndpoints' && siblings.includes('endpoints')) hint = ' (a ServiceMonitor lists its endpoints under endpoints)';
  else {
    // One level too high: a child object of the parent has this field.
    const child = siblings.find((s) => {
      const sub = c.v.schemaAt(c.r.kind, c.version, [...parent, s]);
      const target = sub && sub.type === 'array' ? c.v.resolve(sub.items) : sub;
      return propsOf(target).includes(key);
    });
    if (child) {
      const childSchema = c.v.schemaAt(c.r.kind, c.version, [...parent, child]);
      const isList = childSchema?.type === 'array';
      hint = ` ("${key}" belongs one level down, under ${child}: ${fieldPath([...parent, child, ...(isList ? [0] : []), key])})`;
    } else if (parent.length > 0) {
      // One level too deep: the grandparent object has this field.
      const up = typeof parent[parent.length - 1] === 'number' ? parent.slice(0, -2) : parent.slice(0, -1);
      if (propsOf(c.v.schemaAt(c.r.kind, c.version, up)).includes(key)) hint = ` ("${key}" belongs one level up: ${fieldPath([...up, key])})`;
    }
  }
  return (
    `${c.r.ref}: unknown field "${fp}"${hint}. kubectl rejects the object ` +
    `(strict decoding error: unknown field "${fp}"); other clients only get a warning and the API server drops ` +
    'the field, so it has no effect.'
  );
}

function typeMessage(c: Ctx, at: Path, errors: SchemaError[]): string | undefined {
  const wanted = new Set<string>();
  for (const e of errors) {
    if (e.error.keyword !== 'type') continue;
    const t = (e.error.params as { type: string | string[] }).type;
    for (const x of Array.isArray(t) ? t : String(t).split(',')) if (x !== 'null') wanted.add(x);
  }
  const want = [...wanted];
  const wantText = want.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t)).join(' or ');
  const value = valueAt(c.r.body, at);
  const actual = jsonType(value);
  if (want.includes('boolean') && typeof value === 'string' && YAML11_BOOL.test(value)) return undefined; // a boolean to Kubernetes
  const fp = fieldPath(at);
  const schema = c.v.schemaAt(c.r.kind, c.version, at);
  const quote = rejects(`${fp} in body must be of type ${want.join(', ')}: "${actual}"`);
  if (schema?.pattern === DURATION_PATTERN && (typeof value === 'number')) {
    const s = suggestDuration(value);
    return `${c.r.ref}: ${fp} is ${show(value)}, not a duration like 30s or 1m: a bare number has no unit, and ${quote}.${s ? ` Write "${s}" if seconds are meant.` : ''}`;
  }
  let hint = '';
  const last = at[at.length - 1];
  const endpointList = at.length === 4 && at[0] === 'spec' && typeof at[2] === 'number' ? at[1] : undefined;
  if (last === 'port' && typeof value === 'number' && endpointList === 'endpoints') {
    hint = ` port is the name of a Service port; to scrape by number use targetPort: ${num(value)}.`;
  } else if (last === 'port' && typeof value === 'number' && endpointList === 'podMetricsEndpoints') {
    hint = ` port is the name of a container port; to scrape by number use portNumber: ${num(value)}.`;
  } else if (typeof value === 'string' && value.trim() !== '') {
    if ((want.includes('integer') && /^-?[0-9]+$/.test(value.trim())) || (want.includes('number') && Number.isFinite(Number(value))) || (want.includes('boolean') && /^(?:true|false)$/.test(value))) {
      hint = ' Remove the quotes.';
    }
  } else if (want.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    hint = ` Quote it: "${typeof value === 'number' ? num(value) : String(value)}".`;
  }
  if (want.length === 1 && want[0] === 'array' && (typeof value === 'string' || typeof value === 'number')) hint = ` Write it as a list: [${typeof value === 'number' ? num(value) : value}].`;
  return `${c.r.ref}: ${fp} must be ${wantText}, but it is ${describe(value)}: ${quote}.${hint}`;
}

function enumMessage(c: Ctx, at: Path, e: SchemaError): string {
  const allowed = ((e.error.params as { allowedValues?: unknown[] }).allowedValues ?? []).filter((x) => x !== null);
  const value = valueAt(c.r.body, at);
  const fp = fieldPath(at);
  const strings = allowed.filter((x): x is string => typeof x === 'string');
  const near = typeof value === 'string' ? didYouMean(value, strings) : undefined;
  let note = '';
  if (strings.includes('https') && strings.includes('HTTPS')) {
    note = ' Uppercase HTTP and HTTPS are only accepted from operator v0.87 on; lowercase works with every version.';
  }
  return (
    `${c.r.ref}: ${fp} is ${show(value)}, which is not one of ${allowedList(allowed)}: ` +
    `${rejects(`${fp}: Unsupported value: ${JSON.stringify(value)}`)}.${near ? ` Did you mean "${near}"?` : ''}${note}`
  );
}

function patternMessage(c: Ctx, at: Path, e: SchemaError): string {
  const pattern = String((e.error.params as { pattern: string }).pattern);
  const value = valueAt(c.r.body, at);
  const fp = fieldPath(at);
  const quote = rejects(`${fp} in body should match '${pattern}'`);
  if (pattern === DURATION_PATTERN) {
    const s = suggestDuration(value);
    return (
      `${c.r.ref}: ${fp} is ${show(value)}, not a duration like 30s or 1m (whole numbers with units ms, s, m, h, d, w, y, ` +
      `largest first, no spaces): the API server rejects the object (the CRD's Duration pattern).${s ? ` Write "${s}".` : ''}`
    );
  }
  if (pattern === BYTE_SIZE_PATTERN) {
    const fix = typeof value === 'string' && /^[0-9.]+[KMGTPE]i?$/.test(value) ? ` Write "${value}B".` : '';
    return `${c.r.ref}: ${fp} is ${show(value)}, not a byte size like 512MB or 1GiB: the API server rejects the object (the CRD's ByteSize pattern).${fix}`;
  }
  if (pattern === QUANTITY_PATTERN) {
    const m = typeof value === 'string' ? /^([0-9.]+)([KMGTPE])i?B$/.exec(value) : null;
    const fix = m ? ` Write "${m[1]}${m[2]}i" (binary) or "${m[1]}${m[2]}" (decimal).` : '';
    return `${c.r.ref}: ${fp} is ${show(value)}, not a Kubernetes quantity like 500m, 2 or 1Gi: the API server rejects the object (quantities take no "B").${fix}`;
  }
  const schemes = /^\^\(?([a-z0-9|]+)\)?(?:s\?)?:\/\/\.\+\$$/.exec(pattern);
  if (schemes) {
    const list = pattern.startsWith('^https?') ? ['http', 'https'] : schemes[1]!.split('|');
    return `${c.r.ref}: ${fp} is ${show(value)}, not a URL starting with ${list.map((s) => `${s}://`).join(' or ')}: ${quote}.`;
  }
  return `${c.r.ref}: ${fp} is ${show(value)}, which does not match the pattern ${pattern}: ${quote}.`;
}

function requiredMessage(c: Ctx, at: Path, errors: SchemaError[]): string {
  const names = [...new Set(errors.map((e) => String((e.error.params as { missingProperty: string }).missingProperty)))];
  const where = at.length ? fieldPath(at) : `the ${c.r.kind}`;
  const first = fieldPath([...at, names[0]!]);
  return (
    `${c.r.ref}: ${where} lacks the required field${names.length > 1 ? 's' : ''} ${quoteList(names)}: ` +
    `${rejects(`${first}: Required value`)} (unless this document is only a patch or a snippet merged into a complete object).`
  );
}

function otherMessage(c: Ctx, at: Path, e: SchemaError): string {
  const fp = fieldPath(at) || `the ${c.r.kind}`;
  const value = valueAt(c.r.body, at);
  const params = e.error.params as Record<string, unknown>;
  let what = e.error.message ?? `violates ${e.error.keyword}`;
  if (e.error.keyword === 'minLength' && params.limit === 1) what = 'must not be empty';
  if (e.error.keyword === 'minItems' && params.limit === 1) what = 'must not be an empty list';
  if (COMBINERS.has(e.error.keyword)) what = 'matches none of the forms the CRD allows';
  const shown = isObj(value) || Array.isArray(value) ? '' : ` (${show(value)})`;
  return `${c.r.ref}: ${fp}${shown} ${what}: the API server rejects the object.`;
}

function messageFor(c: Ctx, issue: Issue): string | undefined {
  const best = [...issue.errors].sort((a, b) => (RANK[a.error.keyword] ?? (COMBINERS.has(a.error.keyword) ? 9 : 4)) - (RANK[b.error.keyword] ?? (COMBINERS.has(b.error.keyword) ? 9 : 4)))[0]!;
  switch (best.error.keyword) {
    case 'additionalProperties':
      return unknownFieldMessage(c, issue.at);
    case 'type':
      return typeMessage(c, issue.at, issue.errors);
    case 'required':
      return requiredMessage(c, issue.at, issue.errors.filter((e) => e.error.keyword === 'required'));
    case 'enum':
      return enumMessage(c, issue.at, best);
    case 'pattern':
      return patternMessage(c, issue.at, best);
    default:
      return otherMessage(c, issue.at, best);
  }
}

export const rule = {
  id: ID,
  title: 'prometheus-operator object does not match its CRD schema',
  category: 'syntax',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['schema', 'crd'],
  precision: 'very-high',
  rationale:
    'ServiceMonitor, PodMonitor, Probe, ScrapeConfig, Prometheus and PrometheusAgent objects are checked against ' +
    'the OpenAPI schemas of the prometheus-operator CRDs. A wrong type, an invalid enum value or a malformed ' +
    'duration makes the API server reject the object; an unknown (often misspelled) field makes kubectl reject it, ' +
    'and any other client silently loses the field, so the setting it was meant to carry never takes effect.',
  check({ graph, report }) {
    if (!graph.has(...KINDS)) return;
    const candidates = KINDS.flatMap((k) => graph.byKind(k)).filter((r) => r.apiVersion.startsWith(`${CRD_GROUP}/`));
    if (candidates.length === 0) return;
    const v = crdValidator();
    for (const r of candidates) {
      const version = v.versionOf(r.kind, r.apiVersion);
      if (!version) continue; // an apiVersion these schemas do not describe
      const errors = v.validate(r.kind, version, r.body, r.tree === true);
      if (errors.length === 0) continue;
      const c: Ctx = { r, v, version };
      for (const issue of withoutCascades(c, groupErrors(errors))) {
        const message = messageFor(c, issue);
        if (!message) continue;
        // A missing field is certain only for a complete object: kustomize patches and
        // documentation snippets omit required fields on purpose.
        const partial = issue.errors.every((e) => e.error.keyword === 'required');
        report({ message, at: r.locate(issue.at), ...(partial ? { severity: 'warning' as const } : {}) });
      }
    }
  },
} satisfies Rule;

