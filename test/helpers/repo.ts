import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `files` (relative path -> text) into `root/name` and returns that directory. */
export function writeRepo(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/** A plugin module with one rule: every ServiceMonitor needs a `team` label. */
export const TEAM_LABEL_PLUGIN = `export const rules = [{
  id: 'acme/monitor-needs-team', title: 'Monitor has no team label', severity: 'warning', category: 'selection',
  rationale: 'Every monitor must say which team is paged.', tags: [], precision: 'high', docs: 'https://example.com',
  check({ graph, report }) {
    for (const m of graph.byKind('ServiceMonitor')) if (!m.labels.team) report({ message: m.ref + ' has no team label.', at: m.locate(['metadata', 'labels']) });
  },
}];
`;
