import { docsUrl, type NodePath, type RelatedLocation, type Resource, type Rule } from '../src/engine/rule.js';
import { type Obj, isObj } from '../src/model/resource.js';
import { parseDuration } from '../src/targets/durations.js';
import { MONITOR_KINDS, PROMETHEUS_KINDS } from '../src/targets/selection.js';

const ID = 'scrape-timeout-exceeds-interval';
const GROUP = 'monitoring.coreos.com/';
/** CRD default of Prometheus/PrometheusAgent spec.scrapeInterval. */
const DEFAULT_INTERVAL = '30s';

/** A place that sets a scrape timeout, with the interval that bounds it. */
interface Scrape {
  /** Path of the object holding both fields (an endpoint or spec). */
  path: NodePath;
  body: Obj;
  intervalField: string;
  /** How the operator names it in its error ("endpoints[0]: "), empty for spec-level fields. */
  prefix: string;
  label: string;
}

function scrapesOf(m: Resource): Scrape[] {
  const spec = isObj(m.body.spec) ? m.body.spec : undefined;
  if (!spec) return [];
  const list = (field: string, prefix: string): Scrape[] =>
    (Array.isArray(spec[field]) ? (spec[field] as unknown[]) : []).flatMap((ep, i) =>
      // Only endpoints that set a timeout matter (most do not: no strings built for them).
      isObj(ep) && ep.scrapeTimeout !== undefined ? [{ path: ['spec', field, i], body: ep, intervalField: 'interval', prefix: `${prefix}[${i}]: `, label: ` ${field}[${i}]` }] : [],
    );
  switch (m.kind) {
    case 'ServiceMonitor':
      return list('endpoints', 'endpoints');
    case 'PodMonitor':
      return list('podMetricsEndpoints', 'endpoint');
    case 'Probe':
      return [{ path: ['spec'], body: spec, intervalField: 'interval', prefix: '', label: '' }];
    case 'ScrapeConfig':
      return [{ path: ['spec'], body: spec, intervalField: 'scrapeInterval', prefix: '', label: '' }];
    default:
      return [];
  }
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

function promInterval(prom: Resource): { text: string; set: boolean } {
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  return nonEmpty(spec.scrapeInterval) ? { text: spec.scrapeInterval, set: true } : { text: DEFAULT_INTERVAL, set: false };
}

function operatorError(prefix: string, timeout: string, interval: string): string {
  return `${prefix}scrapeTimeout "${timeout}" greater than scrapeInterval "${interval}"`;
}

export const rule = {
  id: ID,
  title: 'scrapeTimeout is longer than the scrape interval',
  category: 'syntax',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['operator-validation'],
  precision: 'very-high',
  rationale:
    'The prometheus-operator checks that a scrapeTimeout is not longer than its scrape interval (the endpoint\'s ' +
    'interval, else the Prometheus spec.scrapeInterval, 30s by default). A ServiceMonitor, PodMonitor, Probe or ' +
    'ScrapeConfig that fails the check is rejected as a whole ("skipping object"), so none of its targets is ' +
    'scraped; a Prometheus whose own scrapeTimeout exceeds its scrapeInterval gets no configuration at all.',
  check({ graph, targets, report }) {
    if (!graph.has(...MONITOR_KINDS, ...PROMETHEUS_KINDS)) return;

    // Prometheus / PrometheusAgent: the global timeout against the global interval.
    for (const kind of PROMETHEUS_KINDS) {
      for (const prom of graph.byKind(kind)) {
        if (!prom.apiVersion.startsWith(GROUP) || !isObj(prom.body.spec)) continue;
        const timeout = prom.body.spec.scrapeTimeout;
        if (!nonEmpty(timeout)) continue;
        const interval = promInterval(prom);
        const t = parseDuration(timeout);
        const i = parseDuration(interval.text);
        if (t === undefined || i === undefined || t <= i) continue; // malformed durations: resource-schema
        report({
          message:
            `${prom.ref}: spec.scrapeTimeout "${timeout}" is longer than spec.scrapeInterval "${interval.text}"` +
            `${interval.set ? '' : ' (the default, as scrapeInterval is not set)'}. The operator cannot generate the ` +
            `configuration (error: ${operatorError('', timeout, interval.text)}), so this ${kind} is not reconciled and ` +
            `its scrape configuration is never written. Lower spec.scrapeTimeout to at most "${interval.text}" or raise spec.scrapeInterval.`,
          at: prom.locate(['spec', 'scrapeTimeout']),
          ...(interval.set ? { related: [{ at: prom.locate(['spec', 'scrapeInterval']), message: `spec.scrapeInterval of ${prom.ref}` }] } : {}),
        });
      }
    }

    // Monitors: each endpoint's timeout against its interval, or the selecting Prometheus' interval.
    for (const kind of MONITOR_KINDS) {
      for (const m of graph.byKind(kind)) {
        if (!m.apiVersion.startsWith(GROUP)) continue;
        for (const s of scrapesOf(m)) {
          const timeout = s.body.scrapeTimeout;
          if (!nonEmpty(timeout)) continue;
          const t = parseDuration(timeout);
          if (t === undefined) continue;
          const own = s.body[s.intervalField];
          const rejected = (whom: string, interval: string) =>
            `The operator rejects the whole ${m.kind} for ${whom}: it logs "skipping object" with the error ` +
            `${operatorError(s.prefix, timeout, interval)} (and an InvalidConfiguration event), so none of its targets is scraped.`;
          if (nonEmpty(own)) {
            const i = parseDuration(own);
            if (i === undefined || t <= i) continue;
            report({
              message:
                `${m.ref}${s.label}: scrapeTimeout "${timeout}" is longer than ${s.intervalField} "${own}". ` +
                `${rejected('every Prometheus that selects it', own)} Lower scrapeTimeout to at most "${own}" or raise ${s.intervalField}.`,
              at: m.locate([...s.path, 'scrapeTimeout']),
              related: [{ at: m.locate([...s.path, s.intervalField]), message: `${s.intervalField} of ${m.ref}${s.label}` }],
            });
            continue;
          }
          // No interval of its own: the selecting Prometheus' spec.scrapeInterval applies.
          const failing = targets.selection
            .selecting(m)
            .map((prom) => ({ prom, interval: promInterval(prom) }))
            .filter((x) => {
              const i = parseDuration(x.interval.text);
              return i !== undefined && t > i;
            });
          if (failing.length === 0) continue;
          // The strictest interval decides how far the timeout must come down.
          const first = failing.reduce((a, b) => (parseDuration(b.interval.text)! < parseDuration(a.interval.text)! ? b : a));
          const names = failing.map((x) => `${x.prom.ref} (scrapeInterval "${x.interval.text}"${x.interval.set ? '' : ', the default'})`);
          const related: RelatedLocation[] = failing.map((x) => ({
            at: x.prom.locate(x.interval.set ? ['spec', 'scrapeInterval'] : ['spec']),
            message: x.interval.set ? `spec.scrapeInterval of ${x.prom.ref}` : `${x.prom.ref} sets no scrapeInterval (default ${DEFAULT_INTERVAL})`,
          }));
          report({
            message:
              `${m.ref}${s.label}: scrapeTimeout "${timeout}" is longer than the scrape interval it inherits, as it sets no ` +
              `${s.intervalField}, from ${names.join(', ')}. ` +
              `${rejected(failing.length === 1 ? 'that Prometheus' : 'those Prometheus objects', first.interval.text)} ` +
              `Set ${s.intervalField} on the ${s.label ? 'endpoint' : m.kind} or lower scrapeTimeout to at most "${first.interval.text}".`,
            at: m.locate([...s.path, 'scrapeTimeout']),
            related,
          });
        }
      }
    }
  },
} satisfies Rule;
