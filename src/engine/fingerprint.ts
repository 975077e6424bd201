import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.js';

/**
 * A fingerprint that survives unrelated edits: rule, file, message (which names the resources)
 * and the trimmed text of the offending line, never its number. Repeats get an ordinal.
 * Used for SARIF partialFingerprints and the baseline file.
 */
export function addFingerprints(findings: readonly Finding[], lineText: (file: string, line: number) => string): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const line = lineText(f.at.file, f.at.line).trim();
    const base = createHash('sha256').update(`${f.ruleId}\0${f.at.file}\0${f.message}\0${line}`).digest('hex').slice(0, 32);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...f, fingerprint: `${base}:${n}` };
  });
}
