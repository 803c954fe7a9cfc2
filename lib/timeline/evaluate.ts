/**
 * Evaluates timeline queries over recorded series, PromQL-faithfully and at native resolution:
 * rates and quantiles come from each pair of consecutive scrapes (counter resets handled as
 * Prometheus does), then the result is min/max-downsampled to about two points per pixel, so a
 * spike that lasted one scrape interval still shows on a 7-day range.
 *
 * Grouping follows PromQL: `sum by (a)` treats a missing label as ''. Series recorded by one
 * scrape share its timestamp, so per-timestamp sums are exact.
 */
import { minMaxDownsample } from '../analysis/downsample';
import { histogramQuantile, type Bucket } from '../analysis/histogram';
import { deltaCounter, type Point } from '../analysis/rate';
import { pickLabels, seriesKey, type Labels } from '../analysis/series';
import type { GaugeQuery, Query, SeriesData, SeriesLoader, TimelineRange, TimelineSeries } from './types';

function matches(labels: Labels, q: Query): boolean {
  if (q.match && !Object.entries(q.match).every(([k, v]) => labels[k] === v)) return false;
  if (q.exclude && Object.entries(q.exclude).some(([k, vals]) => vals.includes(labels[k] ?? ''))) return false;
  return true;
}

export function legendOf(template: string, labels: Labels): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => labels[k] ?? '');
}

/** Groups per-timestamp values by the `by` labels and sums them. */
function sumBy(perSeries: Array<{ labels: Labels; points: Point[] }>, by: string[]): Map<string, { labels: Labels; byT: Map<number, number> }> {
  const groups = new Map<string, { labels: Labels; byT: Map<number, number> }>();
  for (const s of perSeries) {
    const labels = pickLabels(s.labels, by);
    const key = seriesKey(labels);
    let g = groups.get(key);
    if (!g) { g = { labels, byT: new Map() }; groups.set(key, g); }
    for (const p of s.points) g.byT.set(p.t, (g.byT.get(p.t) ?? 0) + p.v);
  }
  return groups;
}

/**
 * Per-interval values of a counter: increase between consecutive scrapes (a reset counts from 0).
 * `bornAfter`: the previous scrape's time when the series first appeared after recording began.
 * Such a counter was created between the two scrapes (Kubernetes creates a label combination, e.g.
 * {verb="POST",code="500"}, on its first request), so its first value is an increase from 0 —
 * what Prometheus' created-timestamp zero ingestion does. Plain PromQL would miss that first burst.
 */
function intervalIncreases(points: Point[], perSecond: boolean, maxGapMs: number, bornAfter?: number): Point[] {
  const out: Point[] = [];
  const first = points[0];
  if (first && bornAfter !== undefined && first.t - bornAfter > 0 && first.t - bornAfter <= maxGapMs) {
    out.push({ t: first.t, v: perSecond ? first.v / ((first.t - bornAfter) / 1000) : first.v });
  }
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dt = b.t - a.t;
    if (dt <= 0 || dt > maxGapMs) continue; // a gap in recording is a gap, not one huge interval
    const inc = deltaCounter(a.v, b.v);
    out.push({ t: b.t, v: perSecond ? inc / (dt / 1000) : inc });
  }
  return out;
}

function toSeries(name: string, labels: Labels, pts: Point[], q: Query, range: TimelineRange): TimelineSeries {
  const scale = q.scale ?? 1;
  const inRange = pts.filter((p) => p.t >= range.from && p.t <= range.to).sort((a, b) => a.t - b.t);
  const ds = minMaxDownsample(inRange, Math.max(1, Math.floor(range.maxPoints / 2)));
  return { name, labels, style: q.style ?? 'line', points: ds.map((p) => [p.t, Number.isFinite(p.v) ? p.v * scale : null]) };
}

