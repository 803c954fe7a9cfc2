// Classic (bucketed) Prometheus histograms: quantiles with exactly PromQL's `histogram_quantile`
// semantics, bucket increases between two scrapes, and per-group quantiles like
// `histogram_quantile(0.99, sum by (verb, le) (rate(x_bucket[…])))`.
//
// Sources:
//  - prometheus/prometheus `promql/quantile.go` `bucketQuantile`, `coalesceBuckets`,
//    `correctPrecisionErrors` (tolerance 1e-12) and `ensureMonotonic` (2.5x/3.x);
//  - `promql/functions.go` `funcHistogramQuantile`: buckets whose `le` does not parse are skipped;
//  - exposition format: a histogram `x` exposes cumulative counters `x_bucket{le="…"}`, plus
//    `x_sum` and `x_count` (prometheus/docs `concepts/metric_types.md`).
import type { MetricFamily, PromSample } from '../parse/prometheus-text';
import { parsePromFloat } from '../parse/prometheus-text';
import { deltaCounter } from './rate';
import { pickLabels, seriesKey, withoutLabels } from './series';
import type { Labels } from './series';

export interface Bucket { le: number; count: number }

export interface BucketQuantile {
  value: number;
  /** ensureMonotonic had to raise a bucket's count to its predecessor's. */
  forcedMonotonic: boolean;
  /** correctPrecisionErrors smoothed a relative difference ≤ 1e-12 between neighbours. */
  fixedPrecision: boolean;
}

/**
 * `bucketQuantile` from promql/quantile.go. `buckets` are cumulative counts by upper bound `le`
 * (any order; this function sorts a copy).
 *  - q NaN → NaN; q < 0 → -Inf; q > 1 → +Inf;
 *  - the highest bound must be +Inf, else NaN; fewer than 2 buckets or no observations → NaN;
 *  - buckets with equal bounds are merged; counts are made monotonic;
 *  - rank q·total is located in the first bucket whose count ≥ rank and interpolated linearly
 *    inside it; the lowest bucket starts at 0 when its bound is > 0, otherwise its bound is
 *    returned; a rank in the +Inf bucket returns the second-highest bound.
 */
export function bucketQuantile(q: number, input: readonly Bucket[]): BucketQuantile {
  const done = (value: number, forcedMonotonic = false, fixedPrecision = false): BucketQuantile => ({ value, forcedMonotonic, fixedPrecision });
  if (Number.isNaN(q)) return done(NaN);
  if (q < 0) return done(-Infinity);
  if (q > 1) return done(Infinity);
  if (input.length === 0) return done(NaN);
  const sorted = input.map((b) => ({ le: b.le, count: b.count })).sort((a, b) => (a.le < b.le ? -1 : a.le > b.le ? 1 : 0));
  if (sorted[sorted.length - 1]!.le !== Infinity) return done(NaN);
  const buckets = coalesce(sorted);
  const fixedPrecision = correctPrecisionErrors(buckets, 1e-12);
  const forcedMonotonic = ensureMonotonic(buckets);
  if (buckets.length < 2) return done(NaN);
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return done(NaN);
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket: the first index whose count >= rank, else n-1.
  let b = 0;
  const n = buckets.length - 1;
  { let lo = 0, hi = n; while (lo < hi) { const mid = (lo + hi) >>> 1; if (buckets[mid]!.count >= rank) hi = mid; else lo = mid + 1; } b = lo; }
  if (b === buckets.length - 1) return done(buckets[buckets.length - 2]!.le, forcedMonotonic, fixedPrecision);
  if (b === 0 && buckets[0]!.le <= 0) return done(buckets[0]!.le, forcedMonotonic, fixedPrecision);
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.le;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.le;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return done(bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic, fixedPrecision);
}

/** The quantile value alone; see bucketQuantile. */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  return bucketQuantile(q, buckets).value;
}

function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.le === b.le) last.count += b.count;
    else out.push(b);
  }
  return out;
}

