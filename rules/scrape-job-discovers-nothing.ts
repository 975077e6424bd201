import { docsUrl, type RelatedLocation, type Rule } from '../src/engine/rule.js';
import { scrapeJobs } from '../src/sources/prometheus-config/model.js';
import { evaluateJob, type EvaluatedTarget } from '../src/sources/prometheus-config/sd.js';
import type { RelabelRule } from '../src/sources/prometheus-config/relabel.js';
import { didYouMean } from '../src/targets/services.js';

const ID = 'scrape-job-discovers-nothing';

/** The regex as a literal string, when it has no regex syntax (for "did you mean"). */
function literal(re: string): string | undefined {
  const unescaped = re.replace(/\\([.\-/])/g, '$1');
  return /[\\^$*+?()[\]{}|]/.test(unescaped) ? undefined : unescaped;
}

/** A compared value that differs from the literal regex in exactly one of the joined source labels. */
function onePartOff(lit: string, values: string[], r: RelabelRule): string | undefined {
  if (r.sourceLabels.length < 2 || r.separator === '') return undefined;
  const want = lit.split(r.separator);
  const hits = values.filter((v) => {
    const got = v.split(r.separator);
    const diff = got.map((g, i) => (g !== want[i] ? g : undefined)).filter((g) => g !== undefined);
    return got.length === want.length && diff.length === 1 && diff[0] !== '';
  });
  return hits.length === 1 ? hits[0] : undefined;
}

/** Which source label differs, in words. */
function partHint(lit: string, near: string, r: RelabelRule): string {
  if (r.sourceLabels.length < 2) return '';
  const a = lit.split(r.separator);
  const b = near.split(r.separator);
  const diff = a.map((x, i) => (x !== b[i] ? i : -1)).filter((i) => i >= 0);
  if (diff.length !== 1 || a.length !== r.sourceLabels.length) return '';
  const i = diff[0]!;
  return ` (${r.sourceLabels[i]} is "${b[i]}", not "${a[i]}")`;
}

/** For an absent `..._label_x`, the label names of the same kind the targets do carry. */
function siblings(absent: string[], targets: EvaluatedTarget[]): string {
  const out = new Set<string>();
  for (const a of absent) {
    const m = /^(__meta_kubernetes_[a-z]+_label_)/.exec(a);
    if (!m) continue;
    for (const t of targets) for (const k of t.outcome.labels.keys()) if (k.startsWith(m[1]!)) out.add(k);
  }
  const list = [...out].slice(0, 4);
  return list.length ? `; the targets carry ${list.join(', ')}` : '';
}

export const rule = {
  id: ID,
  title: 'A kubernetes_sd_configs scrape job whose relabeling keeps no target of the scope',
  category: 'prometheus-config',
  severity: 'warning',
  docs: docsUrl(ID),
  tags: ['prometheus-config', 'relabeling', 'cross-check'],
  precision: 'medium',
  rationale:
    'A raw scrape job discovers every Service, Endpoints port or pod of its namespaces and keeps the ones its ' +
    'relabel_configs let through. A keep regex is fully anchored and compares the source labels joined by ";": one ' +
    'wrong namespace, Service name or port name and every target is dropped. Prometheus reports no error; the job ' +
    'only shows dropped targets.',
  check({ graph, report }) {
    for (const job of scrapeJobs(graph.byKind('ScrapeJob'))) {
      if (job.body.sd.length === 0 || job.body.relabel.length === 0) continue;
      const ev = evaluateJob(graph, job);
      if (ev.skipped || ev.empty || ev.targets.length === 0) continue;
      if (ev.targets.some((t) => t.outcome.result !== 'dropped')) continue;
      // The rule that dropped the most targets is the one to show.
      const byRule = new Map<RelabelRule, EvaluatedTarget[]>();
      for (const t of ev.targets) {
        const r = t.outcome.droppedBy!;
        const list = byRule.get(r);
        if (list) list.push(t);
        else byRule.set(r, [t]);
      }
      const [culprit, dropped] = [...byRule].sort((a, b) => b[1].length - a[1].length)[0]!;
      const values = [...new Map(dropped.map((t) => [t.outcome.compared ?? '', t])).values()];
      const shown = values.slice(0, 4).map((t) => `"${t.outcome.compared}" (${t.describe})`);
      const lit = literal(culprit.regex);
      const compared = values.map((t) => t.outcome.compared ?? '');
      const near = lit ? didYouMean(lit, compared) ?? onePartOff(lit, compared, culprit) : undefined;
      const joined = culprit.sourceLabels.length > 1 ? `joins [${culprit.sourceLabels.join(', ')}] with "${culprit.separator}"` : `reads ${culprit.sourceLabels[0] ?? '(no label)'}`;
      const absent = culprit.sourceLabels.filter((l) => l.startsWith('__meta_') && dropped.every((t) => !t.outcome.labels.has(l)));
      const related: RelatedLocation[] = values.slice(0, 3).map((t) => ({ at: t.source.locate(t.sourcePath), message: `compared value "${t.outcome.compared}" comes from ${t.describe}` }));
      report({
        message:
          `${job.ref} discovers nothing in scope: relabel_configs[${culprit.index}] (action ${culprit.action}) ${joined} and ` +
          `matches the anchored regex ^(?:${culprit.regex})$, which ${culprit.action === 'keep' || culprit.action === 'keepequal' ? 'none' : 'every one'} of the ` +
          `${ev.targets.length} discovered target${ev.targets.length === 1 ? '' : 's'} ${culprit.action === 'keep' || culprit.action === 'keepequal' ? 'matches' : 'matches, so all are dropped'}; compared values: ${shown.join(', ')}` +
          `${values.length > 4 ? ` and ${values.length - 4} more` : ''}. ` +
          (near ? `Did you mean "${near}"${partHint(lit!, near, culprit)}? ` : '') +
          (absent.length ? `No discovered target has ${absent.join(' or ')}, so ${absent.length === 1 ? 'it reads' : 'they read'} as ""${siblings(absent, dropped)}. ` : '') +
          'Prometheus shows them all under dropped targets and reports no error. Fix the regex (or the source labels) ' +
          'to match the namespace, Service and port names the objects really have, or rename the objects.',
        at: job.locate(['relabel_configs', culprit.index, culprit.regex !== '(.*)' ? 'regex' : 'action']),
        related,
      });
    }
  },
} satisfies Rule;
