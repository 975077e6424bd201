import { styleText } from 'node:util';
import type { Job, TargetsReport } from '../targets/discovery.js';
import type { Finding } from '../model/finding.js';

/** Findings of the lint rules that fall on a job's monitor endpoint (scheme, TLS files, ports...). */
export type JobFindings = (job: Job) => readonly Finding[];

type Style = Parameters<typeof styleText>[0];

/** `scrapelint targets` as text: per Prometheus, each job with its targets or why it has none. */
export function formatTargetsText(report: TargetsReport, opts: { color: boolean; findings?: JobFindings; why?: (m: TargetsReport['unselected'][number]) => string }): string {
  const paint = (style: Style, s: string) => (opts.color ? styleText(style, s, { validateStream: false }) : s);
  const out: string[] = [];
  const renderJob = (job: Job) => {
    const up = job.targets.length;
    const found = opts.findings?.(job) ?? [];
    const failing = found.some((f) => f.severity === 'error');
    const status = job.broken.length ? paint('red', '0 targets') : failing ? paint('red', `${up} target${up === 1 ? '' : 's'}, will fail`) : job.partial ? paint('yellow', `${up} target${up === 1 ? '' : 's'}, partial`) : paint('green', `${up} target${up === 1 ? '' : 's'}`);
    out.push(`  ${job.name}  ${status}`);
    for (const t of job.targets.slice(0, 20)) {
      const labels = Object.entries(t.labels).map(([k, v]) => `${k}=${v}`).join(' ');
      out.push(`    ${t.scheme}://${t.address}${t.path}  ${paint('dim', labels)}`);
    }
    if (job.targets.length > 20) out.push(`    ... ${job.targets.length - 20} more`);
    for (const b of job.broken) out.push(`    ${paint('red', 'x')} ${b.reason}  ${paint('dim', `${b.at.file}:${b.at.line}:${b.at.column}`)}`);
    if (job.partial) out.push(`    ${paint('yellow', '?')} ${job.partial}`);
    for (const f of found) out.push(`    ${paint(f.severity === 'error' ? 'red' : 'yellow', f.severity === 'error' ? 'x' : '!')} ${f.ruleId}: ${f.message}  ${paint('dim', `${f.at.file}:${f.at.line}:${f.at.column}`)}`);
  };
  if (report.prometheuses.length === 0) out.push('No Prometheus or PrometheusAgent in scope: nothing selects the monitors.');
  for (const view of report.prometheuses) {
    const p = view.prometheus;
    out.push(paint('bold', `${p.ref}`) + paint('dim', `  (${p.file}; selects ${view.monitors.length} monitor${view.monitors.length === 1 ? '' : 's'})`));
    if (view.jobs.length === 0) out.push('  no scrape job');
    for (const job of view.jobs) renderJob(job);
    out.push('');
  }
  if (report.rawJobs?.length) {
    out.push(paint('bold', 'Raw Prometheus configuration (no operator Prometheus in scope loads it):'));
    for (const job of report.rawJobs) renderJob(job);
    out.push('');
  }
  if (report.unselected.length) {
    out.push(paint('bold', 'Selected by no Prometheus in scope:'));
    for (const m of report.unselected) out.push(`  ${m.ref}  ${paint('dim', m.file)}${opts.why ? `\n    ${opts.why(m)}` : ''}`);
  }
  return out.join('\n') + '\n';
}

/** What the JSON says of a job, operator-made or raw: scheme, path, targets, broken chains, findings. */
function jobJson(j: Job, findings?: JobFindings) {
  return {
    scheme: j.scheme,
    path: j.path,
    targets: j.targets.map((t) => ({ address: t.address, scheme: t.scheme, path: t.path, port: t.port ?? null, portName: t.portName, labels: t.labels })),
    broken: j.broken.map((b) => ({ reason: b.reason, file: b.at.file, line: b.at.line, column: b.at.column })),
    ...(j.partial ? { partial: j.partial } : {}),
    findings: (findings?.(j) ?? []).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.at.file, line: f.at.line, column: f.at.column })),
  };
}

/** `scrapelint targets --format json`. */
export function formatTargetsJson(report: TargetsReport, findings?: JobFindings): string {
  return (
    JSON.stringify(
      {
        prometheuses: report.prometheuses.map((v) => ({
          prometheus: { kind: v.prometheus.kind, namespace: v.prometheus.namespace, name: v.prometheus.name, file: v.prometheus.file },
          jobs: v.jobs.map((j) => ({
            job: j.name,
            monitor: { kind: j.monitor.kind, namespace: j.monitor.namespace, name: j.monitor.name, file: j.monitor.file },
            endpoint: j.endpoint,
            ...jobJson(j, findings),
          })),
        })),
        unselected: report.unselected.map((m) => ({ kind: m.kind, namespace: m.namespace, name: m.name, file: m.file })),
        ...(report.rawJobs?.length
          ? {
              rawJobs: report.rawJobs.map((j) => ({
                job: j.name,
                file: j.monitor.file,
                ...jobJson(j, findings),
              })),
            }
          : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