// correctPrecisionErrors: a relative step ≤ tolerance between neighbours is float noise (e.g. from
// summing rates); flatten it so it cannot break monotonicity.
function correctPrecisionErrors(buckets: Bucket[], tolerance: number): boolean {
  let fixed = false;
  let prev = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i]!;
    const delta = Math.abs(b.count - prev);
    if (delta === 0) continue;
    if (delta / b.count <= tolerance) { b.count = prev; fixed = true; } else prev = b.count;
  }
  return fixed;
}

// ensureMonotonic: the "envelope" of the counts, removing any decrease between successive buckets.
function ensureMonotonic(buckets: Bucket[]): boolean {
  let forced = false;
  let max = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (b.count > max) max = b.count;
    else if (b.count < max) { b.count = max; forced = true; }
  }
  return forced;
}

/** One histogram series: its labels without `le`, its buckets, and `_sum`/`_count` if present. */
export interface HistogramSeries {
  labels: Labels;
  /** seriesKey(labels): stable identity across scrapes. */
  key: string;
  buckets: Bucket[];
  sum?: number;
  count?: number;
}

const LE = new Set(['le']);

/**
 * Splits a histogram family's samples into series keyed by labels-without-`le`. Accepts a family
 * or its samples; recognises `_bucket` (needs a parseable `le`; others are skipped, as in
 * funcHistogramQuantile), `_sum` and `_count` by name suffix.
 */
export function histogramSeries(family: MetricFamily | readonly PromSample[]): HistogramSeries[] {
  const samples = Array.isArray(family) ? (family as readonly PromSample[]) : (family as MetricFamily).samples;
  const byKey = new Map<string, HistogramSeries>();
  const get = (s: PromSample): HistogramSeries => {
    const key = seriesKey(s.labels, LE);
    let h = byKey.get(key);
    if (!h) { h = { labels: withoutLabels(s.labels, ['le']), key, buckets: [] }; byKey.set(key, h); }
    return h;
  };
  for (const s of samples) {
    if (s.name.endsWith('_bucket')) {
      const raw = s.labels['le'];
      const le = raw === undefined ? undefined : parsePromFloat(raw);
      if (le === undefined || Number.isNaN(le)) continue;
      get(s).buckets.push({ le, count: s.value });
    } else if (s.name.endsWith('_sum')) {
      get(s).sum = s.value;
    } else if (s.name.endsWith('_count')) {
      get(s).count = s.value;
    }
  }
  for (const h of byKey.values()) h.buckets.sort((a, b) => a.le - b.le);
  return [...byKey.values()];
}

export interface BucketDeltaOptions {
  /**
   * A series present now but not in the previous scrape. 'drop' (default) matches PromQL, where
   * rate() needs two samples; 'include' counts all its observations as new.
   */
  newSeries?: 'drop' | 'include';
}

/**
 * Per-series bucket increases between two consecutive scrapes of one histogram family.
 *
 * Counter resets are detected per series, not per bucket: if any bucket, `_count` or `_sum`
 * went down, or the bucket layout changed, the process restarted and the whole current histogram
 * is the increase. (PromQL's rate() judges each `_bucket` series alone, which after a restart can
 * mix reset and non-reset buckets; Prometheus' native histograms judge the histogram as a whole,
 * `model/histogram/float_histogram.go` `DetectReset`, and so do we.)
 */
export function bucketDeltas(prev: MetricFamily | readonly PromSample[], cur: MetricFamily | readonly PromSample[], opts: BucketDeltaOptions = {}): HistogramSeries[] {
  const before = new Map(histogramSeries(prev).map((h) => [h.key, h]));
  const out: HistogramSeries[] = [];
  for (const now of histogramSeries(cur)) {
    const then = before.get(now.key);
    if (!then) {
      if (opts.newSeries === 'include') out.push(now);
      continue;
    }
    const reset = isReset(then, now);
    const buckets = now.buckets.map((b, i) => ({ le: b.le, count: reset ? b.count : b.count - then.buckets[i]!.count }));
    const d: HistogramSeries = { labels: now.labels, key: now.key, buckets };
    if (now.sum !== undefined) d.sum = reset || then.sum === undefined ? now.sum : now.sum - then.sum;
    if (now.count !== undefined) d.count = reset || then.count === undefined ? now.count : deltaCounter(then.count, now.count);
    out.push(d);
  }
  return out;
}

