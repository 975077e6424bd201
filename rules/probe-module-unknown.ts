import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { didYouMean, serviceSelector } from '../src/targets/services.js';
import { type BlackboxConfig, blackboxConfigs, configsMountedBy, proberOf } from '../src/targets/blackbox.js';

const ID = 'probe-module-unknown';

/** The blackbox exporter's module when the request names none (prober/handler.go). */
const DEFAULT_MODULE = 'http_2xx';

const mentionsBlackbox = (s: string) => /blackbox/i.test(s);

export const rule = {
  id: ID,
  title: 'Probe module is not defined in the blackbox exporter configuration',
  category: 'endpoints',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['probe', 'cross-check'],
  precision: 'high',
  rationale:
    'A Probe sends its `module` as the `module` parameter of every request to the prober. The blackbox ' +
    'exporter looks it up in the `modules:` of its configuration and answers 400 `Unknown module "<m>"` ' +
    'when it is not there, so every scrape of the Probe fails.',
  check({ graph, targets, report }) {
    if (!graph.has('Probe')) return; // before reading every ConfigMap and Secret for blackbox configurations
    const all = blackboxConfigs(graph);
    if (all.length === 0) return; // no blackbox configuration in scope: unknown
    for (const probe of graph.byKind('Probe')) {
      const spec = isObj(probe.body.spec) ? probe.body.spec : {};
      const explicit = typeof spec.module === 'string' && spec.module !== '' ? spec.module : undefined;
      const module = explicit ?? DEFAULT_MODULE;
      const prober = proberOf(graph, targets.selection.selecting(probe), probe);
      // Which configuration does the prober run with? Follow prober.url -> Service -> pods -> volumes.
      let used: BlackboxConfig[] = [];
      let linked = false;
      const svc = prober?.service;
      const sel = svc ? serviceSelector(svc) : undefined;
      const pods = svc && sel ? graph.podsForServiceSelector(svc.namespace ?? '', sel) : [];
      if (pods.length > 0) {
        used = configsMountedBy(graph, pods);
        // The prober's pods mount no blackbox configuration we can read: another exporter, or a baked-in file.
        if (used.length === 0) continue;
        linked = true;
      } else {
        // Not traceable: only when the prober is clearly a blackbox exporter.
        if (!prober || !(mentionsBlackbox(prober.url) || (svc && mentionsBlackbox(svc.name)))) continue;
        const named = all.filter((c) => mentionsBlackbox(c.source.name) || Object.values(c.source.labels).some(mentionsBlackbox));
        used = named.length ? named : all;
      }
      if (used.some((c) => c.modules.includes(module))) continue;
      const modules = [...new Set(used.flatMap((c) => c.modules))];
      const suggestion = didYouMean(module, modules);
      const sources = used.slice(0, 2).map((c) => `${c.source.ref} (key ${c.key})`).join(' and ');
      report({
        message:
          (explicit
            ? `${probe.ref} asks the blackbox exporter for module "${module}"`
            : `${probe.ref} sets no module, so the blackbox exporter uses its default "${module}"`) +
          `, but ${sources} define${used.length === 1 ? 's' : ''} no such module (modules: ${modules.slice(0, 8).join(', ') || 'none'}` +
          `${modules.length > 8 ? ', ...' : ''}). Every probe fails: the exporter answers 400 \`Unknown module "${module}"\` and ` +
          'Prometheus shows the target down with `server returned HTTP status 400 Bad Request`. ' +
          (suggestion && explicit
            ? `Did you mean "${suggestion}"?`
            : suggestion
              ? `Set spec.module to a defined module (perhaps "${suggestion}").`
              : explicit
              ? `Set spec.module to one of the defined modules, or add "${module}" under modules:.`
              : 'Set spec.module to one of the defined modules.') +
          (linked ? '' : ` (A warning: ${prober!.url} could not be followed to the exporter's pods, so this is the configuration in scope that looks like its own.)`),
        at: probe.locate(explicit ? ['spec', 'module'] : ['spec']),
        related: used.slice(0, 2).map((c) => ({ at: c.source.locate(c.path), message: `blackbox modules in ${c.source.ref}` })),
        ...(linked ? {} : { severity: 'warning' as const }),
      });
    }
  },
} satisfies Rule;
