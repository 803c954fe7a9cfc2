// Key figures from one or more parsed scrapes of kube-apiserver and/or etcd: what
// `kube-forensics inspect metrics` prints, as a pure function so the dashboard shows the same.
// Findings are not made here: the CLI runs lib/detectors on the same scrapes, as the dashboard does.
// Latency quantiles need two consecutive scrapes of the same process: the histogram increase
// between them, summed over each consecutive pair (so a restart in the middle is handled pair by
// pair), gives `histogram_quantile(q, sum by (…, le) (increase(x_bucket[window])))`.
import type { MetricFamily, ParseResult } from '../parse/prometheus-text';
import { bucketDeltas, quantileBy, sumDeltas } from '../analysis/histogram';
import type { HistogramSeries } from '../analysis/histogram';
import type { VersionContext } from './catalogue';
import { detectComponent, detectVersions } from './detect';
import type { Component } from './detect';
import { extractDbSize, extractEtcdDbStats, extractObjectCounts, extractScalar, findMetric, logicalLabels, qualifiedResource } from './extract';
import type { LogicalMetric } from './catalogue';

export interface ScrapeInput {
  result: ParseResult;
  /** When the scrape was taken (ms since epoch). */
  timeMs: number;
  /** Detected when omitted. */
  component?: Component;
  /** A label for messages, e.g. the file name. */
  source?: string;
}

export interface QuantileFigure { seconds: number | null; observations: number }

export interface ScrapeSummary {
  /** The single component, or 'mixed' when scrapes of several components were given. */
  component: Component | 'mixed';
  components: Component[];
  versions: VersionContext;
  window: { scrapes: number; fromMs: number | null; toMs: number | null };
  etcd: {
    dbSizeBytes: number | null;
    dbSizeInUseBytes: number | null;
    quotaBytes: number | null;
    /** The metric dbSizeBytes came from (etcd's own, or the apiserver's view of it). */
    dbSizeSource: string | null;
    hasLeader: number | null;
    walFsyncP99: QuantileFigure | null;
    backendCommitP99: QuantileFigure | null;
  };
  /** Objects per resource ("deployments.apps"), largest first; null count = unknown (-1). */
  objects: Array<{ resource: string; count: number | null }>;
  /** Of the primary component (the apiserver when present, else etcd, else the first). */
  goroutines: number | null;
  residentMemoryBytes: number | null;
  /** Process figures of the latest scrape of each component. */
  processes: Array<{ component: Component; goroutines: number | null; residentMemoryBytes: number | null; startTimeSeconds: number | null }>;
  apiserver: {
    /** p99 of apiserver_request_duration_seconds by verb over the window, slowest first. */
    requestP99ByVerb: Array<{ verb: string; seconds: number; observations: number }>;
    inflight: Array<{ requestKind: string; value: number }>;
  } | null;
  /** Why a figure is missing, e.g. "etcd WAL fsync p99 not computed: needs two consecutive scrapes". */
  notes: string[];
}

const LONG_RUNNING_VERBS = new Set(['WATCH', 'CONNECT']);

interface Tagged extends ScrapeInput { component: Component }

/**
 * Quantile of a histogram per `by` group over consecutive scrapes (time-ordered, one process).
 * Comes with a `reason` when there is nothing to report: fewer than two scrapes, the metric is
 * absent, or no observations in the window.
 */
export function windowQuantile(q: number, scrapes: readonly ScrapeInput[], logical: LogicalMetric, by: readonly string[] = []): { groups: ReturnType<typeof quantileBy>; reason?: string } {
  if (scrapes.length < 2) return { groups: [], reason: 'needs two consecutive scrapes of the same process' };
  const pairs: HistogramSeries[][] = [];
  let metric: string | undefined;
  for (let i = 1; i < scrapes.length; i++) {
    const prev = scrapes[i - 1]!.result, cur = scrapes[i]!.result;
    const m = findMetric(cur, logical);
    if (!m) continue;
    metric = m.candidate.metric;
    // Add the logical label names (e.g. `requestKind` for `request_kind`) so `by` can use them
    // whatever the version exposes; the original labels stay, keeping series distinct.
    const rename = (f: MetricFamily | undefined): MetricFamily | undefined => f && { ...f, samples: f.samples.map((s) => ({ ...s, labels: { ...s.labels, ...logicalLabels(s, m) } })) };
    const pf = rename(prev.families.get(m.candidate.metric));
    const cf = rename(m.family);
    if (pf && cf) pairs.push(bucketDeltas(pf, cf));
  }
  if (metric === undefined) return { groups: [], reason: 'metric not present' };
  const groups = quantileBy(q, sumDeltas(pairs), by);
  return groups.every((g) => g.observations === 0) ? { groups, reason: 'no observations between the scrapes' } : { groups };
}

function singleQuantile(q: number, scrapes: readonly ScrapeInput[], logical: LogicalMetric): { figure: QuantileFigure | null; reason?: string } {
  const r = windowQuantile(q, scrapes, logical);
  const g = r.groups[0];
  if (!g) return { figure: null, ...(r.reason ? { reason: r.reason } : {}) };
  return { figure: { seconds: Number.isFinite(g.value) ? g.value : null, observations: g.observations }, ...(r.reason ? { reason: r.reason } : {}) };
}