function loadAll(load: SeriesLoader, names: string | string[]): SeriesData[] {
  // Candidates in preference order: the first name with data wins (see lib/recording/rules.ts).
  for (const n of Array.isArray(names) ? names : [names]) {
    const s = load(n);
    if (s.length) return s;
  }
  return [];
}

/** A typical scrape interval of the data (median gap), to tell a recording gap from an interval. */
export function medianInterval(series: SeriesData[]): number {
  const gaps: number[] = [];
  for (const s of series.slice(0, 5)) for (let i = 1; i < Math.min(s.points.length, 200); i++) gaps.push(s.points[i]!.t - s.points[i - 1]!.t);
  if (!gaps.length) return 15_000;
  gaps.sort((a, b) => a - b);
  return Math.max(1000, gaps[Math.floor(gaps.length / 2)]!);
}

export function evaluateQuery(q: Query, load: SeriesLoader, range: TimelineRange): TimelineSeries[] {
  const out = evaluateAll(q, load, range);
  return q.topK !== undefined && out.length > q.topK ? topByPeak(out, q.topK) : out;
}

/** The k series with the highest peak in range (ties by name), in legend order. */
export function topByPeak(series: TimelineSeries[], k: number): TimelineSeries[] {
  const peak = (s: TimelineSeries) => s.points.reduce((m, [, v]) => (v !== null && v > m ? v : m), -Infinity);
  return series.map((s) => ({ s, p: peak(s) })).sort((a, b) => b.p - a.p || a.s.name.localeCompare(b.s.name)).slice(0, k)
    .map((x) => x.s).sort((a, b) => a.name.localeCompare(b.name));
}

function evaluateAll(q: Query, load: SeriesLoader, range: TimelineRange): TimelineSeries[] {
  if (q.kind === 'gauge') return evaluateGauge(q, load, range);
  const all = loadAll(load, q.series);
  const raw = all.filter((s) => matches(s.labels, q));
  if (!raw.length) return [];
  const maxGap = 4 * medianInterval(all);
  const born = birthTimes(all);
  if (q.kind === 'rate' || q.kind === 'increase') {
    const per = raw.map((s) => ({ labels: s.labels, points: intervalIncreases(s.points, q.kind === 'rate', maxGap, born(s)) }));
    return [...sumBy(per, q.by ?? []).values()].map((g) =>
      toSeries(legendOf(q.legend, g.labels), g.labels, [...g.byT].map(([t, v]) => ({ t, v })), q, range));
  }
  // Quantile: bucket increases per interval, summed by (by, le), then histogram_quantile.
  const by = q.by ?? [];
  const groups = new Map<string, { labels: Labels; buckets: Array<{ le: number; s: SeriesData }> }>();
  for (const s of raw) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    if (Number.isNaN(le)) continue;
    const labels = pickLabels(s.labels, by);
    const key = seriesKey(labels);
    let g = groups.get(key);
    if (!g) { g = { labels, buckets: [] }; groups.set(key, g); }
    g.buckets.push({ le, s });
  }
  const out: TimelineSeries[] = [];
  for (const g of groups.values()) {
    const pts = alignedQuantiles(q.q, g.buckets, maxGap, born) ?? unalignedQuantiles(q.q, g.buckets, maxGap, born);
    if (pts.length) out.push(toSeries(legendOf(q.legend, g.labels), g.labels, pts, q, range));
  }
  return out;
}

/**
 * The common case, fast: every bucket series of the group was recorded by the same scrapes (one
 * series per `le` and identical timestamps), so increases are computed by index, with no map per
 * timestamp. Returns null when the series are not aligned (several series per `le`, gaps).
 */
