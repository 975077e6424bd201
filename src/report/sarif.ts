import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Location } from '../model/location.js';
import type { Severity } from '../model/finding.js';
import { REPOSITORY } from '../engine/rule.js';
import type { ReportInput } from './types.js';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', note: 'note' };

function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function physical(at: Location): Sarif.PhysicalLocation {
  return {
    artifactLocation: { uri: uriOf(at.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
  };
}

/** SARIF 2.1.0 for GitHub code scanning (validated by tests against the schema and the Gh rules). */
export function formatSarif(input: ReportInput): string {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const rules: Sarif.ReportingDescriptor[] = input.rules.map((r) => ({
    id: r.id,
    name: r.id
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.rationale },
    help: {
      text: `${r.rationale} See ${r.docs}`,
      markdown: input.ruleHelp?.get(r.id) ?? `${r.rationale}\n\n[Documentation](${r.docs})`,
    },
    helpUri: r.docs,
    defaultConfiguration: { level: LEVEL[r.severity] },
    // SARIF requires unique tags (propertyBag.tags is uniqueItems); the category is often a tag already.
    properties: { tags: [...new Set([...r.tags, r.category])], precision: r.precision, category: r.category },
  }));
  const results: Sarif.Result[] = input.findings.map((f) => ({
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId)! } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f.at) }],
    ...(f.related.length
      ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r.at), message: { text: r.message } })) }
      : {}),
    ...(f.fingerprint ? { partialFingerprints: { 'scrapelint/v1': f.fingerprint } } : {}),
    ...(f.suppression
      ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppression.justification, location: { physicalLocation: physical(f.suppression.at) } }] }
      : {}),
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
  }));
  const log: Sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'scrapelint',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: REPOSITORY,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(input.root.endsWith('/') ? input.root : `${input.root}/`).href } },
        invocations: [
          {
            executionSuccessful: input.notifications.length === 0,
            ...(input.notifications.length
              ? {
                  toolExecutionNotifications: input.notifications.map((n) => ({
                    level: 'error' as const,
                    message: { text: n.message },
                    ...(n.ruleId && ruleIndex.has(n.ruleId)
                      ? { associatedRule: { id: n.ruleId, index: ruleIndex.get(n.ruleId)! } }
                      : {}),
                  })),
                }
              : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
