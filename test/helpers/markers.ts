import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Expectations written inline in fixtures, as YAML comments (see fixtures/README.md):
 *   # expect: <id>[, <id>]      a finding of <id> starts on this line
 *   # expect+N: <id> / expect-N  ... N lines below / above
 *   # expect-related: <id>      a related location of an <id> finding is on this line
 */
export interface Marker {
  file: string;
  line: number;
  ruleId: string;
}

const EXPECT = /#\s*expect([+-]\d+)?:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;
const RELATED = /#\s*expect-related:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

export function filesOf(casePath: string): string[] {
  if (statSync(casePath).isDirectory()) {
    return readdirSync(casePath, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  }
  return [casePath];
}

export function readMarkers(casePath: string, rel: (abs: string) => string): { expect: Marker[]; related: Marker[] } {
  const expect: Marker[] = [];
  const related: Marker[] = [];
  for (const abs of filesOf(casePath)) {
    if (!/\.(ya?ml|json)$/.test(abs)) continue;
    const lines = readFileSync(abs, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(EXPECT)) {
        const offset = m[1] ? Number(m[1]) : 0;
        for (const id of m[2]!.split(',')) expect.push({ file: rel(abs), line: i + 1 + offset, ruleId: id.trim() });
      }
      for (const m of text.matchAll(RELATED)) for (const id of m[1]!.split(',')) related.push({ file: rel(abs), line: i + 1, ruleId: id.trim() });
    });
  }
  return { expect, related };
}
