/**
 * Control-plane component configuration -> `ComponentConfig` resources: static pod manifests,
 * kubeadm ClusterConfiguration (v1beta3 map / v1beta4 list extraArgs, also inside the
 * `kubeadm-config` ConfigMap), KubeProxyConfiguration (standalone or the `kube-proxy`
 * ConfigMap's `config.conf`), the kube-proxy DaemonSet, KubeletConfiguration, and k3s/RKE2
 * `config.yaml`. See docs/control-plane.md.
 */
import type { AdapterContext, AdapterResult, SourceAdapter } from '../adapter.js';
import type { ParsedDocument } from '../../parse/document.js';
import type { Location, NodePath } from '../../model/location.js';
import { type Obj, type Resource, asArray, isObj } from '../../model/resource.js';
import { type Flag, argListFlags, containerFlags, lastFlag, truthy } from './flags.js';
import { type Derived, type ScopeVersion, deriveEtcd, deriveSchedulerLike, normalizeProxyMetrics } from './derive.js';
import { COMPONENT_API, VERSION_KIND, type ComponentBody, type ComponentConfig, type ComponentName, componentResource } from './model.js';
import { type KubeVersion, compareVersions, parseVersion, versionFromImage } from './version.js';
import { parseEmbedded } from './embedded.js';

const CONTROL_PLANE: readonly ComponentName[] = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd', 'kube-proxy'];

/** A configuration document wherever it is written: its own document, or YAML inside a ConfigMap key. */
interface ConfigDoc {
  value: Obj;
  file: string;
  locate(path: NodePath): Location;
  /** "ConfigMap kube-system/kube-proxy (config.conf)" or the kind. */
  from: string;
  owner?: string;
}

function isKubeadm(v: Obj, kind: string): boolean {
  return v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kubeadm.k8s.io/');
}

/** Which control-plane component a Pod is (kubeadm / RKE2 static pods). */
function podComponent(r: Resource): { name: ComponentName; container: Obj; index: number } | undefined {
  if (r.kind !== 'Pod') return undefined;
  if (r.namespaceExplicit && r.namespace !== 'kube-system') return undefined;
  const spec = isObj(r.body.spec) ? r.body.spec : {};
  const containers = asArray(spec.containers);
  const labelled = CONTROL_PLANE.find((c) => r.labels.component === c);
  const named = CONTROL_PLANE.find((c) => r.name === c || r.name.startsWith(`${c}-`));
  const name = labelled ?? named;
  if (!name) return undefined;
  const binary = (c: Obj) => {
    const cmd = Array.isArray(c.command) ? c.command : [];
    return typeof cmd[0] === 'string' ? cmd[0].split(/[\\/]/).pop()!.split(/\s/)[0] : undefined;
  };
  let index = containers.findIndex((c) => binary(c) === name || c.name === name);
  // A component label is enough for a single container; a name alone needs the binary or the container name.
  if (index < 0 && labelled && containers.length === 1) index = 0;
  if (index < 0) return undefined;
  return { name, container: containers[index]!, index };
}