export function summarizeScrapes(input: readonly ScrapeInput[]): ScrapeSummary {
  const scrapes: Tagged[] = input.map((s) => ({ ...s, component: s.component ?? detectComponent(s.result) }))
    .sort((a, b) => a.timeMs - b.timeMs);
  const components = [...new Set(scrapes.map((s) => s.component))];
  const apiserver = scrapes.filter((s) => s.component === 'kube-apiserver');
  const etcd = scrapes.filter((s) => s.component === 'etcd');
  const lastApi = apiserver[apiserver.length - 1];
  const lastEtcd = etcd[etcd.length - 1];
  const versions: VersionContext = { ...(lastEtcd ? detectVersions(lastEtcd.result) : {}), ...(lastApi ? detectVersions(lastApi.result) : {}) };

  // etcd figures: etcd's own metrics when an etcd scrape exists, else the apiserver's DB-size view.
  const etcdStats = lastEtcd ? extractEtcdDbStats(lastEtcd.result) : null;
  let dbSizeBytes = etcdStats?.dbSizeBytes ?? null;
  let dbSizeSource = etcdStats?.dbSizeMetric ?? null;
  if (dbSizeBytes === null && lastApi) {
    const d = extractDbSize(lastApi.result);
    if (d) { dbSizeBytes = d.bytes; dbSizeSource = d.metric; }
  }
  const fsync: { figure: QuantileFigure | null; reason?: string } = lastEtcd ? singleQuantile(0.99, etcd, 'etcdWalFsync') : { figure: null };
  const commit = lastEtcd ? singleQuantile(0.99, etcd, 'etcdBackendCommit') : { figure: null };
  const hasLeader = lastEtcd ? extractScalar(lastEtcd.result, 'etcdHasLeader') : null;

  const primary = lastApi ?? lastEtcd ?? scrapes[scrapes.length - 1];

  let apiserverFigures: ScrapeSummary['apiserver'] = null;
  if (lastApi) {
    // WATCH and CONNECT are long-running: their "duration" is the stream's lifetime, not latency
    // (the apiserver latency SLO counts non-streaming calls only: kubernetes/community
    // sig-scalability/slos/api_call_latency.md), so they are left out.
    const byVerb = windowQuantile(0.99, apiserver, 'requestDuration', ['verb']).groups
      .filter((g) => g.observations > 0 && Number.isFinite(g.value) && !LONG_RUNNING_VERBS.has(g.labels['verb'] ?? ''))
      .map((g) => ({ verb: g.labels['verb'] ?? '', seconds: g.value, observations: g.observations }))
      .sort((a, b) => b.seconds - a.seconds || a.verb.localeCompare(b.verb));
    const inflightMatch = findMetric(lastApi.result, 'inflight');
    const inflight = inflightMatch ? inflightMatch.family.samples.map((s) => ({ requestKind: logicalLabels(s, inflightMatch)['requestKind'] ?? '', value: s.value })) : [];
    apiserverFigures = { requestP99ByVerb: byVerb, inflight };
  }

  const summary: ScrapeSummary = {
    component: components.length === 1 ? components[0]! : components.length === 0 ? 'unknown' : 'mixed',
    components,
    versions,
    window: { scrapes: scrapes.length, fromMs: scrapes[0]?.timeMs ?? null, toMs: scrapes[scrapes.length - 1]?.timeMs ?? null },
    etcd: {
      dbSizeBytes,
      dbSizeInUseBytes: etcdStats?.dbSizeInUseBytes ?? null,
      quotaBytes: etcdStats?.quotaBytes ?? null,
      dbSizeSource,
      hasLeader,
      walFsyncP99: fsync.figure,
      backendCommitP99: commit.figure,
    },
    objects: lastApi ? extractObjectCounts(lastApi.result).map((o) => ({ resource: qualifiedResource(o), count: o.count })) : [],
    goroutines: primary ? extractScalar(primary.result, 'goroutines') : null,
    residentMemoryBytes: primary ? extractScalar(primary.result, 'residentMemory') : null,
    processes: components.map((c) => {
      const last = [...scrapes].reverse().find((s) => s.component === c)!;
      return {
        component: c,
        goroutines: extractScalar(last.result, 'goroutines'),
        residentMemoryBytes: extractScalar(last.result, 'residentMemory'),
        startTimeSeconds: extractScalar(last.result, 'processStartTime'),
      };
    }),
    apiserver: apiserverFigures,
    notes: [],
  };
  // Say why the fsync p99 is missing, but only when an etcd scrape was given at all.
  if (lastEtcd && fsync.figure?.seconds == null && fsync.reason) summary.notes.push(`etcd WAL fsync p99 not computed: ${fsync.reason}`);
  if (summary.etcd.dbSizeBytes !== null && summary.etcd.quotaBytes === null) summary.notes.push('etcd quota unknown: only the apiserver\'s view of the DB size was given (etcd\'s default quota is 2 GiB)');
  return summary;
}