function isReset(then: HistogramSeries, now: HistogramSeries): boolean {
  if (then.buckets.length !== now.buckets.length) return true;
  for (let i = 0; i < now.buckets.length; i++) {
    const a = then.buckets[i]!, b = now.buckets[i]!;
    if (a.le !== b.le || b.count < a.count) return true;
  }
  if (then.count !== undefined && now.count !== undefined && now.count < then.count) return true;
  // _sum can legitimately fall only with negative observations, which latency histograms never have.
  if (then.sum !== undefined && now.sum !== undefined && now.sum < then.sum && now.buckets.every((b) => b.le >= 0)) return true;
  return false;
}

export interface GroupQuantile {
  /** The `by` labels (missing ones as ''). */
  labels: Labels;
  value: number;
  /** Observations in the group (its +Inf bucket), so callers can ignore thin samples. */
  observations: number;
  forcedMonotonic: boolean;
}

/**
 * `histogram_quantile(q, sum by (<by>, le) (…))` over already-differenced series (from
 * bucketDeltas; differencing and rate() give the same quantile since the per-second scale
 * cancels). Groups come out in first-seen order.
 */
export function quantileBy(q: number, series: readonly HistogramSeries[], by: readonly string[]): GroupQuantile[] {
  const groups = new Map<string, { labels: Labels; sums: Map<number, number> }>();
  for (const s of series) {
    const labels = pickLabels(s.labels, by);
    const key = JSON.stringify(by.map((n) => labels[n]));
    let g = groups.get(key);
    if (!g) { g = { labels, sums: new Map() }; groups.set(key, g); }
    for (const b of s.buckets) g.sums.set(b.le, (g.sums.get(b.le) ?? 0) + b.count);
  }
  const out: GroupQuantile[] = [];
  for (const g of groups.values()) {
    const buckets = [...g.sums].map(([le, count]) => ({ le, count }));
    const r = bucketQuantile(q, buckets);
    out.push({ labels: g.labels, value: r.value, observations: g.sums.get(Infinity) ?? 0, forcedMonotonic: r.forcedMonotonic });
  }
  return out;
}

/**
 * Convenience for the common case: quantile per group of one histogram family between two
 * scrapes, e.g. `quantileBetweenScrapes(0.99, prev.families.get(n), cur.families.get(n), ['verb'])`.
 * Returns [] when either family is missing.
 */
export function quantileBetweenScrapes(q: number, prev: MetricFamily | undefined, cur: MetricFamily | undefined, by: readonly string[], opts?: BucketDeltaOptions): GroupQuantile[] {
  if (!prev || !cur) return [];
  return quantileBy(q, bucketDeltas(prev, cur, opts), by);
}

/**
 * Sums differenced series over several consecutive scrape pairs (e.g. deltas 1→2, 2→3, …), key
 * by key, to get the increase over the whole window with resets handled pair by pair.
 */
export function sumDeltas(windows: ReadonlyArray<readonly HistogramSeries[]>): HistogramSeries[] {
  const acc = new Map<string, { labels: Labels; key: string; byLe: Map<number, number>; sum?: number; count?: number }>();
  for (const w of windows) {
    for (const s of w) {
      let a = acc.get(s.key);
      if (!a) { a = { labels: s.labels, key: s.key, byLe: new Map() }; acc.set(s.key, a); }
      for (const b of s.buckets) a.byLe.set(b.le, (a.byLe.get(b.le) ?? 0) + b.count);
      if (s.sum !== undefined) a.sum = (a.sum ?? 0) + s.sum;
      if (s.count !== undefined) a.count = (a.count ?? 0) + s.count;
    }
  }
  return [...acc.values()].map((a) => {
    const h: HistogramSeries = { labels: a.labels, key: a.key, buckets: [...a.byLe].map(([le, count]) => ({ le, count })).sort((x, y) => x.le - y.le) };
    if (a.sum !== undefined) h.sum = a.sum;
    if (a.count !== undefined) h.count = a.count;
    return h;
  });
}