/** The scope's Kubernetes version: .scrapelint.yaml, then kubeadm kubernetesVersion, then image tags. */
function scopeVersion(ctx: AdapterContext, clusterConfigs: ConfigDoc[]): ScopeVersion {
  const cfg = parseVersion(ctx.config.kubernetesVersion);
  if (cfg) return { exact: cfg, from: ctx.config.kubernetesVersionFrom ?? `cluster.kubernetesVersion in ${ctx.config.file ?? '.scrapelint.yaml'}` };
  const versions: { v: KubeVersion; from: string; at: Location }[] = [];
  let min: KubeVersion | undefined;
  for (const c of clusterConfigs) {
    const v = parseVersion(c.value.kubernetesVersion);
    if (v) versions.push({ v, from: `kubernetesVersion of the ${c.from} in ${c.file}`, at: c.locate(['kubernetesVersion']) });
    // v1beta3 exists since kubeadm 1.22, v1beta4 since 1.31.
    const api = String(c.value.apiVersion);
    const floor = api.endsWith('/v1beta4') ? parseVersion('1.31') : api.endsWith('/v1beta3') ? parseVersion('1.22') : undefined;
    if (floor && (!min || compareVersions(floor, min) > 0)) min = floor;
  }
  for (const r of ctx.resources) {
    if (r.kind !== 'Pod' && r.kind !== 'DaemonSet') continue;
    const comp = r.kind === 'Pod' ? podComponent(r) : undefined;
    if (r.kind === 'Pod' && !comp) continue;
    if (r.kind === 'DaemonSet' && !(r.name === 'kube-proxy' && (r.namespace === 'kube-system' || !r.namespaceExplicit))) continue;
    const spec = r.kind === 'Pod' ? r.body.spec : r.body.spec?.template?.spec;
    const base: NodePath = r.kind === 'Pod' ? ['spec', 'containers'] : ['spec', 'template', 'spec', 'containers'];
    asArray(isObj(spec) ? spec.containers : undefined).forEach((c, i) => {
      const v = versionFromImage(c.image);
      if (v) versions.push({ v, from: `the image tag ${String(c.image)} of ${r.ref}`, at: r.locate([...base, i, 'image']) });
    });
  }
  // kube-prometheus-stack values: kubeTargetVersionOverride / kubeVersionOverride name the cluster's version.
  for (const doc of ctx.documents) {
    const v = doc.value;
    const vals = isObj(v) && v.kind === undefined ? v : isObj(v) && v.kind === 'HelmRelease' && isObj(v.spec) && isObj(v.spec.values) ? v.spec.values : undefined;
    if (!vals) continue;
    const base: NodePath = vals === v ? [] : ['spec', 'values'];
    for (const key of ['kubeTargetVersionOverride', 'kubeVersionOverride']) {
      const pv = parseVersion(vals[key]);
      if (pv) versions.push({ v: pv, from: `${key} in ${doc.file.path}`, at: doc.locate([...base, key]) });
    }
  }
  if (versions.length === 0) return min ? { min, from: 'the kubeadm configuration API version' } : {};
  // Several versions (an upgrade in progress, several clusters): the lowest is what can be proven for all.
  versions.sort((a, b) => compareVersions(a.v, b.v));
  const lowest = versions[0]!;
  const all = versions.every((x) => compareVersions(x.v, lowest.v) === 0 || (x.v.major === lowest.v.major && x.v.minor === lowest.v.minor));
  return all ? { exact: lowest.v, from: lowest.from, at: lowest.at } : { min: lowest.v, from: lowest.from, at: lowest.at };
}

/** Config documents of a kind: standalone documents and YAML embedded in ConfigMap values. */
function configDocs(ctx: AdapterContext, match: (v: Obj) => boolean): ConfigDoc[] {
  return allConfigDocs(ctx).filter((c) => match(c.value));
}

const configDocsCache = new WeakMap<readonly ParsedDocument[], ConfigDoc[]>();

/**
 * Every document that can hold component configuration (a kind ending in `Configuration`), standalone
 * or embedded in a ConfigMap value: found in one pass over the documents, shared by the callers.
 */
function allConfigDocs(ctx: AdapterContext): ConfigDoc[] {
  const hit = configDocsCache.get(ctx.documents);
  if (hit) return hit;
  const out: ConfigDoc[] = [];
  for (const doc of ctx.documents) {
    const v = doc.value;
    if (!isObj(v)) continue;
    if (typeof v.kind === 'string' && v.kind.endsWith('Configuration')) {
      out.push({ value: v, file: doc.file.path, locate: (p) => doc.locate(p), from: v.kind });
      continue;
    }
    if (v.kind === 'ConfigMap' && isObj(v.data)) {
      const meta = isObj(v.metadata) ? v.metadata : {};
      for (const [key, text] of Object.entries(v.data)) {
        if (typeof text !== 'string' || !/\bkind:\s*\w+Configuration\b/.test(text)) continue;
        for (const emb of embeddedDocs(doc, ['data', key], text)) {
          if (!isObj(emb.value) || typeof emb.value.kind !== 'string' || !emb.value.kind.endsWith('Configuration')) continue;
          const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '(unnamed)';
          const owner = `ConfigMap ${typeof meta.namespace === 'string' ? meta.namespace : ctx.defaultNamespace}/${name}`;
          out.push({ value: emb.value, file: doc.file.path, locate: emb.locate, from: `${String(emb.value.kind)} in ${owner}, key ${key}`, owner });
        }
      }
    }
  }
  configDocsCache.set(ctx.documents, out);
  return out;
}

function embeddedDocs(doc: ParsedDocument, keyPath: NodePath, text: string) {
  // kubeadm-config holds one document per key; a `---` split is not attempted.
  const e = parseEmbedded(doc, keyPath, text);
  return e ? [e] : [];
}

