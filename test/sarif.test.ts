/**
 * The SARIF output is what GitHub code scanning ingests: validate it against the official
 * SARIF 2.1.0 JSON schema (ajv, draft-04) and with Microsoft's SARIF multitool (its SARIF and
 * GitHub ingestion rules), and check that partialFingerprints survive unrelated edits.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsPlugin from 'ajv-formats';
import type * as Sarif from 'sarif';
import { BIN, ROOT } from './helpers/paths.js';

// Both packages are CommonJS with `module.exports = X; exports.default = X`.
type AjvCtor = typeof AjvDraft04.default;
const Ajv = ((AjvDraft04 as unknown as { default?: AjvCtor }).default ?? AjvDraft04) as AjvCtor;
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin.default }).default ?? addFormatsPlugin) as typeof addFormatsPlugin.default;

const SCHEMA = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const MULTITOOL = path.join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

function lintSarif(args: string[], opts: { cwd?: string; input?: string } = {}): Sarif.Log {
  const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'sarif', ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: 15_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  if (r.error) throw r.error;
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Sarif.Log;
}

/** A scope with every severity, an input problem, standard input and a Helm template path. */
const HELM_STDIN = `---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
  labels: {app: shop}
spec:
  selector: {app: shop}
  ports:
    - name: http-metrics
      port: 9102
---
# Source: shop/templates/servicemonitor.yaml
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    matchLabels: {app: shop}
  endpoints:
    - port: http-metric
---
# Source: shop/templates/orphan.yaml
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: orphan
  namespace: shop
spec:
  selector:
    matchLabels: {app: nothing}
  endpoints:
    - port: http-metrics
---
# Source: shop/templates/patch.yaml
apiVersion: v1
kind: Service
spec: {}
---
# Source: shop/templates/broken.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: [
`;

let tmp: string;
let examples: Sarif.Log;
let mixed: Sarif.Log;
let accounted: Sarif.Log;

/** A log with in-source suppressions and baseline states (issue: they must stay valid for GitHub). */
function suppressedAndBaselined(dir: string): Sarif.Log {
  const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: shop}\nspec:\n  serviceMonitorSelector: {matchLabels: {release: kps}}\n';
  const sm = (name: string) => `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  endpoints: [{port: web}]\n`;
  writeFileSync(path.join(dir, 'prom.yaml'), prom);
  writeFileSync(path.join(dir, 'a.yaml'), `# scrapelint-disable monitor-not-selected -- scraped by the platform Prometheus\n${sm('a')}`);
  writeFileSync(path.join(dir, 'b.yaml'), sm('b'));
  const base = spawnSync(process.execPath, [BIN, 'lint', '--write-baseline', 'base.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(base.status, 0, base.stderr);
  writeFileSync(path.join(dir, 'c.yaml'), sm('c'));
  return lintSarif(['--baseline', 'base.json'], { cwd: dir });
}

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-sarif-'));
  examples = lintSarif(['examples']);
  mixed = lintSarif(['-', 'examples/apps'], { input: HELM_STDIN });
  const dir = path.join(tmp, 'accounted');
  mkdirSync(dir);
  accounted = suppressedAndBaselined(dir);
});

after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('SARIF 2.1.0 JSON schema (ajv-draft-04)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  // unicodeRegExp: false because one pattern of the schema (language) is not a valid /u regexp.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

  test('the schema is the official draft-04 SARIF 2.1.0 schema', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
    assert.match(String(schema.title), /SARIF\) Version 2\.1\.0/);
  });

  test('suppressions and baseline states validate', () => {
    const results = accounted.runs[0]!.results!;
    assert.ok(results.some((r) => r.suppressions?.[0]?.kind === 'inSource'));
    assert.deepEqual([...new Set(results.map((r) => r.baselineState))].sort(), ['new', 'unchanged']);
    assert.ok(validate(accounted), JSON.stringify(validate.errors, null, 2));
  });

  test('examples/ validates', () => {
    assert.equal(examples.runs[0]!.results!.length, 7);
    assert.ok(validate(examples), errors().join('\n'));
  });

  test('standard input, Helm templates, notes, warnings and input problems validate', () => {
    const levels = new Set(mixed.runs[0]!.results!.map((r) => r.level));
    assert.deepEqual([...levels].sort(), ['error', 'note', 'warning']);
    assert.ok(validate(mixed), errors().join('\n'));
  });

  test('control: the validator rejects a broken log', () => {
    const bad = structuredClone(examples) as unknown as { runs: { results: { level: string }[]; tool: { driver: { rules: { properties: { tags: string[] } }[] } } }[] };
    bad.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(bad), false);
    const dupTags = structuredClone(examples) as typeof bad;
    dupTags.runs[0]!.tool.driver.rules[0]!.properties.tags = ['tls', 'tls'];
    assert.equal(validate(dupTags), false, 'tags must be unique (propertyBag.tags uniqueItems)');
  });
});

