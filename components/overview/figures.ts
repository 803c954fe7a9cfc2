import type { Tone } from '@/components/ui/tone';
import type { Overview, ReadyzReport } from '@/lib/query/overview';

/**
 * Pure derivations for the overview's figures and readiness block.
 *
 * etcd raises the NOSPACE alarm and refuses writes when the backend reaches its quota
 * (etcd docs, "Maintenance › Space quota"); the tones warn well before that.
 */
export const ETCD_WARN_RATIO = 0.7;
export const ETCD_CRIT_RATIO = 0.9;

export interface EtcdUsage {
  size: number | null;
  quota: number | null;
  /** size / quota, when both are known. */
  ratio: number | null;
  /** In-use / size: what a defrag would keep. */
  inUse: number | null;
  tone: Tone;
  /** Where the size comes from: etcd itself, or the apiserver's view of its storage. */
  source: 'etcd' | 'apiserver';
}

/** etcd's own metrics are recorded: scraped, read from Prometheus, or seen in figures only etcd reports. */
export function hasEtcdMetrics(o: Overview): boolean {
  return o.freshness.some((f) => f.component === 'etcd') || (o.recorder?.mirror?.components.includes('etcd') ?? false)
    || o.figures.etcdDbInUseBytes !== null || o.figures.etcdQuotaBytes !== null;
}

export function etcdUsage(o: Overview): EtcdUsage {
  const { etcdDbBytes: size, etcdQuotaBytes: quota, etcdDbInUseBytes: inUse } = o.figures;
  const ratio = size !== null && quota !== null && quota > 0 ? size / quota : null;
  const tone: Tone = ratio === null ? 'neutral' : ratio >= ETCD_CRIT_RATIO ? 'crit' : ratio >= ETCD_WARN_RATIO ? 'warn' : 'ok';
  return { size, quota, ratio, inUse, tone, source: hasEtcdMetrics(o) ? 'etcd' : 'apiserver' };
}

/** "clusterroles.rbac.authorization.k8s.io" → name "clusterroles", group "rbac.authorization.k8s.io". */
export function splitResource(resource: string): { name: string; group: string } {
  const i = resource.indexOf('.');
  return i < 0 ? { name: resource, group: '' } : { name: resource.slice(0, i), group: resource.slice(i + 1) };
}

export type ReadyzCheck = ReadyzReport['checks'][number];

export interface ReadinessSummary {
  tone: Tone;
  /** "Ready", "Not ready", "Unknown". */
  label: string;
  /** "all 23 checks passing", "2 of 23 checks failing". */
  detail: string;
  failed: ReadyzCheck[];
  passing: ReadyzCheck[];
}

/** `stale`: the check is older than the recorder's contact with the cluster, so it is shown muted. */
export function summarizeReadiness(r: ReadyzReport | null, stale: boolean): ReadinessSummary {
  if (!r) return { tone: 'neutral', label: 'Unknown', detail: 'no readiness check recorded yet', failed: [], passing: [] };
  const failed = r.checks.filter((c) => !c.ok);
  const passing = r.checks.filter((c) => c.ok);
  const n = r.checks.length;
  const plural = (k: number) => (k === 1 ? 'check' : 'checks');
  if (r.ok && failed.length === 0) {
    return { tone: stale ? 'neutral' : 'ok', label: 'Ready', detail: n ? `all ${n} ${plural(n)} passing` : `HTTP ${r.httpStatus}`, failed, passing };
  }
  const detail = failed.length ? `${failed.length} of ${n} ${plural(n)} failing` : `HTTP ${r.httpStatus}, no failing check named`;
  return { tone: stale ? 'warn' : 'crit', label: 'Not ready', detail, failed, passing };
}