/** kubeadm extraArgs: a map (v1beta3) or a list of {name, value} (v1beta4). */
function extraArgs(v: unknown, base: NodePath): Flag[] {
  if (Array.isArray(v)) {
    return v.flatMap((a, i) => (isObj(a) && typeof a.name === 'string' ? [{ name: a.name.replace(/^--/, ''), value: String(a.value ?? ''), path: [...base, i] }] : []));
  }
  if (isObj(v)) return Object.entries(v).map(([k, x]) => ({ name: k.replace(/^--/, ''), value: String(x ?? ''), path: [...base, k] }));
  return [];
}

function idOf(file: string, comp: string, n: number): string {
  return `${comp}.${file}#${n}`;
}

export const componentsAdapter: SourceAdapter = {
  name: 'components',
  adapt(ctx): AdapterResult {
    const out: ComponentConfig[] = [];
    const clusterConfigs = configDocs(ctx, (v) => isKubeadm(v, 'ClusterConfiguration'));
    const version = scopeVersion(ctx, clusterConfigs);
    const push = (d: Derived, file: string, fallback: Location, owner?: string) => {
      if (owner) d.body.owner = owner;
      out.push(componentResource(d.body, file, fallback, d.where, idOf(file, d.body.component, out.length)));
    };

    // 1. Static pod manifests.
    for (const r of ctx.resources) {
      const pc = podComponent(r);
      if (!pc) continue;
      const flags = containerFlags(pc.container);
      const locFlag = (f: Flag) => r.locate(['spec', 'containers', pc.index, ...f.path]);
      const fallback = r.locate(['spec', 'containers', pc.index, Array.isArray(pc.container.command) ? 'command' : 'args']);
      const rke2 = /rke2|rancher/.test(`${r.file} ${String(pc.container.image)}`);
      const dist: ComponentBody['distribution'] = rke2 ? 'rke2' : 'upstream';
      const from = `Pod ${r.namespace}/${r.name}`;
      if (pc.name === 'kube-scheduler' || pc.name === 'kube-controller-manager') {
        push(deriveSchedulerLike(pc.name, 'static-pod', dist, from, flags, locFlag, fallback, version), r.file, fallback, r.ref);
      } else if (pc.name === 'etcd') {
        const d = rke2 && lastFlag(flags, 'config-file')
          ? { metrics: ['http://127.0.0.1:2381'], clientCertAuth: true, metricsWho: "RKE2's generated etcd config (--config-file) sets listen-metrics-urls: http://127.0.0.1:2381", ccaWho: "RKE2's generated etcd config (--config-file) sets client-cert-auth: true" }
          : undefined;
        push(deriveEtcd('static-pod', dist, from, flags, locFlag, fallback, version, d), r.file, fallback, r.ref);
      } else if (pc.name === 'kube-proxy') {
        push(deriveProxyFromFlags(flags, locFlag, fallback, from, rke2 ? 'rke2' : 'upstream', version), r.file, fallback, r.ref);
      } else {
        const d = deriveSchedulerLike('kube-scheduler', 'static-pod', dist, from, flags, locFlag, fallback, version);
        d.body.component = 'kube-apiserver';
        d.body.securePort = Number(lastFlag(flags, 'secure-port')?.value ?? 6443);
        delete d.body.insecurePort;
        push(d, r.file, fallback, r.ref);
      }
    }

    // 2. kube-proxy DaemonSet (kubeadm, Talos): flags decide only without --config.
    for (const r of ctx.resources) {
      if (r.kind !== 'DaemonSet' || !(r.name === 'kube-proxy' || r.labels['k8s-app'] === 'kube-proxy')) continue;
      if (r.namespaceExplicit && r.namespace !== 'kube-system') continue;
      const containers = asArray(r.body.spec?.template?.spec?.containers);
      const ci = containers.findIndex((c) => c.name === 'kube-proxy' || /kube-proxy/.test(String(c.image ?? '')));
      if (ci < 0) continue;
      const c = containers[ci]!;
      const flags = containerFlags(c);
      const locFlag = (f: Flag) => r.locate(['spec', 'template', 'spec', 'containers', ci, ...f.path]);
      const fallback = r.locate(['spec', 'template', 'spec', 'containers', ci, Array.isArray(c.command) ? 'command' : 'args']);
      const d = deriveProxyFromFlags(flags, locFlag, fallback, `DaemonSet ${r.namespace}/${r.name}`, 'upstream', version);
      d.body.source = 'kube-proxy-daemonset';
      push(d, r.file, fallback, r.ref);
    }

    // 3. kubeadm ClusterConfiguration (documents and the kubeadm-config ConfigMap).
    for (const c of clusterConfigs) {
      const fallback = c.locate(['kind']);
      const at = (f: Flag) => c.locate(f.path);
      for (const [field, comp] of [['scheduler', 'kube-scheduler'], ['controllerManager', 'kube-controller-manager']] as const) {
        const sec = isObj(c.value[field]) ? c.value[field] : {};
        const flags = extraArgs(sec.extraArgs, [field, 'extraArgs']);
        const fb = isObj(c.value[field]) ? c.locate([field]) : fallback;
        push(deriveSchedulerLike(comp, 'kubeadm', 'kubeadm', c.from, flags, at, fb, version), c.file, fb, c.owner);
      }
      const etcd = isObj(c.value.etcd) ? c.value.etcd : {};
      if (!isObj(etcd.external)) {
        const local = isObj(etcd.local) ? etcd.local : {};
        const flags = extraArgs(local.extraArgs, ['etcd', 'local', 'extraArgs']);
        const fb = isObj(etcd.local) ? c.locate(['etcd', 'local']) : fallback;
        push(
          deriveEtcd('kubeadm', 'kubeadm', c.from, flags, at, fb, version, {
            metrics: ['http://127.0.0.1:2381'],
            clientCertAuth: true,
            metricsWho: 'kubeadm passes --listen-metrics-urls=http://127.0.0.1:2381 unless etcd.local.extraArgs says otherwise',
            ccaWho: 'kubeadm passes --client-cert-auth=true',
          }),
          c.file,
          fb,
          c.owner,
        );
      }
    }

    // 4. KubeProxyConfiguration (standalone, or the kube-proxy ConfigMap's config.conf).
    for (const c of configDocs(ctx, (v) => v.kind === 'KubeProxyConfiguration' && String(v.apiVersion ?? '').startsWith('kubeproxy.config.k8s.io/'))) {
      const fallback = c.locate(['kind']);
      const raw = typeof c.value.metricsBindAddress === 'string' ? c.value.metricsBindAddress : undefined;
      const n = normalizeProxyMetrics(raw, typeof c.value.bindAddress === 'string' ? c.value.bindAddress : undefined);
      const body: ComponentBody = {
        component: 'kube-proxy',
        source: 'kube-proxy-config',
        distribution: 'upstream',
        metricsBindAddress: n.address,
        configFile: true,
        flags: {},
        defaults: n.defaulted ? { metricsBindAddress: `metricsBindAddress is ${raw === undefined ? 'absent' : 'empty'}, so kube-proxy uses its default` } : {},
        from: c.from,
      };
      addVersion(body, version);
      const where = new Map([['metricsBindAddress', raw !== undefined ? c.locate(['metricsBindAddress']) : fallback]]);
      push({ body, where }, c.file, fallback, c.owner);
    }

    // 5. KubeletConfiguration (+ kubeadm nodeRegistration.kubeletExtraArgs: the kubelet's flags).
    const kubeletArgs: { flags: Flag[]; doc: ConfigDoc }[] = [];
    for (const c of configDocs(ctx, (v) => isKubeadm(v, 'InitConfiguration') || isKubeadm(v, 'JoinConfiguration'))) {
      const nr = isObj(c.value.nodeRegistration) ? c.value.nodeRegistration : undefined;
      if (nr && nr.kubeletExtraArgs !== undefined) kubeletArgs.push({ flags: extraArgs(nr.kubeletExtraArgs, ['nodeRegistration', 'kubeletExtraArgs']), doc: c });
    }
    for (const c of configDocs(ctx, (v) => v.kind === 'KubeletConfiguration' && String(v.apiVersion ?? '').startsWith('kubelet.config.k8s.io/'))) {
      const fallback = c.locate(['kind']);
      const ro = c.value.readOnlyPort;
      const flag = kubeletArgs.flatMap((k) => k.flags.map((f) => ({ f, doc: k.doc }))).find((x) => x.f.name === 'read-only-port');
      const body: ComponentBody = {
        component: 'kubelet',
        source: 'kubelet-config',
        distribution: 'upstream',
        readOnlyPort: flag ? Number(flag.f.value) : typeof ro === 'number' ? ro : 0,
        flags: flag ? { 'read-only-port': flag.f.value } : {},
        defaults: flag || typeof ro === 'number' ? {} : { readOnlyPort: 'the KubeletConfiguration sets no readOnlyPort, and its default is 0' },
        from: c.from,
      };
      // The kubelet's flags are shown when kubeadm's nodeRegistration.kubeletExtraArgs is in scope.
      if (kubeletArgs.length > 0) body.flags['scrapelint.io/args-shown'] = 'true';
      addVersion(body, version);
      const where = new Map([['readOnlyPort', flag ? flag.doc.locate(flag.f.path) : typeof ro === 'number' ? c.locate(['readOnlyPort']) : fallback]]);
      push({ body, where }, c.file, fallback, c.owner);
    }

    // 6. k3s / RKE2 config.yaml.
    for (const doc of ctx.documents) {
      const v = doc.value;
      if (!isObj(v) || v.kind !== undefined || v.apiVersion !== undefined || !isDistroConfig(v)) continue;
      const dist = /rke2/i.test(doc.file.path) ? 'rke2' : 'k3s';
      distroComponents(doc, v, dist, version, push);
    }
    const resources: Resource[] = [...out];
    const v = version.exact ?? version.min;
    if (v) resources.push(versionResource(v, version, ctx));
    return { resources, problems: [] };
  },
};

