/**
 * The validators compiled ahead of time (src/schemas/validators.generated.ts) are current and
 * behave exactly like the ones ajv compiles at run time: the same errors for every operator
 * object of the fixtures, examples and corpora, and for random edits of them; and a run that
 * has them never builds ajv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { CRD_GROUP, CrdValidator, type Precompiled, crdSchemasDigest, loadCrdSchemas } from '../src/schemas/load.js';
import { crdValidator } from '../src/schemas/validator.js';
import { COMPILED_FROM, precompiledValidators } from '../src/schemas/validators.generated.js';
import { OUTPUT, allValidatorRefs, generate } from '../src/schemas/precompile.js';
import { packageRoot } from '../src/paths.js';
import { params } from './helpers/property.js';

const ROOT = packageRoot();
const file = loadCrdSchemas();
const precompiled: Precompiled = precompiledValidators();

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Every operator object of the fixtures, the examples and (when present) the shared corpora. */
function operatorObjects(): { kind: string; version: string; body: Record<string, unknown> }[] {
  const v = new CrdValidator(file);
  const dirs = [path.join(ROOT, 'fixtures'), path.join(ROOT, 'examples'), path.join(ROOT, '..', 'shared', 'corpus')];
  const out: { kind: string; version: string; body: Record<string, unknown> }[] = [];
  for (const dir of dirs) {
    let files: string[] = [];
    try {
      files = yamlFiles(dir);
    } catch {
      continue; // the corpora are not part of a clone
    }
    for (const f of files) {
      let docs: unknown[] = [];
      try {
        docs = yaml.loadAll(readFileSync(f, 'utf8'));
      } catch {
        continue;
      }
      for (const d of docs) {
        if (!d || typeof d !== 'object' || Array.isArray(d)) continue;
        const body = d as Record<string, unknown>;
        if (typeof body.kind !== 'string' || typeof body.apiVersion !== 'string' || !body.apiVersion.startsWith(`${CRD_GROUP}/`)) continue;
        const version = v.versionOf(body.kind, body.apiVersion);
        if (version) out.push({ kind: body.kind, version, body });
      }
    }
  }
  return out;
}

const objects = operatorObjects();

test('validators.generated.ts is what precompile.ts generates now (run: npm run build:schemas)', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generate(), 'src/schemas/validators.generated.ts is stale: npm run build:schemas');
});

test('every validator a CrdValidator can ask for is compiled ahead of time', () => {
  const refs = allValidatorRefs(new CrdValidator(file)).map((r) => r.ref);
  assert.deepEqual([...precompiled.keys()].sort(), [...refs].sort());
});

test('precompiled and run-time validators report the same errors on every operator object in reach', () => {
  assert.ok(objects.length > 100, `only ${objects.length} operator objects found`);
  const pre = new CrdValidator(file, precompiled);
  const runtime = new CrdValidator(file);
  let invalid = 0;
  for (const o of objects) {
    const a = pre.validate(o.kind, o.version, o.body);
    assert.deepEqual(a, runtime.validate(o.kind, o.version, o.body), `${o.kind} ${String((o.body.metadata as { name?: unknown })?.name)}`);
    if (a.length) invalid++;
  }
  assert.ok(invalid > 10, `only ${invalid} objects with errors: the comparison says little`);
  assert.equal((pre as unknown as { ajvInstance: unknown }).ajvInstance, undefined, 'a run with the precompiled validators built ajv');
});

test('precompiled and run-time validators agree on random edits of operator objects', () => {
  const pre = new CrdValidator(file, precompiled);
  const runtime = new CrdValidator(file);
  const value = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1.5, '', '30s', '1m 30s', 'https', 'HTTP', 'web', [], {}, [{}], { name: '' }, ['a']),
    fc.string({ maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.nat(objects.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(), value), { minLength: 1, maxLength: 4 }), (i, edits) => {
      const o = objects[i]!;
      const body = structuredClone(o.body);
      for (const [pick, keyPick, v] of edits) {
        // Walk down to a random object of the body and set one of its keys (or a new one).
        let cur: Record<string, unknown> = body;
        for (let d = 0; d < 4; d++) {
          const kids = Object.values(cur).flatMap((x) => (Array.isArray(x) ? x : [x])).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
          if (kids.length === 0 || (pick >> d) % 3 === 0) break;
          cur = kids[(pick >> (d + 2)) % kids.length]!;
        }
        const keys = [...Object.keys(cur), 'port', 'scheme', 'interval', 'unknownField'];
        cur[keys[keyPick % keys.length]!] = structuredClone(v);
      }
      assert.deepEqual(pre.validate(o.kind, o.version, body), runtime.validate(o.kind, o.version, body));
    }),
    params(300),
  );
  assert.equal((pre as unknown as { ajvInstance: unknown }).ajvInstance, undefined, 'a validator was compiled at run time: its reference is missing from the precompiled map');
});

test('the precompiled validators are used only with the schema file they were compiled from', () => {
  assert.equal(COMPILED_FROM, crdSchemasDigest());
  assert.equal((crdValidator() as unknown as { precompiled: ReadonlyMap<string, unknown> }).precompiled.size, precompiled.size);
});
