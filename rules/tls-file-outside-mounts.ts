import { docsUrl, type Rule, type Severity } from '../src/engine/rule.js';
import type { NodePath } from '../src/model/location.js';
import { type Resource, isObj } from '../src/model/resource.js';
import { customMountCovers, deniesFileAccess, endpointsWithFiles, missingFileError, operatorMount } from '../src/targets/files.js';
import { scrapeClasses } from '../src/targets/references.js';
import { securedMonitors } from '../src/targets/secured.js';

const ID = 'tls-file-outside-mounts';

const SA_DIRS = ['/var/run/secrets/kubernetes.io/serviceaccount/', '/run/secrets/kubernetes.io/serviceaccount/'];
const SA_FILES = ['token', 'ca.crt', 'namespace'];

interface Verdict {
  severity?: Severity;
  /** Why the path is not there, in words. */
  why: string;
  fix: string;
  related: { path: NodePath; message: string };
}

/**
 * Is `file` in the Prometheus pod? undefined when it is (or when another rule or the image answers
 * for it), otherwise why not.
 */
function judge(prom: Resource, file: string, fromClass: boolean): Verdict | undefined {
  // tls-secret-not-mounted / tls-secret-key-missing (and a bare directory there is not "outside the mounts").
  if (operatorMount(file) || /^\/etc\/prometheus\/(secrets|configmaps)\//.test(file)) return undefined;
  if (file.startsWith('/etc/prometheus/certs/')) return undefined; // operator-managed tls-assets
  if (file.startsWith('/etc/ssl/')) return undefined; // the image's own CA bundle
  if (customMountCovers(prom, file)) return undefined;
  const spec = isObj(prom.body.spec) ? prom.body.spec : {};
  const mountsPath: NodePath = spec.volumeMounts !== undefined ? ['spec', 'volumeMounts'] : ['spec'];
  const secretFix =
    `Put the file into a Secret in namespace "${prom.namespace}", list it in spec.secrets of ${prom.ref} and use ` +
    '/etc/prometheus/secrets/<secret>/<key>' +
    (fromClass
      ? ', or mount a volume there with spec.volumes and spec.volumeMounts.'
      : '; or reference a Secret with tlsConfig.ca / cert / keySecret (authorization.credentials for a token), ' +
        'which the operator resolves in the monitor\'s namespace.');
  const mounts = { path: mountsPath, message: spec.volumeMounts !== undefined ? `volumeMounts of ${prom.ref}` : `${prom.ref}, which has no spec.volumeMounts` };
  const sa = SA_DIRS.find((d) => file.startsWith(d));
  if (sa) {
    const base = file.slice(sa.length);
    if (SA_FILES.includes(base)) {
      if (spec.automountServiceAccountToken !== false) return undefined;
      return {
        why: 'it sets automountServiceAccountToken: false, so the service-account token directory is not mounted',
        fix: `Remove automountServiceAccountToken: false from ${prom.ref}, or project the token into the prometheus container with spec.volumes/volumeMounts (or spec.containers).`,
        related: { path: ['spec', 'automountServiceAccountToken'], message: `automountServiceAccountToken of ${prom.ref}` },
      };
    }
    if (base === 'service-ca.crt') {
      return {
        severity: 'warning',
        why: 'service-ca.crt is only projected into the service-account directory on OpenShift; other clusters have token, ca.crt and namespace there',
        fix: 'On OpenShift this is fine (suppress the finding); elsewhere use ca.crt or a CA from a Secret (tlsConfig.ca).',
        related: mounts,
      };
    }
    return {
      why: `the service-account directory holds only ${SA_FILES.join(', ')}`,
      fix: secretFix,
      related: mounts,
    };
  }
  if (!file.startsWith('/')) {
    return {
      why: 'a relative path is resolved against the directory of the generated configuration (/etc/prometheus/config_out/), where no such file exists',
      fix: `Use an absolute path. ${secretFix}`,
      related: mounts,
    };
  }
  const host = /^\/etc\/kubernetes\/|^\/var\/lib\/|^\/etc\/etcd\/|^\/etc\/ssl\/etcd\//.test(file);
  return {
    why:
      `no volume is mounted there (it is not under /etc/prometheus/secrets/<name>/, /etc/prometheus/configmaps/<name>/, ` +
      'the service-account directory, or a spec.volumeMounts path)' +
      (host ? '; it looks like a path on the node, which a pod does not see' : ''),
    fix: secretFix,
    related: mounts,
  };
}

export const rule = {
  id: ID,
  title: 'TLS or token file path that the Prometheus pod does not have',
  category: 'tls',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['tls', 'cross-check'],
  precision: 'high',
  rationale:
    'caFile, certFile, keyFile and bearerTokenFile are copied verbatim into the Prometheus configuration and ' +
    'read inside the Prometheus container. Only the operator mounts (/etc/prometheus/secrets/<name>/, ' +
    '/etc/prometheus/configmaps/<name>/), the service-account token directory and the spec.volumeMounts of the ' +
    'Prometheus exist there; a host path such as /etc/kubernetes/pki/etcd/ca.crt does not, and the scrape pool fails.',
  check({ graph, targets, report }) {
    const emit = (owner: Resource, prom: Resource, field: string, file: string, at: NodePath, who: string) => {
      const v = judge(prom, file, owner === prom);
      if (!v) return;
      // A Prometheus described in .scrapelint.yaml (cluster.prometheus) cannot state its volumeMounts.
      const external = prom.annotations['scrapelint.io/external'] === 'true';
      report({
        message:
          `${who} reads ${field} ${file}, but that file does not exist in the pod of ${prom.ref}: ${v.why}. ` +
          `Prometheus reports "${missingFileError(field, file)}". ${v.fix}`,
        at: owner.locate(at),
        related: [{ at: prom.locate(v.related.path), message: v.related.message }],
        ...(v.severity || external ? { severity: v.severity ?? 'warning' } : {}),
      });
    };
    for (const m of securedMonitors(graph, 'ServiceMonitor')) {
      // Open world: without the selecting Prometheus its mounts are unknown. A Prometheus that
      // denies file access rejects the monitor anyway (arbitrary-fs-access-denied).
      const proms = targets.selection.selecting(m).filter((p) => !deniesFileAccess(p));
      if (proms.length === 0) continue;
      for (const { index, files } of endpointsWithFiles(m)) {
        for (const f of files) {
          for (const prom of proms) emit(m, prom, f.field, f.file, f.path, `${m.ref} endpoints[${index}]`);
        }
      }
    }
    // Scrape classes: file paths of the Prometheus' own configuration.
    for (const prom of targets.selection.prometheuses) {
      for (const c of scrapeClasses(prom)) {
        const tls = isObj(c.body.tlsConfig) ? c.body.tlsConfig : {};
        for (const f of ['caFile', 'certFile', 'keyFile']) {
          if (typeof tls[f] === 'string' && tls[f] !== '') emit(prom, prom, `tlsConfig.${f}`, tls[f], [...c.path, 'tlsConfig', f], `scrape class "${c.name}" of ${prom.ref}`);
        }
        const auth = isObj(c.body.authorization) ? c.body.authorization : {};
        if (typeof auth.credentialsFile === 'string' && auth.credentialsFile !== '')
          emit(prom, prom, 'authorization.credentialsFile', auth.credentialsFile, [...c.path, 'authorization', 'credentialsFile'], `scrape class "${c.name}" of ${prom.ref}`);
      }
    }
  },
} satisfies Rule;
