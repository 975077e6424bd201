import type { ReportInput } from './types.js';

/** GitHub workflow-command escaping (toolkit/core `escapeData` / `escapeProperty`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

/** `--format github`: one annotation per finding (suppressed and baseline findings left out). */
export function formatGithub(input: ReportInput): string {
  return input.findings
    .filter((f) => !f.suppression && f.baselineState !== 'unchanged')
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.at.file)}`,
        `line=${f.at.line}`,
        `col=${f.at.column}`,
        `endLine=${f.at.endLine}`,
        `endColumn=${f.at.endColumn}`,
        `title=${escapeProperty(f.ruleId)}`,
      ].join(',');
      return `::${COMMAND[f.severity]} ${props}::${escapeData(f.message)}\n`;
    })
    .join('');
}