/** The scope's Kubernetes version as a resource (kind KubernetesVersion), for rules that judge ports by release. */
function versionResource(v: KubeVersion, version: ScopeVersion, ctx: AdapterContext): Resource {
  const at = version.at ?? { file: ctx.config.file ?? '.scrapelint.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 };
  return {
    kind: VERSION_KIND,
    apiVersion: COMPONENT_API,
    name: 'cluster',
    namespace: undefined,
    namespaceExplicit: false,
    labels: {},
    annotations: {},
    body: { exact: version.exact?.text, minor: v.minor, major: v.major, from: version.from ?? 'the scope' },
    file: at.file,
    ref: `Kubernetes ${version.exact ? version.exact.text : `>= ${v.major}.${v.minor}`}`,
    locate: () => at,
  };
}

function addVersion(body: ComponentBody, v: ScopeVersion): void {
  if (v.exact) body.version = v.exact.text;
  if (v.from) body.versionFrom = v.from;
  const min = v.exact ?? v.min;
  if (min) body.minVersion = `${min.major}.${min.minor}`;
}

function deriveProxyFromFlags(flags: Flag[], locFlag: (f: Flag) => Location, fallback: Location, from: string, dist: ComponentBody['distribution'], v: ScopeVersion): Derived {
  const where = new Map<string, Location>();
  const config = lastFlag(flags, 'config');
  const mba = lastFlag(flags, 'metrics-bind-address');
  const body: ComponentBody = {
    component: 'kube-proxy',
    source: 'kube-proxy-daemonset',
    distribution: dist,
    flags: Object.fromEntries(flags.map((f) => [f.name, f.value])),
    defaults: {},
    from,
    configFile: config !== undefined,
  };
  addVersion(body, v);
  if (config) where.set('configFile', locFlag(config));
  if (mba) where.set('flagMetricsBindAddress', locFlag(mba));
  if (!config) {
    const n = normalizeProxyMetrics(mba?.value);
    body.metricsBindAddress = n.address;
    if (n.defaulted) body.defaults.metricsBindAddress = "no --metrics-bind-address and no --config, so kube-proxy uses its default";
    where.set('metricsBindAddress', mba ? locFlag(mba) : fallback);
  }
  return { body, where };
}

const DISTRO_KEYS = /^(?:kube-(?:scheduler|controller-manager|proxy|apiserver|cloud-controller-manager)-arg|kubelet-arg|etcd-arg|etcd-expose-metrics|cluster-init|write-kubeconfig-mode|disable-kube-proxy|disable-etcd|disable-scheduler|disable-controller-manager|etcd-snapshot-schedule-cron|tls-san|flannel-backend|disable-network-policy)\+?$/;

function isDistroConfig(v: Obj): boolean {
  return Object.keys(v).some((k) => DISTRO_KEYS.test(k));
}

/** A k3s/RKE2 key, also as `key+` (appends). */
function key(v: Obj, k: string): string | undefined {
  return k in v ? k : `${k}+` in v ? `${k}+` : undefined;
}

function distroComponents(doc: ParsedDocument, v: Obj, dist: 'k3s' | 'rke2', version: ScopeVersion, push: (d: Derived, file: string, fallback: Location, owner?: string) => void): void {
  const file = doc.file.path;
  const from = `${dist === 'k3s' ? 'k3s' : 'RKE2'} config ${file}`;
  const fallback = doc.startLocation;
  const args = (k: string): Flag[] => {
    const kk = key(v, k);
    return kk ? argListFlags(v[kk], [kk]) : [];
  };
  const at = (f: Flag) => doc.locate(f.path);
  const disabled = (what: string) => truthy(v[`disable-${what}`]) || (Array.isArray(v.disable) && v.disable.includes(what));
  for (const [k, comp] of [['kube-scheduler-arg', 'kube-scheduler'], ['kube-controller-manager-arg', 'kube-controller-manager']] as const) {
    if (disabled(comp === 'kube-scheduler' ? 'scheduler' : 'controller-manager')) continue;
    const kk = key(v, k);
    const d = deriveSchedulerLike(comp, dist, dist, from, args(k), at, kk ? doc.locate([kk]) : fallback, version);
    push(d, file, fallback);
  }
  if (!disabled('kube-proxy')) {
    const flags = args('kube-proxy-arg');
    const kk = key(v, 'kube-proxy-arg');
    const d = deriveProxyFromFlags(flags, at, kk ? doc.locate([kk]) : fallback, from, dist, version);
    d.body.source = dist;
    if (d.body.defaults.metricsBindAddress) d.body.defaults.metricsBindAddress = `kube-proxy-arg sets no metrics-bind-address, so ${dist === 'k3s' ? 'k3s' : 'RKE2'} keeps kube-proxy's default`;
    push(d, file, fallback);
  }
  const embeddedEtcd = dist === 'rke2' || truthy(v['cluster-init']) || typeof v.server === 'string';
  if (embeddedEtcd && !disabled('etcd') && typeof v['datastore-endpoint'] !== 'string') {
    const expose = truthy(v['etcd-expose-metrics']);
    const flags = args('etcd-arg');
    const exposeAt = 'etcd-expose-metrics' in v ? doc.locate(['etcd-expose-metrics']) : fallback;
    const d = deriveEtcd(dist, dist, from, flags, at, exposeAt, version, {
      metrics: expose ? ['http://127.0.0.1:2381', 'http://<node-ip>:2381'] : ['http://127.0.0.1:2381'],
      clientCertAuth: true,
      metricsWho: expose
        ? 'etcd-expose-metrics: true adds the node address to the loopback listener'
        : `${dist === 'k3s' ? 'k3s' : 'RKE2'} keeps etcd metrics on 127.0.0.1:2381 unless etcd-expose-metrics is true`,
      ccaWho: `${dist === 'k3s' ? 'k3s' : 'RKE2'} runs its embedded etcd with client-cert-auth: true`,
    });
    push(d, file, fallback);
  } else if (dist === 'k3s' && !embeddedEtcd && typeof v['datastore-endpoint'] !== 'string' && !/config\.yaml\.d\//.test(file) && !disabled('etcd')) {
    // No cluster-init, no server to join, no external datastore: k3s keeps its state in SQLite and runs no etcd.
    const body: ComponentBody = {
      component: 'etcd',
      source: 'k3s',
      distribution: 'k3s',
      listenMetricsUrls: [],
      flags: {},
      defaults: { listenMetricsUrls: 'k3s runs no etcd at all: without cluster-init (or a server to join) its datastore is SQLite' },
      from,
    };
    addVersion(body, version);
    push({ body, where: new Map([['listenMetricsUrls', fallback]]) }, file, fallback);
  }
  const kubelet = args('kubelet-arg');
  const ro = lastFlag(kubelet, 'read-only-port');
  const body: ComponentBody = {
    component: 'kubelet',
    source: dist,
    distribution: dist,
    readOnlyPort: ro ? Number(ro.value) : 0,
    flags: Object.fromEntries(kubelet.map((f) => [f.name, f.value])),
    defaults: ro ? {} : { readOnlyPort: `kubelet-arg sets no read-only-port, and ${dist === 'k3s' ? 'k3s' : 'RKE2'} starts the kubelet with it off` },
    from,
  };
  addVersion(body, version);
  push({ body, where: new Map([['readOnlyPort', ro ? at(ro) : fallback]]) }, file, fallback);
}
