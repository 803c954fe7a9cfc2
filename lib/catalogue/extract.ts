// Reading logical metrics out of a parsed scrape through the catalogue. Every helper tries the
// version's candidates first and then, as a last resort, every other known name (flags such as
// --show-hidden-metrics-for-version, or a wrong version guess, can expose "out of range" names).
// A candidate matches only if its family exists and carries the labels the row maps, so one
// metric name with two label schemes (apiserver_storage_size_bytes{cluster|storage_cluster_id})
// resolves by what the scrape actually contains.
import type { MetricFamily, ParseResult, PromSample } from '../parse/prometheus-text';
import { resolve, resolveAnyVersion } from './catalogue';
import type { Candidate, LogicalMetric, VersionContext } from './catalogue';

export interface Match { candidate: Candidate; family: MetricFamily }

/** Fills unknown versions from the scrape itself (kubernetes_build_info, etcd_server_version). */
export function withDetectedVersions(result: ParseResult, ctx: VersionContext | string = {}): VersionContext {
  const c: VersionContext = typeof ctx === 'string' ? { k8sVersion: ctx } : { ...ctx };
  if (c.k8sVersion === undefined) {
    const v = labelOfFirst(result, 'kubernetes_build_info', 'git_version');
    if (v) c.k8sVersion = v;
  }
  if (c.etcdVersion === undefined) {
    const v = labelOfFirst(result, 'etcd_server_version', 'server_version');
    if (v) c.etcdVersion = v;
  }
  return c;
}

function labelOfFirst(result: ParseResult, family: string, label: string): string | undefined {
  for (const s of result.families.get(family)?.samples ?? []) {
    const v = s.labels[label];
    if (v) return v;
  }
  return undefined;
}

function hasShape(f: MetricFamily, labels: Readonly<Record<string, string>>): boolean {
  const need = Object.values(labels);
  if (f.samples.length === 0) return false;
  if (need.length === 0) return true;
  return f.samples.some((s) => need.every((l) => l in s.labels));
}

/** The first candidate present in the scrape, or undefined. */
export function findMetric(result: ParseResult, logical: LogicalMetric, ctx: VersionContext | string = {}): Match | undefined {
  const c = withDetectedVersions(result, ctx);
  const tried = new Set<string>();
  for (const cand of [...resolve(logical, c), ...resolveAnyVersion(logical)]) {
    const id = `${cand.metric} ${JSON.stringify(cand.labels)}`;
    if (tried.has(id)) continue;
    tried.add(id);
    const family = result.families.get(cand.metric);
    if (family && hasShape(family, cand.labels)) return { candidate: cand, family };
  }
  return undefined;
}

/** Sample labels renamed to the logical names of the matched row (missing ones as ''). */
export function logicalLabels(s: PromSample, m: Match): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [logical, exposed] of Object.entries(m.candidate.labels)) out[logical] = s.labels[exposed] ?? '';
  return out;
}

/** The value of a single-series gauge such as go_goroutines; null when absent or not finite. */
export function extractScalar(result: ParseResult, logical: LogicalMetric, ctx: VersionContext | string = {}): number | null {
  const m = findMetric(result, logical, ctx);
  const v = m?.family.samples[0]?.value;
  return v === undefined || !Number.isFinite(v) ? null : v;
}

export interface DbSize {
  /** The largest value over all series: the member or storage cluster nearest its quota. */
  bytes: number;
  /** The exposed metric it came from, e.g. "etcd_db_total_size_in_bytes". */
  metric: string;
  /** Per series: the etcd endpoint URL (≤1.27) or storage cluster id (1.28+), and its size. */
  series: Array<{ storage: string; bytes: number }>;
}

/**
 * etcd DB size as reported by kube-apiserver. Up to 1.27 there is one series per etcd endpoint
 * (members of one cluster); from 1.28 one per storage cluster. Either way the largest is the
 * one that hits the quota first, so `bytes` is the maximum. Negative or non-finite values
 * (poll not yet done, fetch errors) are ignored; null when nothing usable remains.
 */
export function extractDbSize(result: ParseResult, ctx: VersionContext | string = {}): DbSize | null {
  const m = findMetric(result, 'apiserverEtcdDbSizeBytes', ctx);
  if (!m) return null;
  const series: DbSize['series'] = [];
  for (const s of m.family.samples) {
    if (!Number.isFinite(s.value) || s.value < 0) continue;
    series.push({ storage: logicalLabels(s, m)['storage'] ?? '', bytes: s.value });
  }
  if (series.length === 0) return null;
  return { bytes: Math.max(...series.map((x) => x.bytes)), metric: m.candidate.metric, series };
}

export interface ObjectCount {
  /** Plural resource name without the group, e.g. "deployments". */
  resource: string;
  /** API group, '' for the core group. */
  group: string;
  /** null when the apiserver reported -1 (count could not be fetched, 1.29+). */
  count: number | null;
}

/** "deployments.apps" → {resource: deployments, group: apps}; resource names contain no dots. */
export function splitGroupResource(s: string): { resource: string; group: string } {
  const dot = s.indexOf('.');
  return dot < 0 ? { resource: s, group: '' } : { resource: s.slice(0, dot), group: s.slice(dot + 1) };
}

/** "deployments" + "apps" → "deployments.apps" (GroupResource.String()). */
export function qualifiedResource(o: { resource: string; group: string }): string {
  return o.group ? `${o.resource}.${o.group}` : o.resource;
}

/** Objects per resource, largest first (unknown counts last); [] when no object-count metric. */
export function extractObjectCounts(result: ParseResult, ctx: VersionContext | string = {}): ObjectCount[] {
  const m = findMetric(result, 'objectCount', ctx);
  if (!m) return [];
  const splitGroup = !('group' in m.candidate.labels);
  const out: ObjectCount[] = [];
  for (const s of m.family.samples) {
    const l = logicalLabels(s, m);
    const gr = splitGroup ? splitGroupResource(l['resource'] ?? '') : { resource: l['resource'] ?? '', group: l['group'] ?? '' };
    out.push({ ...gr, count: Number.isFinite(s.value) && s.value >= 0 ? s.value : null });
  }
  return out.sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || qualifiedResource(a).localeCompare(qualifiedResource(b)));
}

export interface EtcdDbStats {
  dbSizeBytes: number | null;
  dbSizeInUseBytes: number | null;
  quotaBytes: number | null;
  /** Where dbSizeBytes came from. */
  dbSizeMetric: string | null;
}

/** etcd's own view of its backend: size, size in use (after compaction) and quota. */
export function extractEtcdDbStats(result: ParseResult, ctx: VersionContext | string = {}): EtcdDbStats {
  const c = typeof ctx === 'string' ? { etcdVersion: ctx } : ctx;
  const size = findMetric(result, 'etcdDbTotalSize', c);
  const v = size?.family.samples[0]?.value;
  return {
    dbSizeBytes: v !== undefined && Number.isFinite(v) ? v : null,
    dbSizeInUseBytes: extractScalar(result, 'etcdDbInUse', c),
    quotaBytes: extractScalar(result, 'etcdQuota', c),
    dbSizeMetric: size ? size.candidate.metric : null,
  };
}