describe('SARIF multitool validate (Gh;Sarif rules)', () => {
  const ready = existsSync(MULTITOOL);
  const skip = ready ? false : 'multitool binary not installed';
  /** Multitool results per validated log (one run of the tool for all logs: .NET starts slowly). */
  const byLog = new Map<string, Sarif.Result[]>();

  before(() => {
    if (!ready) return;
    chmodSync(MULTITOOL, 0o755); // npm does not run the package's postinstall (chmod u+x)
    const inputs = new Map<string, Sarif.Log>([
      ['examples', examples],
      ['mixed', mixed],
      ['accounted', accounted],
    ]);
    const uris = new Map<string, string>();
    for (const [name, log] of inputs) {
      const file = path.join(tmp, `${name}.sarif`);
      writeFileSync(file, JSON.stringify(log, null, 2));
      uris.set(pathToFileURL(file).href, name);
      byLog.set(name, []);
    }
    const output = path.join(tmp, 'validation.sarif');
    const r = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Gh;Sarif', ...[...uris.keys()].map((u) => fileURLToPath(u)), '-o', output, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `multitool failed:\n${r.stdout}\n${r.stderr}`);
    const report = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
    for (const result of report.runs.flatMap((run) => run.results ?? [])) {
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const name = uris.get(uri);
      assert.ok(name, `multitool result for an unknown file ${uri}`);
      byLog.get(name)!.push(result);
    }
  });

  function check(name: string): void {
    const results = byLog.get(name)!;
    const describe = (r: Sarif.Result) =>
      `${r.level ?? 'warning'} ${r.ruleId}: ${r.message.text ?? (r.message.arguments ?? []).join(' | ')}`;
    const warnings = results.filter((r) => r.level !== 'error');
    if (warnings.length) console.log(`multitool (${name}) warnings and notes:\n${warnings.map(describe).join('\n')}`);
    assert.deepEqual(results.filter((r) => r.level === 'error').map(describe), [], `multitool errors for ${name}`);
  }

  test('examples/: no error-level result', { skip }, () => check('examples'));
  test('stdin + Helm + every severity: no error-level result', { skip }, () => check('mixed'));
  test('suppressions and baseline states: no error-level result', { skip }, () => check('accounted'));
});

describe('partialFingerprints', () => {
  const prints = (log: Sarif.Log) =>
    log.runs[0]!.results!.map((r) => ({
      id: `${r.ruleId} ${r.locations![0]!.physicalLocation!.artifactLocation!.uri}`,
      line: r.locations![0]!.physicalLocation!.region!.startLine!,
      print: r.partialFingerprints!['scrapelint/v1']!,
    }));

  test('every result has one, well-formed and unique in the run', () => {
    const list = prints(examples);
    assert.equal(list.length, 7);
    for (const p of list) assert.match(p.print, /^[0-9a-f]{32}:\d+$/);
    assert.equal(new Set(list.map((p) => p.print)).size, list.length);
  });

  test('stable when unrelated lines are inserted above the findings', () => {
    const copy = path.join(tmp, 'repo');
    cpSync(path.join(ROOT, 'examples'), path.join(copy, 'examples'), { recursive: true });
    const edit = (rel: string, change: (text: string) => string) => {
      const p = path.join(copy, 'examples', rel);
      const before = readFileSync(p, 'utf8');
      const after = change(before);
      assert.notEqual(after, before, `edit of ${rel} did nothing`);
      writeFileSync(p, after);
    };
    const header = '# Owned by team-platform. Changes need a review from #monitoring.\n# See docs/runbooks/monitoring.md\n\n';
    // Comments at the top of files, and an unrelated field inside the object before the finding.
    edit('apps/checkout/checkout.yaml', (t) => header + t.replace('  replicas: 2\n', '  replicas: 2\n  revisionHistoryLimit: 5\n  minReadySeconds: 10\n'));
    edit('apps/payments/service.yaml', (t) => t.replace('  name: payments-api\n  namespace: payments\n  labels:\n    app.kubernetes.io/name: payments-api\n    team', '  name: payments-api\n  namespace: payments\n  annotations:\n    owner: payments@example.com\n  labels:\n    app.kubernetes.io/name: payments-api\n    team'));
    edit('control-plane/etcd.yaml', (t) => header + t);
    edit('control-plane/etcd-events.yaml', (t) => t.replace('    - port: https-metrics\n      scheme: https\n', '    - port: https-metrics\n      scheme: https\n      scrapeTimeout: 10s\n      honorLabels: false\n'));
    edit('control-plane/kube-controller-manager.yaml', (t) => header + t);

    const moved = lintSarif(['examples'], { cwd: copy });
    const a = prints(examples);
    const b = prints(moved);
    assert.equal(b.length, a.length);
    // Every finding kept its fingerprint...
    const byPrint = (l: typeof a) => l.map((p) => `${p.id} ${p.print}`).sort();
    assert.deepEqual(byPrint(b), byPrint(a));
    // ...although it moved down.
    const lineOf = new Map(b.map((p) => [p.print, p.line]));
    for (const p of a) assert.ok(lineOf.get(p.print)! > p.line, `${p.id}:${p.line} did not move; the edit tests nothing`);
  });

  test('a different problem gets a different fingerprint', () => {
    const copy = path.join(tmp, 'repo2');
    cpSync(path.join(ROOT, 'examples'), path.join(copy, 'examples'), { recursive: true });
    const p = path.join(copy, 'examples/apps/checkout/checkout.yaml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('- port: http-metric\n', '- port: http-metrix\n'));
    const changed = prints(lintSarif(['examples'], { cwd: copy })).find((x) => x.id.startsWith('monitor-port-not-found'))!;
    const original = prints(examples).find((x) => x.id.startsWith('monitor-port-not-found'))!;
    assert.notEqual(changed.print, original.print);
  });
});
