/**
 * The fast YAML reader (src/parse/fast-yaml.ts) must return exactly what js-yaml `load` returns
 * for a document, or BAIL (then js-yaml parses it). Checked on every YAML file of the fixtures,
 * the examples and the real corpora, on hand-written edge cases, and on generated documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fg from 'fast-glob';
import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { BAIL, Hazards, rangeAt, readFastYaml, readPositions } from '../src/parse/fast-yaml.js';
import { parseFile, splitDocuments } from '../src/parse/parse.js';
import { CORPUS, FIXTURES, ROOT } from './helpers/paths.js';
import { params } from './helpers/property.js';

const REFERENCE = path.resolve(ROOT, '../shared/reference');

type Outcome = { kind: 'same' } | { kind: 'bail' } | { kind: 'differs'; fast: unknown; jsyaml: unknown } | { kind: 'fast-accepts-error'; fast: unknown };

/** Reads one document both ways. */
function compare(text: string, start = 0, end = text.length, hazards?: Hazards): Outcome {
  const fast = readFastYaml(text, start, end, hazards);
  if (fast === BAIL) return { kind: 'bail' };
  let jsyaml: unknown;
  try {
    jsyaml = load(text.slice(start, end));
  } catch {
    return { kind: 'fast-accepts-error', fast };
  }
  return isDeepStrictEqual(fast, jsyaml) ? { kind: 'same' } : { kind: 'differs', fast, jsyaml };
}

function one(text: string): unknown {
  return readFastYaml(text, 0, text.length);
}

