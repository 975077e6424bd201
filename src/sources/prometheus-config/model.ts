/**
 * One scrape job of raw Prometheus configuration (prometheus.yml, additionalScrapeConfigs in
 * kube-prometheus-stack values or in the Secret a Prometheus names, ScrapeConfig objects'
 * kubernetesSDConfigs), exposed as a resource of kind `ScrapeJob` (apiVersion
 * `scrapelint.io/v1`). `locate` takes Prometheus' snake_case paths relative to the job
 * (`['relabel_configs', 0, 'regex']`) and resolves them where the job is written.
 */
import type { Resource } from '../../model/resource.js';
import type { RelabelRule } from './relabel.js';

export const SCRAPE_JOB_KIND = 'ScrapeJob';
export const SCRAPE_JOB_API = 'scrapelint.io/v1';

export interface SdConfig {
  index: number;
  role: string;
  /** undefined: every namespace. */
  namespaces?: string[];
  ownNamespace?: boolean;
}

export interface ScrapeJobBody {
  jobName: string;
  /** "prometheus.yml", "additionalScrapeConfigs of the values", "Secret ns/name, key k", "ScrapeConfig ns/name". */
  origin: string;
  /** "ns/name" of the operator Prometheus that loads the job, when known. */
  prometheus?: string;
  /** "ns/name" of the ScrapeConfig the job comes from. */
  scrapeConfig?: string;
  /** The ConfigMap (ns/name) a prometheus.yml is stored in, if any. */
  configMap?: string;
  scheme: 'http' | 'https';
  /** `scheme` is written (else http by default). */
  schemeWritten: boolean;
  metricsPath: string;
  tls: { ca_file?: string; cert_file?: string; key_file?: string; insecure_skip_verify?: boolean };
  bearerTokenFile?: string;
  sd: SdConfig[];
  relabel: RelabelRule[];
  staticTargets: { address: string; group: number; index: number }[];
}

export type ScrapeJob = Resource & { body: ScrapeJobBody };

export function scrapeJobs(resources: Iterable<Resource>): ScrapeJob[] {
  const out: ScrapeJob[] = [];
  for (const r of resources) if (r.kind === SCRAPE_JOB_KIND && r.apiVersion === SCRAPE_JOB_API) out.push(r as ScrapeJob);
  return out;
}