function alignedQuantiles(q: number, buckets: Array<{ le: number; s: SeriesData }>, maxGap: number, born: (s: SeriesData) => number | undefined): Point[] | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const first = sorted[0]?.s.points;
  if (!first) return [];
  const n = first.length;
  for (let j = 1; j < sorted.length; j++) {
    if (sorted[j]!.le === sorted[j - 1]!.le) return null;
    const p = sorted[j]!.s.points;
    if (p.length !== n) return null;
    for (let i = 0; i < n; i++) if (p[i]!.t !== first[i]!.t) return null;
  }
  const scratch: Bucket[] = sorted.map((b) => ({ le: b.le, count: 0 }));
  const out: Point[] = [];
  const bornAt = born(sorted[0]!.s);
  const emit = (t: number) => { const v = histogramQuantile(q, scratch); if (!Number.isNaN(v)) out.push({ t, v }); };
  if (bornAt !== undefined && n > 0 && first[0]!.t - bornAt <= maxGap) {
    sorted.forEach((b, j) => { scratch[j]!.count = b.s.points[0]!.v; });
    emit(first[0]!.t);
  }
  for (let i = 1; i < n; i++) {
    const dt = first[i]!.t - first[i - 1]!.t;
    if (dt <= 0 || dt > maxGap) continue;
    for (let j = 0; j < sorted.length; j++) {
      const p = sorted[j]!.s.points;
      scratch[j]!.count = deltaCounter(p[i - 1]!.v, p[i]!.v);
    }
    emit(first[i]!.t);
  }
  return out;
}

/** The general case: bucket increases summed per timestamp and `le` (several series per `le`, gaps, births). */
function unalignedQuantiles(q: number, buckets: Array<{ le: number; s: SeriesData }>, maxGap: number, born: (s: SeriesData) => number | undefined): Point[] {
  const byT = new Map<number, Map<number, number>>();
  for (const { le, s } of buckets) {
    for (const p of intervalIncreases(s.points, false, maxGap, born(s))) {
      let m = byT.get(p.t);
      if (!m) { m = new Map(); byT.set(p.t, m); }
      m.set(le, (m.get(le) ?? 0) + p.v);
    }
  }
  const pts: Point[] = [];
  for (const [t, m] of byT) {
    const v = histogramQuantile(q, [...m].map(([le, count]) => ({ le, count })));
    // No observations in the interval: no point (PromQL returns nothing), not zero.
    if (!Number.isNaN(v)) pts.push({ t, v });
  }
  return pts.sort((a, b) => a.t - b.t);
}

/**
 * For each series of a metric that appeared after the metric's first recorded scrape, the time of
 * the scrape just before its first point (from the other series' timestamps: one scrape, one t).
 */
function birthTimes(all: SeriesData[]): (s: SeriesData) => number | undefined {
  const times = new Set<number>();
  for (const s of all) for (const p of s.points) times.add(p.t);
  const sorted = [...times].sort((a, b) => a - b);
  const earliest = sorted[0];
  return (s) => {
    const t0 = s.points[0]?.t;
    if (t0 === undefined || earliest === undefined || t0 <= earliest) return undefined;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >>> 1; if (sorted[mid]! < t0) lo = mid; else hi = mid - 1; }
    return sorted[lo]! < t0 ? sorted[lo] : undefined;
  };
}

function evaluateGauge(q: GaugeQuery, load: SeriesLoader, range: TimelineRange): TimelineSeries[] {
  const raw = loadAll(load, q.series).filter((s) => matches(s.labels, q));
  return [...sumBy(raw, q.by ?? []).values()].map((g) =>
    toSeries(legendOf(q.legend, g.labels), g.labels, [...g.byT].map(([t, v]) => ({ t, v })), q, range));
}

/** Least-squares slope of a series, per millisecond, over points with t ≥ since. */
export function slope(points: Point[], since: number): number | null {
  const pts = points.filter((p) => p.t >= since && Number.isFinite(p.v));
  if (pts.length < 2) return null;
  const n = pts.length;
  const mt = pts.reduce((a, p) => a + p.t, 0) / n;
  const mv = pts.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of pts) { num += (p.t - mt) * (p.v - mv); den += (p.t - mt) ** 2; }
  return den === 0 ? null : num / den;
}
