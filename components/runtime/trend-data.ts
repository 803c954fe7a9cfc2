// The runtime page's small goroutines/RSS charts: one SVG path per series and capture ticks.
export interface TrendSeries { points: ReadonlyArray<readonly [number, number | null]> }

export interface Sparkline { path: string; min: number; max: number; last: number | null }

/** An SVG path over [from, to] × [0, max]; gaps (null) break the line. */
export function sparkline(points: ReadonlyArray<readonly [number, number | null]>, from: number, to: number, w: number, h: number): Sparkline {
  let max = 0;
  let min = Infinity;
  let last: number | null = null;
  for (const [, v] of points) if (v !== null) { if (v > max) max = v; if (v < min) min = v; last = v; }
  const span = Math.max(1, to - from);
  const top = max > 0 ? max * 1.1 : 1;
  let path = '';
  let pen = false;
  for (const [t, v] of points) {
    if (v === null || t < from || t > to) { pen = false; continue; }
    const x = ((t - from) / span) * w;
    const y = h - (v / top) * h;
    path += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return { path, min: Number.isFinite(min) ? min : 0, max, last };
}

/** x (0..w) of each capture time inside the range. */
export function captureTicks(times: ReadonlyArray<{ id: number; t: number; kind: string }>, from: number, to: number, w: number) {
  const span = Math.max(1, to - from);
  return times.filter((c) => c.t >= from && c.t <= to).map((c) => ({ ...c, x: ((c.t - from) / span) * w }));
}

/**
 * The x-domain: the requested range, starting at the first sample when the data begins later (a
 * bundle of a few minutes, a recorder started recently), so the lines are not squeezed to one edge.
 */
export function dataDomain(series: ReadonlyArray<TrendSeries>, from: number, to: number): { from: number; to: number } {
  let first = Infinity;
  for (const s of series) for (const [t, v] of s.points) if (v !== null) { if (t < first) first = t; break; }
  const start = Number.isFinite(first) && first > from && first < to ? first : from;
  return { from: start - (to - start) * 0.02, to };
}