test('every document of the fixtures, examples and real corpora: the same value as js-yaml, or BAIL', () => {
  const roots = [FIXTURES, path.join(ROOT, 'examples'), CORPUS, REFERENCE].filter((r) => existsSync(r));
  let docs = 0;
  let bails = 0;
  const wrong: string[] = [];
  for (const root of roots) {
    for (const file of fg.sync(['**/*.yaml', '**/*.yml'], { cwd: root, absolute: true })) {
      const text = readFileSync(file, 'utf8');
      const hazards = new Hazards(text);
      for (const seg of splitDocuments(text)) {
        docs++;
        const o = compare(text, seg.start, seg.end, hazards);
        if (o.kind === 'bail') bails++;
        else if (o.kind !== 'same') wrong.push(`${path.relative(ROOT, file)} @${seg.start}: ${o.kind}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  // The fixtures and examples alone hold over 900 documents; the shared corpora (next to the
  // repository, absent from a clone elsewhere) add thousands more.
  const least = existsSync(CORPUS) ? 1000 : 500;
  assert.ok(docs > least, `only ${docs} documents found`);
  // The reader must actually take the common case, or it buys no speed.
  assert.ok(bails / docs < 0.1, `${bails} of ${docs} documents went to js-yaml`);
});

test('reads the shapes manifests are made of', () => {
  const cases: [string, unknown][] = [
    ['a: 1\nb: x\n', { a: 1, b: 'x' }],
    ['---\na: 1\n', { a: 1 }],
    ['--- # comment\na: 1\n', { a: 1 }],
    ['---\n# only a comment\n', null],
    ['# lead\nmetadata:\n  name: web # trailing\n  labels: {}\n', { metadata: { name: 'web', labels: {} } }],
    ['items:\n- a\n- b\nnext: 1\n', { items: ['a', 'b'], next: 1 }],
    ['- name: a\n  ports:\n    - 80\n    - 443\n-   name: b\n    x: y\n', [{ name: 'a', ports: [80, 443] }, { name: 'b', x: 'y' }]],
    ['- - a\n  - b\n- c\n', [['a', 'b'], 'c']],
    ['a:\n-\n  b: 1\n', { a: [{ b: 1 }] }],
    ['a:\nb: ~\nc: null\nd: true\ne: False\n', { a: null, b: null, c: null, d: true, e: false }],
    ['n: 0x1F\nf: 1.5\ne: 1e3\no: 0o17\ni: -7\ns: 0123x\nq: "8080"\nu: 1_000\n', { n: 31, f: 1.5, e: 1000, o: 15, i: -7, s: '0123x', q: '8080', u: '1_000' }],
    ['d: 2024-01-02\n', { d: new Date('2024-01-02T00:00:00Z') }],
    ['yes: on\nno: off\n', { yes: 'on', no: 'off' }],
    ['1: a\ntrue: b\nnull: c\n', { '1': 'a', true: 'b', null: 'c' }],
    ['"a b": 1\n\'c\': 2\nkey with spaces : 3\n', { 'a b': 1, c: 2, 'key with spaces': 3 }],
    ['s: "a\\tb\\n\\"c\\" \\u00e9 \\x41"\nt: \'it\'\'s\'\n', { s: 'a\tb\n"c" é A', t: "it's" }],
    ['url: http://x:9090/a#b\nc: a #comment\n', { url: 'http://x:9090/a#b', c: 'a' }],
    ['r: { cpu: 100m, memory: 128Mi }\nl: [a, "b", [1, 2], {x: y}]\ne: []\nt: [10.0.0.1:2379]\n', { r: { cpu: '100m', memory: '128Mi' }, l: ['a', 'b', [1, 2], { x: 'y' }], e: [], t: ['10.0.0.1:2379'] }],
    ['resources:\n  {}\nargs:\n  []\n', { resources: {}, args: [] }],
    ['d: a long\n  description that\n\n  wraps\n', { d: 'a long description that\nwraps' }],
    ['a: |\n  line 1\n\n  line 2\nb: 1\n', { a: 'line 1\n\nline 2\n', b: 1 }],
    ['a: |-\n  x\n\n\nb: |+\n  y\n\n', { a: 'x', b: 'y\n\n' }],
    ['a: >\n  folded\n  text\n\n  para\n    more\n  back\n', { a: 'folded text\npara\n  more\nback\n' }],
    ['- |\n  x\n- >-\n  y\n  z\n', ['x\n', 'y z']],
    ['a: |\n    deep\n  b\n'.replace('  b\n', ''), { a: 'deep\n' }],
    ['a: |\n  x\n#c\nb: 1\n', { a: 'x\n', b: 1 }],
    // A plain scalar over two lines is resolved once joined: js-yaml reads this timestamp.
    ['a: 2001-12-14\n  21:59:43.10\n', { a: new Date('2001-12-14T21:59:43.100Z') }],
  ];
  for (const [text, expected] of cases) {
    const got = one(text);
    assert.notEqual(got, BAIL, `bailed on ${JSON.stringify(text)}`);
    assert.deepStrictEqual(got, expected, JSON.stringify(text));
    assert.deepStrictEqual(got, load(text), `js-yaml disagrees on ${JSON.stringify(text)}`);
  }
});

test('leaves to js-yaml what it does not read exactly', () => {
  const cases = [
    'a: &x 1\nb: *x\n', // anchors and aliases
    'a: !!str 1\n', // tags
    '%YAML 1.2\n---\na: 1\n', // directives
    '<<: {a: 1}\n', // merge keys
    '? a\n: b\n', // complex keys
    'a: 1\na: 2\n', // duplicate keys (js-yaml rejects them; the exact parser reports them)
    'a: {x: 1, x: 2}\n',
    'a:\tb\n', // tabs
    'a: 1\r\nb: 2\r\n', // CR line ends
    'a: [1,\n  2]\n', // multi-line flow
    'a: "x\n  y"\n', // multi-line quoted
    'a: |2\n   x\n', // explicit indentation indicator
    'a: b: c\n', // errors
    'a: 1\n  b: 2\n',
    '  a: 1\nb: 2\n',
    '- a\nb: 1\n',
    'just a scalar\n',
    '{"json": true}\n',
    '__proto__: x\n',
    'a: "\\q"\n',
    'a:\n  plain on its own line\n',
    '{{ .Values.x }}\n',
    '\uFEFFa: 1\n', // a byte order mark (splitDocuments skips the one that starts a file)
    'a: b\u0001c\n', // control characters, DEL, NUL (js-yaml rejects the document)
    'a: "b\u0001c"\n',
    'a: b\u007fc\n',
    'a: b # \u0000\n',
    'a: \uD800\n', // a lone surrogate
    'a: 1\n--- x: y\n', // a document marker is never a key
    'a: 1\n... x: y\n',
    '- - a\n  -\n- b\n', // js-yaml appends b to the inner sequence
  ];
  for (const text of cases) assert.equal(one(text), BAIL, JSON.stringify(text));
});

test('nothing past the end of the range is read', () => {
  assert.equal(readFastYaml('a: []\n', 0, 4), BAIL); // "a: [" does not close
  assert.equal(readFastYaml('a: {}\n', 0, 4), BAIL);
  assert.equal(readFastYaml('---\na: 1', 0, 2), BAIL); // "--" is a scalar, not a `---` marker: left to js-yaml
});

test('one document of a multi-document file: only its own text is read', () => {
  const text = 'a: 1\n---\nb: |\n  x\n---\nc:\td\n---\n- 1\n';
  const hz = new Hazards(text);
  const values = splitDocuments(text).map((s) => readFastYaml(text, s.start, s.end, hz));
  assert.deepStrictEqual(values, [{ a: 1 }, { b: 'x\n' }, BAIL, [1]]);
});

test('a document nested deeper than the reader goes is left to js-yaml (no stack overflow)', () => {
  let text = '';
  for (let i = 0; i < 5000; i++) text += `${' '.repeat(i)}k:\n`;
  assert.equal(one(text), BAIL);
});

// Generated documents: random values written by js-yaml in random styles, and random edits of them.
const scalar = fc.oneof(
  fc.constantFrom('null', '~', 'true', 'False', 'yes', 'on', '1', '-1', '0x1F', '0o7', '1e3', '.5', '.inf', '-.Inf', '.NaN', '1_000', '2024-01-02', '2024-01-02T10:00:00Z', '', ' ', 'a b', 'a: b', 'a #b', 'a#b', '- x', '-x', '? x', '"q"', "it's", 'x\ny', 'x\n\ny\n', '  lead', 'trail  ', '{}', '[a]', 'http://h:1/p', '\\', 'é', 'a\tb', '<<'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom('a', 'b', 'name', 'port', '1', 'true', 'null', 'a b', 'a:b', 'x-y', '"k"', '- k', '#k', 'k#'), fc.string({ maxLength: 6 }));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('seq'), tie('map')),
  seq: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;
const style = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  flowLevel: fc.integer({ min: -1, max: 3 }),
  noArrayIndent: fc.boolean(),
  lineWidth: fc.constantFrom(-1, 20, 80),
  forceQuotes: fc.boolean(),
  quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
  noCompatMode: fc.boolean(),
});
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'insert', 'indent', 'dedent', 'duplicate'),
  text: fc.constantFrom(' ', ':', ': ', '#', ' #', '- ', '\n', '"', "'", '|', '>', '{', '[', ',', '---\n', '  ', '\uFEFF', '\u00A0', '\r', '\t', '\u0001', '\u007F', '\u0000', '&a ', '*a', '!t ', '? ', '<<: '),
});

function applyEdit(text: string, e: { at: number; kind: string; text: string }): string {
  const lines = text.split('\n');
  const li = e.at % Math.max(lines.length, 1);
  const line = lines[li] ?? '';
  const ci = line.length ? e.at % (line.length + 1) : 0;
  switch (e.kind) {
    case 'delete':
      lines[li] = line.slice(0, ci) + line.slice(ci + 1);
      break;
    case 'insert':
      lines[li] = line.slice(0, ci) + e.text + line.slice(ci);
      break;
    case 'indent':
      lines[li] = ` ${line}`;
      break;
    case 'dedent':
      lines[li] = line.replace(/^ /, '');
      break;
    default:
      lines.splice(li, 0, line);
  }
  return lines.join('\n');
}

test('generated documents, and edits of them: the same value as js-yaml, or BAIL', () => {
  const seen = { same: 0, bail: 0 };
  fc.assert(
    fc.property(value, style, fc.array(edit, { maxLength: 3 }), (v, s, edits) => {
      let text: string;
      try {
        text = dump(v, s);
      } catch {
        return; // values js-yaml cannot write
      }
      for (const e of [undefined, ...edits]) {
        if (e) text = applyEdit(text, e);
        const o = compare(text);
        if (o.kind === 'same' || o.kind === 'bail') seen[o.kind]++;
        if (o.kind === 'differs' || o.kind === 'fast-accepts-error') {
          assert.fail(`${o.kind} on ${JSON.stringify(text)}: fast ${JSON.stringify(o.fast)}${o.kind === 'differs' ? `, js-yaml ${JSON.stringify(o.jsyaml)}` : ''}`);
        }
      }
    }),
    params(1500),
  );
  // Generated documents must exercise the reader, not only its bail-outs.
  assert.ok(seen.same > seen.bail / 4, `read ${seen.same}, bailed ${seen.bail}`);
});

test('edits of the fixture files: the same value as js-yaml, or BAIL', () => {
  const files = fg.sync(['**/*.yaml'], { cwd: FIXTURES, absolute: true }).map((f) => readFileSync(f, 'utf8'));
  fc.assert(
    fc.property(fc.nat(files.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), (fi, edits) => {
      let text = files[fi]!;
      for (const e of edits) {
        text = applyEdit(text, e);
        const hz = new Hazards(text);
        for (const seg of splitDocuments(text)) {
          const o = compare(text, seg.start, seg.end, hz);
          if (o.kind === 'differs' || o.kind === 'fast-accepts-error') {
            assert.fail(`${o.kind} on ${JSON.stringify(text.slice(seg.start, seg.end))}: fast ${JSON.stringify(o.fast)}${o.kind === 'differs' ? `, js-yaml ${JSON.stringify(o.jsyaml)}` : ''}`);
          }
        }
      }
    }),
    params(1000),
  );
});

/** Every path of a value (map keys, sequence indexes), plus one missing key or index per container. */
function* pathsOf(v: unknown, prefix: (string | number)[] = []): Generator<(string | number)[]> {
  yield prefix;
  if (v === null || typeof v !== 'object' || v instanceof Date) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* pathsOf(v[i], [...prefix, i]);
    yield [...prefix, v.length];
  } else {
    for (const [k, c] of Object.entries(v)) yield* pathsOf(c, [...prefix, k]);
    yield [...prefix, 'no-such-key'];
  }
}

test('positions: every path of every fixture document lands where the exact parser (yaml) puts it', () => {
  let paths = 0;
  let fast = 0;
  const wrong: string[] = [];
  for (const file of fg.sync(['**/*.yaml'], { cwd: FIXTURES, absolute: true }).concat(fg.sync(['examples/**/*.yaml'], { cwd: ROOT, absolute: true }))) {
    const text = readFileSync(file, 'utf8');
    for (const doc of parseFile({ path: file, absPath: file, text }).documents) {
      if (readPositions(text, doc.start, doc.end) !== BAIL) fast++;
      for (const p of pathsOf(doc.value)) {
        paths++;
        const a = doc.locateExact(p);
        const b = doc.locateWithYaml(p);
        if (!isDeepStrictEqual(a, b)) wrong.push(`${path.relative(ROOT, file)} ${JSON.stringify(p)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
  }
  assert.deepEqual(wrong.slice(0, 10), []);
  assert.ok(paths > 10_000 && fast > 300, `${paths} paths, ${fast} documents read by the fast reader`);
});

test('positions: entries, sequence items, flow entries, block scalars and missing paths', () => {
  const text = 'a:\n  b: 1 # c\n  c: |\n    x\n\n  l:\n  - 1\n  -   {x: 2, y: [3]}\n  n:\ne:\n  - k: v\n    o: p\n  -\n';
  const pos = readPositions(text, 0, text.length);
  assert.notEqual(pos, BAIL);
  const at = (p: (string | number)[]) => {
    const r = rangeAt(pos as Exclude<typeof pos, typeof BAIL>, p);
    return [text.slice(r.range[0], r.range[1]), r.exact];
  };
  assert.deepEqual(at(['a', 'b']), ['b: 1', true]);
  assert.deepEqual(at(['a', 'c']), ['c: |\n    x', true]);
  assert.deepEqual(at(['a', 'l', 1]), ['{x: 2, y: [3]}', true]);
  assert.deepEqual(at(['a', 'l', 1, 'y', 0]), ['3', true]);
  assert.deepEqual(at(['a', 'l', 1, 'x']), ['x: 2', true]);
  assert.deepEqual(at(['a', 'n']), ['n:', true]);
  assert.deepEqual(at(['e', 0]), ['k: v\n    o: p', true]);
  assert.deepEqual(at(['e', 0, 'o']), ['o: p', true]);
  assert.deepEqual(at(['e', 0, 'missing']), ['k: v\n    o: p', false]);
  assert.deepEqual(at(['e', 1]), ['e:\n  - k: v\n    o: p\n  -', true]); // a null entry has no range of its own: its parent's
  assert.deepEqual(at(['a', 'b', 'deeper']), ['b: 1', false]);
});
