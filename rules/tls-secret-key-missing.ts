import { docsUrl, type Rule } from '../src/engine/rule.js';
import { isObj } from '../src/model/resource.js';
import { didYouMean } from '../src/targets/services.js';
import { knownKeys } from '../src/targets/references.js';
import { missingFileError, mountedFileUses } from '../src/targets/files.js';

const ID = 'tls-secret-key-missing';

export const rule = {
  id: ID,
  title: 'Mounted Secret or ConfigMap has no key for the TLS file',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'very-high',
  rationale:
    'Each key of a Secret listed in the Prometheus spec.secrets becomes one file under ' +
    '/etc/prometheus/secrets/<name>/. A tlsConfig file whose last path segment is not a key of that Secret ' +
    'does not exist in the pod, and the scrape fails with "no such file or directory".',
  check({ graph, targets, report }) {
    for (const { monitor: m, endpoint: ep, file: f, mount, prometheus: prom, listed } of mountedFileUses(graph, (x) => targets.selection.selecting(x))) {
      if (!listed) continue; // tls-secret-not-mounted's business
      const known = knownKeys(graph, mount.kind, prom.namespace ?? '', mount.name);
      if (!known || known.keys.includes(mount.key)) continue; // unknown is not wrong
      const suggestion = didYouMean(mount.key, known.keys);
      report({
        message:
          `${m.ref} reads ${f.field} ${f.file}, but ${known.from.ref} has no key "${mount.key}" ` +
          `(keys: ${known.keys.join(', ') || 'none'}), so the file does not exist in the Prometheus pod ` +
          `("${missingFileError(f.field, f.file, isObj(ep.tlsConfig) ? ep.tlsConfig : undefined)}"). ` +
          (suggestion ? `Did you mean "${suggestion}"? ` : '') +
          `Use one of its keys in the path, or add the key "${mount.key}" to the ${mount.kind}.`,
        at: m.locate(f.path),
        related: [{ at: known.from.locate(known.path), message: `keys of ${known.from.ref}` }],
      });
    }
  },
} satisfies Rule;
