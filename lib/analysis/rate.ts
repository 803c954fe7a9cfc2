// Counter arithmetic with PromQL's semantics, so a figure on our dashboard matches what the same
// expression returns in Prometheus over the same samples.
//
// Sources (prometheus/prometheus, 3.x):
//  - `promql/functions.go` `extrapolatedRate` for rate(), increase() and delta();
//  - `promql/functions.go` `instantValue` for irate() and idelta();
//  - range selection: a range `[r]` evaluated at `t` holds the samples with `t - r < ts <= t`
//    (left-open since Prometheus 3.0; 2.x was closed on both ends).

export interface Point { t: number; v: number }

/** A PromQL range `[rangeMs]` evaluated at `endMs`: samples with endMs - rangeMs < t <= endMs. */
export interface RangeWindow { endMs: number; rangeMs: number }

/** The points of a (time-ordered) series that fall inside the window. */
export function selectRange(points: readonly Point[], w: RangeWindow): Point[] {
  const start = w.endMs - w.rangeMs;
  return points.filter((p) => p.t > start && p.t <= w.endMs);
}

/**
 * `extrapolatedRate` from promql/functions.go, on the points already inside the window.
 * Returns undefined where PromQL drops the element (fewer than two points).
 *
 * 1. result = last - first; for counters, every decrease between neighbours is a reset, so the
 *    value before it is added back.
 * 2. Extrapolate to the window edges when the first/last point is within 1.1× the average
 *    spacing of the edge; otherwise extend by half the average spacing only (the series probably
 *    starts or ends inside the window).
 * 3. Counters: never extrapolate below zero: if the line through the points reaches zero
 *    before the (possibly shortened) start, start there.
 * 4. rate divides by the range in seconds.
 */
export function extrapolatedRate(points: readonly Point[], w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const rangeStart = w.endMs - w.rangeMs;
  const rangeEnd = w.endMs;
  let result = last.v - first.v;
  if (isCounter) {
    for (let i = 1; i < points.length; i++) {
      const prev = points[i - 1]!.v;
      if (points[i]!.v < prev) result += prev;
    }
  }
  let durationToStart = (first.t - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - last.t) / 1000;
  const sampledInterval = (last.t - first.t) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (points.length - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  if (isCounter && result > 0 && first.v >= 0) {
    const durationToZero = sampledInterval * (first.v / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

/** PromQL `increase(x[range])` at `endMs`. `points` is the whole series, time-ordered. */
export function increase(points: readonly Point[], w: RangeWindow): number | undefined {
  return extrapolatedRate(selectRange(points, w), w, true, false);
}

/** PromQL `rate(x[range])` at `endMs`, per second. */
export function rate(points: readonly Point[], w: RangeWindow): number | undefined {
  return extrapolatedRate(selectRange(points, w), w, true, true);
}

/** PromQL `delta(x[range])` for gauges (no reset handling, no zero clamp). */
export function delta(points: readonly Point[], w: RangeWindow): number | undefined {
  return extrapolatedRate(selectRange(points, w), w, false, false);
}

/**
 * PromQL `irate(x[range])`: per-second rate between the last two points in the window; a
 * decrease counts as a reset, so the increase is the last value itself (`instantValue`).
 */
export function irate(points: readonly Point[], w: RangeWindow): number | undefined {
  const sel = selectRange(points, w);
  if (sel.length < 2) return undefined;
  const prev = sel[sel.length - 2]!;
  const last = sel[sel.length - 1]!;
  const interval = last.t - prev.t;
  if (interval === 0) return undefined; // instantValue: "Avoid dividing by 0."
  return deltaCounter(prev.v, last.v) / (interval / 1000);
}

/**
 * Increase of a counter between two consecutive scrapes. A decrease means the process restarted
 * and the counter began again from zero, so everything it counted since is `cur` (the same reset
 * rule as extrapolatedRate, without extrapolation).
 */
export function deltaCounter(prev: number, cur: number): number {
  return cur < prev ? cur : cur - prev;
}
