/**
 * Raw scrape jobs as jobs of the offline Targets page (`scrapelint targets`): static targets
 * as written, Kubernetes service discovery evaluated against the scope (see sd.ts).
 */
import type { ResourceGraph } from '../../model/graph.js';
import type { Job, Target } from '../../targets/discovery.js';
import { visible } from './relabel.js';
import type { ScrapeJob } from './model.js';
import { evaluateJob } from './sd.js';

export function scrapeJobView(graph: ResourceGraph, sj: ScrapeJob): Job {
  const job: Job = {
    name: sj.body.jobName,
    monitor: sj,
    endpoint: 0,
    scheme: sj.body.scheme,
    path: sj.body.metricsPath,
    tls: { ...sj.body.tls },
    targets: [],
    broken: [],
  };
  for (const t of sj.body.staticTargets) {
    const port = /:(\d+)$/.exec(t.address);
    job.targets.push({ address: t.address, scheme: sj.body.scheme, path: sj.body.metricsPath, port: port ? Number(port[1]) : undefined, portName: '', labels: { job: sj.body.jobName, instance: t.address } });
  }
  if (sj.body.sd.length === 0) return job;
  const ev = evaluateJob(graph, sj);
  const partial: string[] = [];
  if (ev.skipped) partial.push(ev.skipped);
  if (ev.empty) partial.push("the scope holds no object in the job's namespaces");
  let unknown = 0;
  let dropped = 0;
  for (const t of ev.targets) {
    if (t.outcome.result === 'dropped') {
      dropped++;
      continue;
    }
    if (t.outcome.result === 'unknown') unknown++;
    const labels: Record<string, string> = {};
    for (const [k, v] of visible(t.outcome.labels)) if (!k.startsWith('__') && v !== undefined) labels[k] = v;
    const addr = t.outcome.labels.get('__address__');
    const target: Target = {
      address: addr ?? (t.pod ? `[${t.pod.owner.kind} ${t.pod.owner.namespace}/${t.pod.owner.name}]:${t.port ?? '?'}` : `[${t.describe}]:${t.port ?? '?'}`),
      scheme: t.outcome.labels.get('__scheme__') ?? sj.body.scheme,
      path: t.outcome.labels.get('__metrics_path__') ?? sj.body.metricsPath,
      port: t.port,
      portName: t.portName ?? '',
      labels,
      ...(t.service ? { service: t.service } : {}),
      ...(t.pod ? { pod: t.pod } : {}),
    };
    job.targets.push(target);
  }
  if (unknown) partial.push(`${unknown} target${unknown === 1 ? '' : 's'} depend on values only the cluster knows`);
  if (job.targets.length === 0 && dropped > 0 && !ev.skipped) {
    job.broken.push({ reason: `relabel_configs drop all ${dropped} discovered target${dropped === 1 ? '' : 's'}`, at: sj.locate(['relabel_configs']) });
  }
  if (partial.length) job.partial = partial.join('; ');
  return job;
}
