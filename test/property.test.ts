/**
 * Property-based tests (fast-check): random manifests and random mutations of the fixture files
 * never crash the linter, every reported position lies inside its file, and the SARIF stays
 * valid against the 2.1.0 schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import AjvDraft04 from 'ajv-draft-04';
import { stringify } from 'yaml';
import { rules } from '../rules/index.js';
import { lint } from '../src/lint.js';
import { formatSarif } from '../src/report/sarif.js';
import { reportInput } from '../src/cli/main.js';
import { FIXTURES, ROOT } from './helpers/paths.js';
import { params } from './helpers/property.js';

const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
type AjvCtor = typeof AjvDraft04.default;
const Ajv04 = ((AjvDraft04 as unknown as { default?: AjvCtor }).default ?? AjvDraft04) as AjvCtor;
// unicodeRegExp: false because one pattern of the schema (language) is not a valid /u regexp.
const validateSarif = new Ajv04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);

async function lintText(text: string) {
  try {
    return await checkText(text);
  } catch (err) {
    // fast-check 4 keeps the failure as the error's cause, which the test reporter does not print.
    console.error(`failing input:\n${text}\n--- ${(err as Error).message}`);
    throw err;
  }
}

async function checkText(text: string) {
  const result = await lint({ paths: ['-'], cwd: ROOT, rules, readStdin: async () => text });
  assert.deepEqual(result.notifications, [], 'a rule failed');
  const lines = text.split('\n');
  for (const f of result.findings) {
    for (const at of [f.at, ...f.related.map((r) => r.at)]) {
      if (at.file !== '<stdin>') continue;
      assert.ok(at.line >= 1 && at.line <= Math.max(lines.length, 1), `line ${at.line} outside the file (${lines.length} lines): ${f.ruleId}`);
      assert.ok(at.endLine >= at.line && at.endLine <= Math.max(lines.length, 1), `endLine ${at.endLine} outside the file: ${f.ruleId}`);
      const len = (lines[at.line - 1] ?? '').replace(/\r$/, '').length;
      assert.ok(at.column >= 1 && at.column <= len + 1, `column ${at.column} outside line ${at.line} (${len} chars): ${f.ruleId}`);
    }
  }
  return result;
}

const name = fc.constantFrom('api', 'web', 'etcd', 'kube-etcd', 'node-exporter', 'kps');
const ns = fc.constantFrom('default', 'monitoring', 'kube-system');
const labels = fc.dictionary(fc.constantFrom('app', 'release', 'team', 'component'), name, { maxKeys: 3 });
const portName = fc.constantFrom('http', 'http-metrics', 'https', 'metrics', 'web');
const portNumber = fc.constantFrom(80, 2379, 2381, 9100, 10250, 10257, 10259, 10249, 10251);

const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: fc.record({ name, namespace: ns, labels }),
  spec: fc.record({ selector: fc.option(labels, { nil: undefined }), ports: fc.array(fc.record({ name: portName, port: portNumber, targetPort: fc.oneof(portNumber, portName) }), { maxLength: 3 }) }, { requiredKeys: ['ports'] }),
});
const endpoints = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Endpoints'),
  metadata: fc.record({ name, namespace: ns }),
  subsets: fc.array(fc.record({ addresses: fc.constant([{ ip: '10.0.0.1' }]), ports: fc.array(fc.record({ name: portName, port: portNumber }), { maxLength: 2 }) }), { maxLength: 2 }),
});
const monitor = fc.record({
  apiVersion: fc.constant('monitoring.coreos.com/v1'),
  kind: fc.constantFrom('ServiceMonitor', 'PodMonitor'),
  metadata: fc.record({ name, namespace: ns, labels }),
  spec: fc.record({
    selector: fc.record({ matchLabels: labels }),
    namespaceSelector: fc.option(fc.oneof(fc.constant({ any: true }), fc.record({ matchNames: fc.array(ns, { maxLength: 2 }) })), { nil: undefined }),
    endpoints: fc.array(
      fc.record(
        {
          port: portName,
          scheme: fc.constantFrom('http', 'https', 'HTTPS'),
          interval: fc.constantFrom('30s', '1m', '30'),
          scrapeTimeout: fc.constantFrom('10s', '2m'),
          tlsConfig: fc.record({ caFile: fc.constantFrom('/etc/prometheus/secrets/etcd-certs/ca.crt', '/etc/kubernetes/pki/ca.crt'), insecureSkipVerify: fc.boolean() }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  }, { requiredKeys: ['selector'] }),
});
const prometheus = fc.record({
  apiVersion: fc.constant('monitoring.coreos.com/v1'),
  kind: fc.constant('Prometheus'),
  metadata: fc.record({ name: fc.constant('k8s'), namespace: ns }),
  spec: fc.record({
    serviceMonitorSelector: fc.option(fc.record({ matchLabels: labels }), { nil: undefined }),
    serviceMonitorNamespaceSelector: fc.option(fc.constant({}), { nil: undefined }),
    secrets: fc.array(fc.constantFrom('etcd-certs', 'other'), { maxLength: 2 }),
  }),
});
const secret = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Secret'),
  metadata: fc.record({ name: fc.constantFrom('etcd-certs', 'other'), namespace: ns }),
  data: fc.dictionary(fc.constantFrom('ca.crt', 'tls.crt', 'tls.key', 'etcd-ca'), fc.constant('c2VjcmV0'), { maxKeys: 3 }),
});
const manifests = fc.array(fc.oneof(service, endpoints, monitor, prometheus, secret), { minLength: 1, maxLength: 12 });

test('random manifests: no crash, positions inside the file, valid SARIF', async () => {
  let findings = 0;
  await fc.assert(
    fc.asyncProperty(manifests, async (objs) => {
      const text = objs.map((o) => stringify(o)).join('---\n');
      const result = await lintText(text);
      findings += result.findings.length;
      const sarif = JSON.parse(formatSarif(reportInput(result, rules, result.findings, ROOT)));
      assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3)));
    }),
    params(150),
  );
  assert.ok(findings > 100, `the generator should provoke findings (got ${findings})`);
});

function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const e of readdirSync(FIXTURES, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}

test('random mutations of fixture files: no crash, positions inside the file', async () => {
  const files = fixtureFiles();
  assert.ok(files.length > 20);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('delete-line' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.constantFrom('{', '}', '[', ':', '- ', '\t', '"', "'", '&a ', '*a', '<<: ', '---\n', '{{ x }}', '\r\n', '\u00a0', '#') }),
    fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  );
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (i, muts) => {
      let text = texts[i]!;
      for (const m of muts) {
        const lines = text.split('\n');
        const li = m.at % Math.max(lines.length, 1);
        if (m.op === 'delete-line') lines.splice(li, 1);
        else if (m.op === 'duplicate-line') lines.splice(li, 0, lines[li] ?? '');
        else if (m.op === 'indent') lines[li] = m.by >= 0 ? ' '.repeat(m.by) + (lines[li] ?? '') : (lines[li] ?? '').slice(-m.by);
        text = lines.join('\n');
        if (m.op === 'insert') {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.s + text.slice(at);
        } else if (m.op === 'truncate') text = text.slice(0, m.at % (text.length + 1));
      }
      await lintText(text);
    }),
    params(300),
  );
});
