// Downsampling for charts: a day of 15 s scrapes is 5,760 points per series, far more than a
// chart's pixel width. Both methods keep the first and last point and return points in time order.
//  - minMaxDownsample: per time bucket, the minimum and the maximum, so a one-scrape spike (a
//    latency burst, a goroutine surge) is never averaged away. Same idea as Grafana's and
//    Prometheus' "min/max per pixel" rendering.
//  - lttb: Largest-Triangle-Three-Buckets (Sveinn Steinarsson, "Downsampling Time Series for
//    Visual Representation", 2013, §4.2): one point per bucket chosen to keep the line's shape.
import type { Point } from './rate';

/**
 * Splits the time span [first.t, last.t] into `buckets` equal intervals (by time, so irregular
 * scrape gaps do not distort the x axis) and keeps, for each, its min and max points in time
 * order (one if they coincide). Output length ≤ 2·buckets + 2. NaN values are skipped when
 * choosing min and max; a bucket that holds only NaN keeps one NaN point, so the gap still shows.
 * Input must be time-ordered; returns a copy when it is already small enough.
 */
export function minMaxDownsample(points: readonly Point[], buckets: number): Point[] {
  const n = points.length;
  const target = Math.max(1, Math.floor(buckets));
  if (n <= 2 * target + 2) return points.slice();
  const first = points[0]!;
  const last = points[n - 1]!;
  const span = last.t - first.t;
  const out: Point[] = [first];
  let i = 1;
  for (let b = 0; b < target && i < n - 1; b++) {
    // The bucket's right edge; the last bucket takes everything up to (not including) `last`.
    const edge = b === target - 1 ? Infinity : first.t + (span * (b + 1)) / target;
    let min: Point | undefined, max: Point | undefined, nan: Point | undefined;
    let minI = -1, maxI = -1;
    for (; i < n - 1 && points[i]!.t < edge; i++) {
      const p = points[i]!;
      if (Number.isNaN(p.v)) { nan ??= p; continue; }
      if (min === undefined || p.v < min.v) { min = p; minI = i; }
      if (max === undefined || p.v > max.v) { max = p; maxI = i; }
    }
    if (min === undefined || max === undefined) { if (nan) out.push(nan); continue; }
    if (minI === maxI) out.push(min);
    else if (minI < maxI) out.push(min, max);
    else out.push(max, min);
  }
  out.push(last);
  return out;
}

/**
 * Largest-Triangle-Three-Buckets to `threshold` points (≥ 3). Bucketing by index, as in the
 * original algorithm. Non-finite values make triangle areas NaN; such points are only chosen
 * when the whole bucket is non-finite. Returns a copy when no reduction is needed.
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  const m = Math.floor(threshold);
  if (m >= n || m < 3) return points.slice();
  const out: Point[] = [points[0]!];
  const every = (n - 2) / (m - 2);
  let a = 0;
  for (let i = 0; i < m - 2; i++) {
    // Average of the next bucket: the third vertex of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgT = 0, avgV = 0, cnt = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      const p = points[j]!;
      if (!Number.isFinite(p.v)) continue;
      avgT += p.t; avgV += p.v; cnt++;
    }
    if (cnt > 0) { avgT /= cnt; avgV /= cnt; } else { const p = points[Math.min(nextStart, n - 1)]!; avgT = p.t; avgV = 0; }
    // Pick the point of this bucket forming the largest triangle with the previous pick and the average.
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const pa = points[a]!;
    let best = start, bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = points[j]!;
      const area = Math.abs((pa.t - avgT) * (p.v - pa.v) - (pa.t - p.t) * (avgV - pa.v)) / 2;
      if (area > bestArea) { bestArea = area; best = j; }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}
