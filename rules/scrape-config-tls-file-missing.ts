import { docsUrl, type RelatedLocation, type Rule } from '../src/engine/rule.js';
import type { PodTemplate, ResourceGraph } from '../src/model/graph.js';
import { type Obj, type Resource, asArray, isObj } from '../src/model/resource.js';
import { customMountCovers, missingFileError, mountedNames, operatorMount } from '../src/targets/files.js';
import { knownKeys } from '../src/targets/references.js';
import { type ScrapeJob, scrapeJobs } from '../src/sources/prometheus-config/model.js';
import type { TargetModel } from '../src/targets/model.js';

const ID = 'scrape-config-tls-file-missing';

const SA_DIR = /^\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/(token|ca\.crt|namespace)$/;

interface Verdict {
  why: string;
  fix: string;
  related: RelatedLocation;
}

/** The operator Prometheus objects that load the job. */
function operatorPrometheus(graph: ResourceGraph, targets: TargetModel, job: ScrapeJob): Resource[] {
  if (job.body.prometheus) {
    const [ns, name] = job.body.prometheus.split('/');
    const p = graph.get('Prometheus', ns, name!) ?? graph.get('PrometheusAgent', ns, name!);
    return p ? [p] : [];
  }
  if (job.body.scrapeConfig) {
    const [ns, name] = job.body.scrapeConfig.split('/');
    const sc = graph.get('ScrapeConfig', ns, name!);
    return sc ? targets.selection.selecting(sc) : [];
  }
  return [];
}

/** Pod templates running Prometheus from a plain prometheus.yml (a Deployment/StatefulSet with --config.file). */
function rawPrometheusPods(graph: ResourceGraph, job: ScrapeJob): { pod: PodTemplate; container: Obj; ci: number }[] {
  const out: { pod: PodTemplate; container: Obj; ci: number }[] = [];
  for (const ns of graph.namespaces()) {
    for (const pod of graph.podTemplatesIn(ns)) {
      asArray(pod.spec.containers).forEach((c, ci) => {
        const args = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
        if (!/prometheus/.test(String(c.image ?? '')) || !args.some((a) => a.startsWith('--config.file'))) return;
        if (job.body.configMap) {
          const [cns, cname] = job.body.configMap.split('/');
          const mounts = cns === pod.namespace && asArray(pod.spec.volumes).some((v) => isObj(v.configMap) && v.configMap.name === cname);
          if (!mounts) return;
        }
        out.push({ pod, container: c, ci });
      });
    }
  }
  return out;
}

