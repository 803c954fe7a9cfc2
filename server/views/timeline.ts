import 'server-only';
import { detect } from '@/lib/detectors/evaluate';
import type { Finding } from '@/lib/detectors/types';
import { evaluatePanel, restartMarkers } from '@/lib/timeline/timeline';
import { PANELS } from '@/lib/timeline/panels';
import { resolveRange } from '@/lib/timeline/time-range';
import type { Marker, PanelResult, PanelSpec, SeriesData, SeriesLoader, TimelineSeries } from '@/lib/timeline/types';
import { planTimeline, panelsFromProm, type PromMatrix } from '@/lib/prometheus/panels';
import { displayUrl, pool, queryRange } from '../prometheus/client';
import { toSummary } from '../capture/pprof-capture';
import { detectionInputs } from './detection-inputs';
import { AuditStore } from '../audit/store';
import { incidents } from '../incidents/service';
import type { Store } from '../store/store';
import type { ClusterEntry, Runtime } from '../runtime';

export interface TimelinePanel extends Omit<PanelSpec, 'queries'> { result: PanelResult }

export interface TimelineData {
  cluster: string;
  now: number;
  from: number;
  to: number;
  panels: TimelinePanel[];
  markers: Marker[];
  /** Findings as of the range's end; each is also a marker over the time its evidence covers. */
  findings: Finding[];
  /** Points returned over all series (what the browser will draw). */
  pointCount: number;
  /** Raw points read from the store to answer. */
  pointsRead: number;
  /** Where the panels' history came from (the page says so in its header). */
  history?: HistorySource;
}

export type HistorySource =
  | { kind: 'recorder' }
  /** `error`: Prometheus did not answer at all, and the panels show the recorder's own series instead. */
  | { kind: 'prometheus'; url: string; stepSeconds: number; queries: number; error?: string };

/** A loader over the store for one cluster and range, memoised (several panels read the same series). */
export function storeLoader(store: Store, cluster: string, from: number, to: number, lookbackMs: number): SeriesLoader & { pointsRead: () => number } {
  const cache = new Map<string, SeriesData[]>();
  let read = 0;
  const load = ((name: string) => {
    let hit = cache.get(name);
    if (!hit) {
      hit = store.series.query(cluster, name, from, to, {}, lookbackMs).map((s) => ({ labels: s.labels, points: s.points }));
      for (const s of hit) read += s.points.length;
      cache.set(name, hit);
    }
    return hit;
  }) as SeriesLoader & { pointsRead: () => number };
  load.pointsRead = () => read;
  return load;
}

const RUNTIME_PANELS = ['apiserver-goroutines', 'apiserver-memory'];

