/** No command modifies the linted files: only `init` writes, and only a new file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from './helpers/paths.js';

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, p), `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`);
  }
  return out;
}

test('lint (every format, baseline, changed files), targets, rules and explain leave the files alone', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapelint-ro-'));
  try {
    cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const before = snapshot(dir);
    const runs = [
      ['lint', 'examples'],
      ['lint', 'examples', '--format', 'json'],
      ['lint', 'examples', '--format', 'sarif'],
      ['lint', 'examples', '--format', 'github'],
      ['lint', 'examples', '--changed', 'examples/apps/payments/service.yaml'],
      ['targets', 'examples'],
      ['rules'],
      ['explain', 'scheme-port-mismatch'],
    ];
    for (const args of runs) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.deepEqual(snapshot(dir), before);
    const init = spawnSync(process.execPath, [BIN, 'init'], { cwd: dir, encoding: 'utf8' });
    assert.equal(init.status, 0);
    const after = snapshot(dir);
    assert.deepEqual([...after.keys()].filter((k) => !before.has(k)), ['.scrapelint.yaml']);
    for (const [k, v] of before) assert.equal(after.get(k), v, `${k} changed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
