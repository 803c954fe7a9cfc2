/**
 * Panels that need more than queries: objects per resource (apiserver metrics merged with the
 * census, growth per minute, the fastest grower named) and the etcd DB against its quota
 * (percent used, projected time to full from the recent growth).
 */
import type { Point } from '../analysis/rate';
import { evaluateQuery, slope } from './evaluate';
import type { PanelResult, PanelSpec, PanelStat, SeriesData, SeriesLoader, TimelineRange, TimelineSeries } from './types';

export interface ResourceGrowth { resource: string; count: number; perMinute: number | null; source: 'metrics' | 'census' }

/**
 * Object counts by resource: the census where it has the resource, the apiserver's metrics for the rest.
 *
 * Why the census wins: the apiserver's counts are a cache polled once a minute, and a resource's
 * first count arrives late: on a real 1.20.2, `etcd_object_counts` for a new CRD read 0 through a
 * 50-second flood of 2,000 objects, while a `limit=1` LIST (a consistent read of etcd) counted them
 * all. Custom resources on ≤1.20 and hidden metrics on newer versions are only in the census anyway;
 * the metrics fill in where the census cannot list (RBAC) or is not running.
 */
export function objectSeries(load: SeriesLoader): Array<{ resource: string; source: 'metrics' | 'census'; points: Point[] }> {
  const fromCensus = load('kf_census_objects')
    .filter((s) => s.points.length)
    .map((s) => ({ resource: s.labels.resource ?? '?', source: 'census' as const, points: s.points }));
  const counted = new Set(fromCensus.map((s) => s.resource));
  const fromMetrics = load('kf_objects')
    .filter((s) => !counted.has(s.labels.resource ?? ''))
    .map((s) => ({ resource: s.labels.resource ?? '?', source: 'metrics' as const, points: s.points }));
  return [...fromCensus, ...fromMetrics];
}

/** The latest count of each resource at `at`, largest first. */
export function latestObjectCounts(load: SeriesLoader, at: number): Array<{ resource: string; count: number; source: 'metrics' | 'census' }> {
  return objectSeries(load).map((s) => {
    const pts = s.points.filter((p) => p.t <= at);
    return { resource: s.resource, source: s.source, count: pts[pts.length - 1]?.v ?? 0 };
  }).sort((a, b) => b.count - a.count);
}

/** Growth per minute over the window's last `windowMs` (least squares), largest first. */
export function resourceGrowth(load: SeriesLoader, at: number, windowMs = 10 * 60_000): ResourceGrowth[] {
  return objectSeries(load).map((s) => {
    const pts = s.points.filter((p) => p.t <= at);
    const last = pts[pts.length - 1];
    const k = slope(pts, at - windowMs);
    return { resource: s.resource, source: s.source, count: last?.v ?? 0, perMinute: k === null ? null : k * 60_000 };
  }).filter((g) => g.count > 0 || (g.perMinute ?? 0) !== 0)
    .sort((a, b) => (b.perMinute ?? -Infinity) - (a.perMinute ?? -Infinity) || b.count - a.count);
}

const fmtCount = (n: number) => (Math.abs(n) >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(Math.abs(n) < 10 && n % 1 !== 0 ? 1 : 0));