/** Stored goroutine dumps and heap profiles in the range, on the goroutine and memory panels, each linking to its analysis. */
export function captureMarkers(store: Store, entry: ClusterEntry, from: number, to: number): Marker[] {
  const out: Marker[] = [];
  for (const row of store.artifacts(entry.id)) {
    if (row.t < from || row.t > to) continue;
    const c = toSummary(row);
    if (!c) continue;
    const what = c.kind === 'heap' ? 'heap profile' : `goroutine dump${c.total !== undefined ? ` (${c.total.toLocaleString('en-US')} goroutines)` : ''}`;
    const how = c.source === 'threshold' ? `automatic: ${c.reason ?? 'growth'}` : c.source === 'schedule' ? 'scheduled' : c.source;
    out.push({
      t: c.t, kind: 'capture', label: `${c.component} ${what}, ${how}`, panels: RUNTIME_PANELS,
      href: `/clusters/${encodeURIComponent(entry.id)}/runtime?${c.kind === 'heap' ? 'h' : 'g'}=${c.id}`,
    });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** "now" of a cluster: the wall clock when live, the end of the capture for a bundle. */
export function clusterNow(entry: ClusterEntry, wall = Date.now()): number {
  return entry.kind === 'bundle' && entry.bundle ? entry.bundle.to : wall;
}

export interface TimelineQuery {
  from?: string; to?: string; width?: number; panels?: string[]; source?: 'recorder' | 'prometheus';
  /** Only this incident's annotations (the war room); all incidents' on the cluster otherwise. */
  incident?: string;
}

/** Incident annotations on the cluster in the range: on every panel, each leading to its war room. */
export function annotationMarkers(rt: Runtime, cluster: string, from: number, to: number, incident?: string): Marker[] {
  return incidents(rt).annotationsOnCluster(cluster, from, to, incident).map((a) => ({
    t: a.from, ...(a.to !== null ? { until: a.to } : {}), kind: 'annotation' as const,
    label: `${a.kind}: ${a.text} (${a.author})`, href: `/incidents/${encodeURIComponent(a.incidentId)}`,
  }));
}

/**
 * The timeline from the recorder's series. `override`: panels already evaluated elsewhere
 * (Prometheus), by id; the others, findings and markers come from the store.
 */
export function timeline(rt: Runtime, entry: ClusterEntry, q: TimelineQuery, override?: Map<string, PanelResult>): TimelineData {
  const now = clusterNow(entry);
  const { from, to } = resolveRange(q.from, q.to, now);
  const maxPoints = Math.min(4000, Math.max(50, Math.round((q.width ?? 1200) * 2)));
  // The lookback brings the last scrape before `from`, so the first interval's rate exists.
  const load = storeLoader(rt.store, entry.id, from, to, 2 * rt.config.intervalMs + 60_000);
  const specs = selectPanels(q.panels);
  const panels = specs.map((spec) => {
    const { queries: _q, ...rest } = spec;
    const result = override?.get(spec.id) ?? evaluatePanel(spec, load, { from, to, maxPoints });
    return { ...rest, result: spec.id === 'apiserver-errors' ? withErrorMessages(rt.store, entry.id, result, from, to, maxPoints) : result };
  });
  const findings = detect({ load, at: to, from: Math.max(from, to - 60 * 60_000), ...detectionInputs(rt.store, entry.id, to, entry.nodeLifecycle) });
  const markers: Marker[] = [
    ...restartMarkers(load, from, to),
    ...findings.map((f) => ({ t: f.evidence.from, until: f.evidence.to, kind: 'finding' as const, label: f.summary, severity: f.severity })),
    ...captureMarkers(rt.store, entry, from, to),
    ...annotationMarkers(rt, entry.id, from, to, q.incident),
  ];
  const pointCount = panels.reduce((a, p) => a + p.result.series.reduce((b, s) => b + s.points.length, 0), 0);
  return { cluster: entry.id, now, from, to, panels, markers, findings, pointCount, pointsRead: load.pointsRead() };
}

/**
 * The 5xx panel, completed from an ingested audit log where one covers the range: the metrics
 * count errors by code only; the audit log (RequestResponse level) carries the messages, e.g.
 * "etcdserver: mvcc: database space exceeded". Adds the most frequent message as a stat, and the
 * log's own server errors per second as a series ("5xx in audit log") over the minutes it covers
 * — which also shows errors from before the recorder started, or from a bundle without metrics.
 */
export function withErrorMessages(store: Store, cluster: string, result: PanelResult, from: number, to: number, maxPoints = 600): PanelResult {
  const audit = new AuditStore(store.db);
  const errs = audit.errors(cluster, from, to, 50);
  const top = errs.list.find((e) => e.code >= 500);
  const series = auditErrorSeries(errs.perMinute, audit.range(cluster), from, to, maxPoints);
  if (!top && !series) return result;
  return {
    ...result,
    series: series ? [...result.series, series] : result.series,
    stats: top ? [...result.stats, { label: 'most frequent', value: `${top.code} "${top.message.slice(0, 140)}" ×${top.count.toLocaleString('en-US')} (audit log)`, severity: 'critical' }] : result.stats,
  };
}

/**
 * Server errors (code ≥ 500) per second from the audit log's per-minute counts, in steps of whole
 * minutes (about `maxPoints` at most). Minutes the log covers without errors are 0; outside what
 * it covers there are no points (unknown is not zero).
 */
export function auditErrorSeries(perMinute: Array<{ minute: number; code: number; count: number }>, covered: { from: number; to: number } | null, from: number, to: number, maxPoints: number): TimelineSeries | null {
  const fives = perMinute.filter((r) => r.code >= 500);
  if (fives.length === 0) return null;
  const lo = Math.max(from, covered?.from ?? fives[0]!.minute);
  const hi = Math.min(to, covered?.to ?? fives[fives.length - 1]!.minute + 60_000);
  if (!(hi > lo)) return null;
  const step = Math.max(60_000, Math.ceil((hi - lo) / Math.max(1, maxPoints) / 60_000) * 60_000);
  const start = Math.floor(lo / step) * step;
  const n = Math.ceil((hi - start) / step);
  const counts = new Float64Array(n);
  for (const r of fives) {
    const i = Math.floor((r.minute - start) / step);
    if (i >= 0 && i < n) counts[i]! += r.count;
  }
  const points: Array<[number, number | null]> = Array.from(counts, (c, i) => [start + i * step, c / (step / 1000)]);
  return { name: '5xx in audit log', labels: { source: 'audit' }, style: 'line', points };
}

function selectPanels(ids?: string[]): PanelSpec[] {
  return ids?.length ? PANELS.filter((p) => ids.includes(p.id)) : PANELS;
}

/**
 * The timeline as the page shows it: history from Prometheus when the cluster has a `prometheus:`
 * setting (the recorder still fills the census, findings and capture markers), from the recorder
 * otherwise, or when asked (`source=recorder`), or when Prometheus does not answer at all (an
 * incident is exactly when monitoring may be down: the recorder's own series are the fallback).
 */
export async function timelineWithHistory(rt: Runtime, entry: ClusterEntry, q: TimelineQuery, signal?: AbortSignal): Promise<TimelineData> {
  const cfg = entry.prometheus;
  if (!cfg || q.source === 'recorder') return { ...timeline(rt, entry, q), history: { kind: 'recorder' } };
  const now = clusterNow(entry);
  const { from, to } = resolveRange(q.from, q.to, now);
  const range = { from, to, maxPoints: Math.min(4000, Math.max(50, Math.round((q.width ?? 1200) * 2))) };
  const plan = planTimeline(selectPanels(q.panels), range, { labels: cfg.labels, scrapeIntervalSeconds: cfg.scrapeIntervalSeconds });
  const results = new Map<string, PromMatrix>();
  const failed = new Map<string, string>();
  let promPoints = 0;
  // Steps aligned to the step (Grafana does the same), so a refresh reuses Prometheus' cached steps.
  const stepMs = plan.step * 1000;
  const start = Math.floor(from / stepMs) * stepMs;
  const end = Math.ceil(to / stepMs) * stepMs;
  await pool(plan.queries, 4, async ({ key, expr }) => {
    try {
      const m = await queryRange(cfg, { expr, start, end, step: plan.step }, signal);
      for (const s of m) promPoints += s.values.length;
      results.set(key, m);
    } catch (e) { failed.set(key, e instanceof Error ? e.message : String(e)); }
  });
  const base = { kind: 'prometheus' as const, url: displayUrl(cfg.url), stepSeconds: plan.step, queries: plan.queries.length };
  if (plan.queries.length && failed.size === plan.queries.length) {
    return { ...timeline(rt, entry, q), history: { ...base, error: [...failed.values()][0]! } };
  }
  const data = timeline(rt, entry, q, panelsFromProm(plan, results, failed, range));
  return { ...data, pointsRead: data.pointsRead + promPoints, history: base };
}
