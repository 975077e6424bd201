import { counts, type ReportInput } from './types.js';

/**
 * The JSON format (docs/json-format.md). Stable: fields are only ever added.
 * { version, summary: {errors, warnings, notes, files, documents, resources}, findings: [...], notifications: [...] }
 */
export function formatJson(input: ReportInput): string {
  const c = counts(input.findings);
  const docs = new Map(input.rules.map((r) => [r.id, r.docs]));
  return (
    JSON.stringify(
      {
        tool: 'scrapelint',
        version: input.toolVersion,
        summary: {
          errors: c.error,
          warnings: c.warning,
          notes: c.note,
          suppressed: c.suppressed,
          baseline: c.baseline,
          ...(input.stats ? { files: input.stats.files, documents: input.stats.documents, resources: input.stats.resources } : {}),
        },
        findings: input.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          file: f.at.file,
          line: f.at.line,
          column: f.at.column,
          endLine: f.at.endLine,
          endColumn: f.at.endColumn,
          ...(f.at.template ? { template: f.at.template } : {}),
          related: f.related.map((r) => ({
            message: r.message,
            file: r.at.file,
            line: r.at.line,
            column: r.at.column,
            endLine: r.at.endLine,
            endColumn: r.at.endColumn,
          })),
          docs: docs.get(f.ruleId),
          ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
          ...(f.suppression ? { suppressed: { justification: f.suppression.justification, file: f.suppression.at.file, line: f.suppression.at.line } } : {}),
          ...(f.baselineState ? { baselineState: f.baselineState } : {}),
        })),
        notifications: input.notifications,
      },
      null,
      2,
    ) + '\n'
  );
}