export function objectsPanel(spec: PanelSpec, load: SeriesLoader, range: TimelineRange, top = 8): PanelResult {
  const all = objectSeries(load);
  if (!all.length) return { id: spec.id, series: [], stats: [], empty: 'No object counts recorded yet (the census runs every minute).' };
  const latest = (pts: Point[]) => { const inRange = pts.filter((p) => p.t <= range.to); return inRange[inRange.length - 1]?.v ?? 0; };
  // Ranked by their peak in the range, so what filled etcd and was deleted (an incident's window,
  // a runbook's deletes) keeps its line; "largest" below is the largest now.
  const peak = (pts: Point[]) => { let m = -Infinity; for (const p of pts) if (p.t >= range.from && p.t <= range.to && p.v > m) m = p.v; return m === -Infinity ? latest(pts) : m; };
  const growth = resourceGrowth(load, range.to);
  const chosen = [...all].sort((a, b) => peak(b.points) - peak(a.points)).slice(0, top);
  // The fastest grower always gets a line, even when it is not (yet) among the largest.
  const fastest = growth.find((g) => (g.perMinute ?? 0) > 0);
  if (fastest && !chosen.some((c) => c.resource === fastest.resource)) {
    const s = all.find((x) => x.resource === fastest.resource);
    if (s) chosen.push(s);
  }
  const series: TimelineSeries[] = chosen.map((s) => {
    const r = evaluateQuery({ kind: 'gauge', series: '_', legend: s.resource }, () => [{ labels: { resource: s.resource }, points: s.points }], range)[0];
    return { name: s.resource, labels: { resource: s.resource, source: s.source }, style: 'line', points: r?.points ?? [] };
  });
  const stats: PanelStat[] = [];
  if (fastest) {
    stats.push({ label: 'fastest growing', value: `${fastest.resource} +${fmtCount(fastest.perMinute!)}/min (${fmtCount(fastest.count)} now)`, severity: fastest.perMinute! > 50 ? 'warning' : 'info' });
  } else {
    stats.push({ label: 'fastest growing', value: 'nothing is growing', severity: 'ok' });
  }
  const biggest = [...all].sort((a, b) => latest(b.points) - latest(a.points))[0];
  if (biggest) stats.push({ label: 'largest', value: `${biggest.resource} (${fmtCount(latest(biggest.points))})` });
  for (const g of growth.slice(0, 3)) if (g !== fastest && (g.perMinute ?? 0) > 0) stats.push({ label: 'also growing', value: `${g.resource} +${fmtCount(g.perMinute!)}/min` });
  return { id: spec.id, series, stats };
}

/**
 * Growth per minute of each resource over time: the count's change between consecutive samples,
 * per minute (a census about once a minute: each point is that minute's net growth). The K
 * resources with the highest peak growth in the range get a line, the fastest grower now always
 * among them; a flood shows as a plateau however small the resource is beside the largest ones,
 * and a runbook's deletes as a dip below zero.
 */
export function objectGrowthPanel(spec: PanelSpec, load: SeriesLoader, range: TimelineRange, top = 6): PanelResult {
  const all = objectSeries(load).map((s) => ({ ...s, rate: perMinute(s.points) }));
  const peak = (pts: Point[]) => { let m = -Infinity; for (const p of pts) if (p.t >= range.from && p.t <= range.to && p.v > m) m = p.v; return m; };
  const growing = all.map((s) => ({ s, peak: peak(s.rate) })).filter((x) => x.peak > 0).sort((a, b) => b.peak - a.peak);
  if (!growing.length) {
    return { id: spec.id, series: [], stats: [{ label: 'fastest growing', value: 'nothing grew in this range', severity: 'ok' }], ...(all.length ? {} : { empty: 'No object counts recorded yet (the census runs every minute).' }) };
  }
  const chosen = growing.slice(0, top).map((x) => x.s);
  const fastest = resourceGrowth(load, range.to).find((g) => (g.perMinute ?? 0) > 0);
  if (fastest && !chosen.some((c) => c.resource === fastest.resource)) {
    const s = all.find((x) => x.resource === fastest.resource);
    if (s) chosen.push(s);
  }
  const series: TimelineSeries[] = chosen.map((s) => {
    const r = evaluateQuery({ kind: 'gauge', series: '_', legend: s.resource }, () => [{ labels: { resource: s.resource }, points: s.rate }], range)[0];
    return { name: s.resource, labels: { resource: s.resource, source: s.source }, style: 'line', points: r?.points ?? [] };
  });
  const top1 = growing[0]!;
  const at = top1.s.rate.find((p) => p.t >= range.from && p.t <= range.to && p.v === top1.peak)!.t;
  const stats: PanelStat[] = [];
  // The trend over the last 10 minutes (the objects panel's figure), beside the per-minute lines.
  if (fastest) stats.push({ label: 'fastest growing', value: `${fastest.resource} +${fmtCount(fastest.perMinute!)}/min over the last 10 min`, severity: fastest.perMinute! > 50 ? 'warning' : 'info' });
  else stats.push({ label: 'fastest growing', value: 'nothing is growing now', severity: 'ok' });
  stats.push({ label: 'peak', value: `${top1.s.resource} +${fmtCount(top1.peak)}/min at ${new Date(at).toISOString().slice(11, 16)} UTC` });
  return { id: spec.id, series, stats };
}

