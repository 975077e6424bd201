import { docsUrl, type RelatedLocation, type Rule } from '../src/engine/rule.js';
import { componentFacts, componentScrapes, scopeMinVersion } from '../src/sources/components/scrapes.js';
import { INSECURE_OFF, SECURE_PORT } from '../src/sources/components/derive.js';
import { type ComponentConfig, componentConfigs } from '../src/sources/components/model.js';

const ID = 'control-plane-insecure-port-disabled';

const INSECURE: Record<number, 'kube-scheduler' | 'kube-controller-manager'> = { 10251: 'kube-scheduler', 10252: 'kube-controller-manager' };

export const rule = {
  id: ID,
  title: 'Scheduler or controller-manager scraped on an insecure port that is switched off',
  category: 'control-plane',
  severity: 'error',
  docs: docsUrl(ID),
  tags: ['control-plane', 'version', 'cross-check'],
  precision: 'high',
  rationale:
    'kube-scheduler served plain-HTTP metrics on 10251 and kube-controller-manager on 10252 until their secure ports ' +
    '10259/10257 took over: kubeadm 1.19 to 1.22 passes --port=0, Kubernetes 1.22 (controller-manager) and 1.23 ' +
    '(scheduler) switched the insecure ports off for good, and 1.24 removed the flag. A target on the old port is ' +
    'refused. Without a version or the component flags the finding is a warning: older clusters really serve these ports.',
  check({ graph, targets, report }) {
    const version = scopeMinVersion(graph);
    // The component's own flags ask for an insecure port its release no longer has: it does not start.
    for (const c of componentConfigs(graph.byKind('ComponentConfig'))) {
      const off = INSECURE_OFF[c.body.component];
      if (!off || !version) continue;
      const flags = [c.body.defaults.insecurePortIgnored || (version.minor >= 24 && c.body.flags.port !== undefined) ? 'port' : undefined, version.minor >= 24 && c.body.flags.address !== undefined ? 'address' : undefined].filter((f): f is string => f !== undefined);
      for (const flag of flags) {
        const gone = version.minor >= 24;
        report({
          message:
            `${c.body.component} is given --${flag}=${c.body.flags[flag]} (${c.body.from}) on Kubernetes ${version.exact ?? `1.${version.minor} or later`}: ` +
            (gone
              ? `the insecure-serving flags were removed in 1.24, so it exits with "Error: unknown flag: --${flag}".`
              : `since 1.${off} --port accepts only 0, so it exits with "invalid port value ${c.body.flags[flag]}: only zero is allowed".`) +
            ` Remove --${flag} (from the manifest and the kubeadm extraArgs) and scrape the secure port ${SECURE_PORT[c.body.component]} over https.`,
          at: c.locate([flag === 'port' ? 'insecurePort' : 'address']),
          related: [{ at: version.at, message: `Kubernetes version (${version.from})` }],
        });
      }
    }
    for (const s of componentScrapes(graph, targets)) {
      const component = INSECURE[s.port];
      if (!component || s.component !== component) continue;
      const secure = SECURE_PORT[component]!;
      const off = INSECURE_OFF[component]!;
      const facts = componentFacts(graph, component);
      const offFacts = facts.filter((f) => f.body.insecurePort === 0 || (f.body.insecurePort !== undefined && f.body.defaults.insecurePortIgnored));
      const onFacts = facts.filter((f) => f.body.insecurePort !== undefined && f.body.insecurePort !== 0 && !f.body.defaults.insecurePortIgnored);
      if (onFacts.length > 0) continue; // the component's own flags open the port
      const monitorFix =
        `scrape the secure port ${secure} with scheme: https, a bearer token allowed to get /metrics and the component's ` +
        `self-signed certificate accepted (kube-prometheus-stack: ${component === 'kube-scheduler' ? 'kubeScheduler' : 'kubeControllerManager'}.service.port ` +
        `and targetPort ${secure}, serviceMonitor.https: true, insecureSkipVerify: true)`;
      const related: RelatedLocation[] = [{ at: s.portAt, message: `port ${s.port}: ${s.portWhere}` }];
      let why: string;
      let flagFix: string;
      let severity: 'warning' | undefined;
      if (offFacts.length > 0 && offFacts.length === facts.length) {
        const f = offFacts[0] as ComponentConfig;
        const reason = f.body.defaults.insecurePortIgnored ?? f.body.defaults.insecurePort;
        why = reason
          ? `${component} serves no insecure port: ${reason}`
          : `${component} runs with --port=0 (${f.body.from}), which switches the insecure port ${s.port} off`;
        related.push({ at: f.locate(['insecurePort']), message: `${component} configuration (${f.body.from})` });
        flagFix = version && version.minor >= off
          ? `On Kubernetes 1.${off} and later the insecure port cannot be turned back on`
          : `Or fix the component: remove --port=0 (possible only before Kubernetes 1.${off}; the port serves metrics without authentication)`;
      } else if (version && version.minor >= off) {
        why = `the scope runs Kubernetes ${version.exact ?? `>= 1.${version.minor}`} (${version.from}), and Kubernetes 1.${off} switched ${component}'s insecure port off`;
        related.push({ at: version.at, message: `Kubernetes version (${version.from})` });
        flagFix = `On Kubernetes 1.${off} and later the insecure port cannot be turned back on`;
      } else if (version) {
        continue; // a release that still has the port, and nothing says it is off
      } else {
        severity = 'warning';
        why =
          `the scope does not say which Kubernetes version runs, and ${component}'s insecure port is off in kubeadm 1.19 and later ` +
          `and in every cluster from Kubernetes 1.${off}`;
        flagFix = `If the cluster is older and really serves ${s.port}, set cluster.kubernetesVersion in .scrapelint.yaml or silence this finding`;
      }
      report({
        message:
          `${s.what} scrapes ${component} on port ${s.port} (${s.portWhere}) over ${s.scheme}, but ${why}. ` +
          `Prometheus will report "connect: connection refused". Fix the monitor: ${monitorFix}. ${flagFix}.`,
        at: s.at,
        related,
        ...(severity ? { severity } : {}),
      });
    }
  },
} satisfies Rule;