function judgeOperator(graph: ResourceGraph, prom: Resource, file: string): Verdict | undefined {
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  const m = operatorMount(file);
  const mountsAt: RelatedLocation = { at: prom.locate(spec.volumeMounts !== undefined ? ['spec', 'volumeMounts'] : ['spec']), message: `mounts of ${prom.ref}` };
  if (m) {
    const listed = mountedNames(prom, m.list);
    if (!listed.includes(m.name)) {
      return {
        why: `${m.kind} "${m.name}" is not listed in spec.${m.list} of ${prom.ref}, so the operator does not mount it`,
        fix: `Add "${m.name}" to spec.${m.list} (kube-prometheus-stack: prometheus.prometheusSpec.${m.list})`,
        related: { at: prom.locate(['spec', m.list]), message: `spec.${m.list} of ${prom.ref}` },
      };
    }
    const keys = knownKeys(graph, m.kind, prom.namespace ?? '', m.name);
    if (keys && !keys.keys.includes(m.key)) {
      return {
        why: `${m.kind} ${prom.namespace}/${m.name} has no key "${m.key}" (keys: ${keys.keys.join(', ') || 'none'})`,
        fix: `Use one of its keys, or add "${m.key}" to the ${m.kind}`,
        related: { at: keys.from.locate(keys.path), message: `keys of ${keys.from.ref}` },
      };
    }
    return undefined;
  }
  if (/^\/etc\/prometheus\/(secrets|configmaps|certs)\//.test(file) || file.startsWith('/etc/ssl/')) return undefined;
  if (customMountCovers(prom, file)) return undefined;
  if (SA_DIR.test(file)) {
    if (spec.automountServiceAccountToken !== false) return undefined;
    return {
      why: `${prom.ref} sets automountServiceAccountToken: false`,
      fix: 'Remove automountServiceAccountToken: false, or mount the file from a Secret',
      related: { at: prom.locate(['spec', 'automountServiceAccountToken']), message: `automountServiceAccountToken of ${prom.ref}` },
    };
  }
  return {
    why: `no volume of ${prom.ref} is mounted there (not under /etc/prometheus/secrets/<name>/, /etc/prometheus/configmaps/<name>/, the service-account directory or a spec.volumeMounts path)${/^\/etc\/kubernetes\/|^\/var\/lib\//.test(file) ? '; it looks like a path on the node, which the pod does not see' : ''}`,
    fix: `Put the file into a Secret in namespace "${prom.namespace}", list it in spec.secrets (kube-prometheus-stack: prometheus.prometheusSpec.secrets) and use /etc/prometheus/secrets/<secret>/<key>`,
    related: mountsAt,
  };
}

function judgeRaw(graph: ResourceGraph, raw: { pod: PodTemplate; container: Obj; ci: number }, file: string): Verdict | undefined {
  const { pod, container, ci } = raw;
  const mounts = asArray(container.volumeMounts);
  const hit = mounts
    .filter((m) => typeof m.mountPath === 'string' && (file === m.mountPath || file.startsWith(String(m.mountPath).replace(/\/?$/, '/'))))
    .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
  const mountsPath = [...pod.path, 'spec', 'containers', ci, 'volumeMounts'];
  if (hit) {
    const vol = asArray(pod.spec.volumes).find((v) => v.name === hit.name);
    const key = file.slice(String(hit.mountPath).replace(/\/?$/, '/').length);
    const src = vol && isObj(vol.secret) ? { kind: 'Secret' as const, name: vol.secret.secretName, items: vol.secret.items } : vol && isObj(vol.configMap) ? { kind: 'ConfigMap' as const, name: vol.configMap.name, items: vol.configMap.items } : undefined;
    if (!src || typeof src.name !== 'string' || typeof hit.subPath === 'string' || key.includes('/')) return undefined;
    const paths = Array.isArray(src.items) ? asArray(src.items).map((i) => String(i.path)) : undefined;
    if (paths) return paths.includes(key) ? undefined : { why: `volume "${String(hit.name)}" projects only ${paths.join(', ')}`, fix: `Add "${key}" to the volume's items`, related: { at: pod.owner.locate([...mountsPath]), message: `volumeMounts of ${pod.owner.ref}` } };
    const keys = knownKeys(graph, src.kind, pod.namespace, src.name);
    if (keys && !keys.keys.includes(key)) {
      return {
        why: `${src.kind} ${pod.namespace}/${src.name}, mounted at ${String(hit.mountPath)}, has no key "${key}" (keys: ${keys.keys.join(', ') || 'none'})`,
        fix: `Use one of its keys, or add "${key}" to the ${src.kind}`,
        related: { at: keys.from.locate(keys.path), message: `keys of ${keys.from.ref}` },
      };
    }
    return undefined;
  }
  if (SA_DIR.test(file) && pod.spec.automountServiceAccountToken !== false) return undefined;
  if (file.startsWith('/etc/ssl/')) return undefined;
  return {
    why: `no volumeMount of the prometheus container of ${pod.owner.ref} covers it`,
    fix: `Mount a Secret there (spec.volumes and the container's volumeMounts of ${pod.owner.ref})`,
    related: { at: pod.owner.locate(mounts.length ? mountsPath : [...pod.path, 'spec', 'containers', ci]), message: `volumeMounts of ${pod.owner.ref}` },
  };
}

export const rule = {
  id: ID,
  title: 'A raw scrape config reads a TLS file the Prometheus pod does not mount',
  category: 'prometheus-config',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['prometheus-config', 'tls', 'cross-check'],
  precision: 'high',
  rationale:
    'tls_config ca_file, cert_file and key_file of a raw scrape config (additionalScrapeConfigs, prometheus.yml, ' +
    'ScrapeConfig) are read inside the Prometheus container. A path that no volume provides fails the scrape pool ' +
    'with "no such file or directory"; for additionalScrapeConfigs the operator cannot check it.',
  check({ graph, targets, report }) {
    for (const job of scrapeJobs(graph.byKind('ScrapeJob'))) {
      const files = (['ca_file', 'cert_file', 'key_file'] as const).filter((k) => job.body.tls[k]).map((k) => ({ field: k, file: job.body.tls[k]! }));
      if (files.length === 0) continue;
      const proms = operatorPrometheus(graph, targets, job);
      const raws = proms.length === 0 && !job.body.prometheus && !job.body.scrapeConfig ? rawPrometheusPods(graph, job) : [];
      // Open world: without the Prometheus pod in scope its mounts are unknown; several candidate pods: ambiguous.
      if (proms.length === 0 && raws.length !== 1) continue;
      for (const f of files) {
        const camelField = f.field === 'ca_file' ? 'caFile' : f.field === 'cert_file' ? 'certFile' : 'keyFile';
        const verdicts = proms.length ? proms.map((p) => ({ who: p.ref, v: judgeOperator(graph, p, f.file) })) : raws.map((r) => ({ who: r.pod.owner.ref, v: judgeRaw(graph, r, f.file) }));
        for (const { who, v } of verdicts) {
          if (!v) continue;
          report({
            message:
              `${job.ref} reads tls_config.${f.field} ${f.file}, but the pod of ${who} does not have that file: ${v.why}. ` +
              `Prometheus reports "${missingFileError(camelField, f.file, { certFile: job.body.tls.cert_file, keyFile: job.body.tls.key_file })}" ` +
              `and the job scrapes nothing. ${v.fix}, or change the path in the scrape config.`,
            at: job.locate(['tls_config', f.field]),
            related: [v.related],
          });
        }
      }
    }
  },
} satisfies Rule;
