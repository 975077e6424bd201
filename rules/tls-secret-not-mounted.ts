import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { missingFileError, mountedFileUses } from '../src/targets/files.js';

const ID = 'tls-secret-not-mounted';

export const rule = {
  id: ID,
  title: 'TLS file is read from a Secret or ConfigMap that Prometheus does not mount',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'very-high',
  rationale:
    'The operator mounts /etc/prometheus/secrets/<name>/ only for names listed in the Prometheus spec.secrets ' +
    '(and /etc/prometheus/configmaps/<name>/ for spec.configMaps). A tlsConfig file under any other name does ' +
    'not exist in the Prometheus pod, so the scrape pool cannot be created and the target never comes up.',
  check({ graph, targets, report }) {
    for (const { monitor: m, endpoint: ep, file: f, mount, prometheus: prom, listed } of mountedFileUses(graph, (x) => targets.selection.selecting(x))) {
      if (listed) continue;
      const hasList = isObj(prom.body.spec) && prom.body.spec[mount.list] !== undefined;
      report({
        message:
          `${m.ref} reads ${f.field} ${f.file}, but ${prom.ref} does not list "${mount.name}" in spec.${mount.list}, ` +
          `so the file does not exist in the Prometheus pod ("${missingFileError(f.field, f.file, isObj(ep.tlsConfig) ? ep.tlsConfig : undefined)}"). Add "${mount.name}" to spec.${mount.list} of ${prom.ref}` +
          ' (kube-prometheus-stack: prometheus.prometheusSpec.' + mount.list + ').',
        at: m.locate(f.path),
        related: [{ at: prom.locate(hasList ? ['spec', mount.list] : ['spec']), message: `spec.${mount.list} of ${prom.ref}` }],
      });
    }
  },
} satisfies Rule;
