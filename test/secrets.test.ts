/**
 * No secret value ever reaches any output: planted values in Secrets (parsed, broken, with
 * duplicate keys), stringData, and password/token keys of raw configs, with findings whose code
 * frames point right at those lines. Every format is searched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './helpers/paths.js';

const PLANTED = ['s3cr3t-PLANTED-one', 'PLANTED-token-two', 'UExBTlRFRC1iYXNlNjQtdGhyZWU=', 'PLANTED-broken-four', 'PLANTED-dup-five', 'PLANTED-pass-six'];
let dir: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-secrets-'));
  writeFileSync(
    path.join(dir, 'secrets.yaml'),
    `apiVersion: v1
kind: Secret
metadata:
  name: etcd-certs
  namespace: monitoring
stringData:
  ca.crt: ${PLANTED[0]}
  token: ${PLANTED[1]}
data:
  tls.key: ${PLANTED[2]}
---
apiVersion: v1
kind: Secret
metadata:
  name: broken
  namespace: monitoring
stringData:
  password: "${PLANTED[3]}
  other: [unclosed
---
apiVersion: v1
kind: Secret
metadata:
  name: dupes
  namespace: monitoring
stringData:
  key: one
  key: ${PLANTED[4]}
`,
  );
  writeFileSync(
    path.join(dir, 'monitoring.yaml'),
    `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  serviceMonitorSelector: {}
  secrets: [etcd-certs]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: etcd
  namespace: monitoring
spec:
  selector:
    matchLabels: { app: etcd }
  endpoints:
    - port: metrics
      scheme: https
      tlsConfig:
        caFile: /etc/prometheus/secrets/etcd-certs/ca.pem
`,
  );
  writeFileSync(path.join(dir, 'prometheus.yml'), `scrape_configs:\n  - job_name: x\n    basic_auth:\n      username: u\n      password: ${PLANTED[5]}\n    static_configs: [{targets: [a:1]]\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('no format shows a planted secret value, even where findings point at it', () => {
  const outputs: string[] = [];
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const r = spawnSync(process.execPath, [BIN, 'lint', '.', '--format', format, '--no-color'], { cwd: dir, encoding: 'utf8' });
    assert.ok(r.status === 1, `${format}: ${r.stderr}`);
    outputs.push(r.stdout + r.stderr);
  }
  const t = spawnSync(process.execPath, [BIN, 'targets', '.', '--no-color'], { cwd: dir, encoding: 'utf8' });
  outputs.push(t.stdout + t.stderr);
  spawnSync(process.execPath, [BIN, 'lint', '.', '--format', 'json=out.json', '--format', 'sarif=out.sarif', '--stats'], { cwd: dir });
  outputs.push(readFileSync(path.join(dir, 'out.json'), 'utf8'), readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
  for (const out of outputs) for (const p of PLANTED) assert.ok(!out.includes(p), `leaked ${p} in:\n${out.slice(0, 2000)}`);
  // The test must be able to fail: the findings really point at the planted lines.
  const json = JSON.parse(outputs[1]!) as { findings: { ruleId: string; file: string; line: number }[] };
  const at = (rule: string, line: number) => json.findings.some((f) => f.ruleId === rule && f.file === 'secrets.yaml' && f.line === line);
  assert.ok(at('yaml-syntax', 19) || at('yaml-syntax', 20), 'a syntax finding inside the broken Secret');
  assert.ok(at('yaml-duplicate-key', 28), 'a duplicate-key finding on the planted line');
  assert.match(outputs[0]!, /secrets\.yaml:28:3 .*\n(?:.*\n)*? *> 28 \| *key: <redacted>/);
});