/** Per-minute change between consecutive samples, stamped at the later sample. */
export function perMinute(points: Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (b.t > a.t) out.push({ t: b.t, v: ((b.v - a.v) * 60_000) / (b.t - a.t) });
  }
  return out;
}

export interface DbUsage {
  sizeBytes: number | null;
  inUseBytes: number | null;
  quotaBytes: number | null;
  percent: number | null;
  /** Bytes per hour over the last 30 minutes. */
  growthPerHour: number | null;
  /** Projected time at which the DB reaches the quota, if it keeps growing. */
  fullAt: number | null;
  source: 'etcd' | 'apiserver' | null;
}

function lastPoint(series: SeriesData[], at: number): Point | undefined {
  let best: Point | undefined;
  for (const s of series) for (const p of s.points) if (p.t <= at && (!best || p.t > best.t)) best = p;
  return best;
}

export function dbUsage(load: SeriesLoader, at: number): DbUsage {
  const etcd = load('etcd_mvcc_db_total_size_in_bytes');
  const api = etcd.length ? [] : load('kf_apiserver_etcd_db_bytes');
  const sizeSeries = etcd.length ? etcd : api;
  const size = lastPoint(sizeSeries, at);
  const inUse = lastPoint(load('etcd_mvcc_db_total_size_in_use_in_bytes'), at);
  const quota = lastPoint(load('etcd_server_quota_backend_bytes'), at);
  const k = sizeSeries[0] ? slope(sizeSeries[0].points.filter((p) => p.t <= at), at - 30 * 60_000) : null;
  const growthPerHour = k === null ? null : k * 3_600_000;
  const percent = size && quota && quota.v > 0 ? (100 * size.v) / quota.v : null;
  const fullAt = size && quota && growthPerHour && growthPerHour > 0 && size.v < quota.v ? at + ((quota.v - size.v) / growthPerHour) * 3_600_000 : null;
  return {
    sizeBytes: size?.v ?? null, inUseBytes: inUse?.v ?? null, quotaBytes: quota?.v ?? null, percent, growthPerHour, fullAt,
    source: etcd.length ? 'etcd' : api.length ? 'apiserver' : null,
  };
}

const fmtBytes = (b: number) => {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = b;
  while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${u[i]}`;
};

export function dbUsagePanel(spec: PanelSpec, load: SeriesLoader, range: TimelineRange): PanelResult {
  const series = spec.queries.flatMap((q) => evaluateQuery(q, load, range));
  const u = dbUsage(load, range.to);
  const stats: PanelStat[] = [];
  if (u.sizeBytes !== null) stats.push({ label: 'size', value: fmtBytes(u.sizeBytes) });
  if (u.percent !== null) {
    stats.push({ label: 'of quota', value: `${u.percent.toFixed(1)}% of ${fmtBytes(u.quotaBytes!)}`, severity: u.percent >= 95 ? 'critical' : u.percent >= 80 ? 'warning' : 'ok' });
  } else if (u.source === 'apiserver') {
    stats.push({ label: 'quota', value: 'unknown: etcd metrics not configured (default quota is 2 GiB)', severity: 'info' });
  }
  if (u.growthPerHour !== null) stats.push({ label: 'growth', value: `${u.growthPerHour >= 0 ? '+' : ''}${fmtBytes(u.growthPerHour)}/h` });
  if (u.fullAt !== null) {
    const h = (u.fullAt - range.to) / 3_600_000;
    stats.push({ label: 'full in', value: h < 1 ? `${Math.max(1, Math.round(h * 60))} min` : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(0)} days`, severity: h < 6 ? 'critical' : h < 48 ? 'warning' : 'info' });
  }
  if (u.source === 'apiserver') stats.push({ label: 'source', value: 'apiserver metric (etcd not reachable directly)', severity: 'info' });
  return { id: spec.id, series, stats, ...(series.length ? {} : { empty: 'No DB size recorded: neither etcd nor the apiserver reported it yet.' }) };
}
