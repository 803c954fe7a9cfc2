/**
 * Pure transforms from the API's panels to what a chart draws: points with gaps where recording
 * stopped, colours, the value extent, which thresholds fit the scale, which markers fall in range.
 */
import type { TimelineMarker, TimelinePanel, TimelineSeries, TimelineStat, TimelineThreshold } from '@/lib/query/timeline';

export interface ChartPoint { t: number; v: number | null }

export interface PreparedSeries {
  key: string;
  name: string;
  color: string;
  /** A limit drawn dashed (the etcd quota), not data. */
  reference: boolean;
  /** Drawn thicker, the others dimmed: the fastest-growing resource. */
  highlight: boolean;
  points: ChartPoint[];
  last: number | null;
  /** Typical spacing of the points, ms (the scrape interval, or the downsampled bucket). */
  step: number;
}

/**
 * Line colours: none of them green, amber or red (those mean status) and the first is the
 * product's accent. CSS variables, set per theme in timeline.module.css.
 */
export const SERIES_COLORS = Array.from({ length: 10 }, (_, i) => `var(--series-${i})`);
export const REFERENCE_COLOR = 'var(--crit)';

/** Median spacing of a series' points, ms. */
export function typicalStep(points: ReadonlyArray<readonly [number, number | null]>): number {
  const gaps: number[] = [];
  for (let i = 1; i < points.length && gaps.length < 400; i++) gaps.push(points[i]![0] - points[i - 1]![0]);
  if (!gaps.length) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/**
 * API points → chart points, with a null between two points further apart than `maxGapMs`, so a
 * recording gap (the recorder down, the apiserver unreachable) shows as a gap, not a straight line.
 */
export function toChartPoints(points: ReadonlyArray<readonly [number, number | null]>, maxGapMs = 4 * typicalStep(points)): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const [t, v] = points[i]!;
    if (i > 0 && maxGapMs > 0) {
      const prev = points[i - 1]![0];
      if (t - prev > maxGapMs) out.push({ t: Math.round((t + prev) / 2), v: null });
    }
    out.push({ t, v: v !== null && Number.isFinite(v) ? v : null });
  }
  return out;
}

export function lastValue(points: ReadonlyArray<ChartPoint>): number | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.v !== null) return points[i]!.v;
  return null;
}

/** The point nearest `t` with a value, within `tolerance` ms (binary search: points are time-ordered). */
export function nearestPoint(points: ReadonlyArray<ChartPoint>, t: number, tolerance: number): ChartPoint | undefined {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (points[mid]!.t < t) lo = mid + 1; else hi = mid; }
  let best: ChartPoint | undefined;
  // Look a few points either side: a null (gap) may sit right at the nearest index.
  for (let i = Math.max(0, lo - 3); i <= Math.min(points.length - 1, lo + 3); i++) {
    const p = points[i]!;
    if (p.v === null) continue;
    if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
  }
  return best && Math.abs(best.t - t) <= tolerance ? best : undefined;
}

/**
 * For synchronised crosshairs: the index of the tick nearest `t` in another chart's ticks (each
 * chart has its own scrape times), or -1 when none is within `tolerance`, so the crosshair hides
 * rather than jumps to a far-away point.
 */
export function nearestTickIndex(ticks: ReadonlyArray<{ value?: unknown }>, t: number, tolerance: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < ticks.length; i++) {
    const d = Math.abs(Number(ticks[i]!.value) - t);
    if (d < bestD) { bestD = d; best = i; }
  }
  return bestD <= tolerance ? best : -1;
}

/** The resource named by the objects panel's "fastest growing" stat, when it names one of the series. */
export function fastestResource(stats: ReadonlyArray<TimelineStat>, series: ReadonlyArray<TimelineSeries>): string | undefined {
  const stat = stats.find((s) => s.label === 'fastest growing');
  if (!stat) return undefined;
  return series.find((s) => stat.value.startsWith(`${s.name} +`))?.name;
}

export function prepareSeries(panel: TimelinePanel): PreparedSeries[] {
  const fastest = panel.special === 'objects' || panel.special === 'objects-growth' ? fastestResource(panel.result.stats, panel.result.series) : undefined;
  let colour = 0;
  return panel.result.series.map((s, i) => {
    const reference = s.style === 'reference';
    const step = typicalStep(s.points);
    const points = toChartPoints(s.points, 4 * step);
    return {
      key: `${i}:${s.name}`,
      name: s.name,
      color: reference ? REFERENCE_COLOR : SERIES_COLORS[colour++ % SERIES_COLORS.length]!,
      reference,
      highlight: fastest === s.name,
      points,
      last: lastValue(points),
      step,
    };
  });
}

export function valueExtent(series: ReadonlyArray<PreparedSeries>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) for (const p of s.points) if (p.v !== null) { if (p.v < min) min = p.v; if (p.v > max) max = p.v; }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/**
 * Thresholds drawn on the chart: those within 3× the data's maximum. A 100 ms line over a 2 ms
 * p99 would flatten the data to the floor; such thresholds are listed under the chart instead.
 */
export function splitThresholds(thresholds: ReadonlyArray<TimelineThreshold> | undefined, dataMax: number): { shown: TimelineThreshold[]; offScale: TimelineThreshold[] } {
  const shown: TimelineThreshold[] = [];
  const offScale: TimelineThreshold[] = [];
  for (const th of thresholds ?? []) (th.value <= Math.max(dataMax, 0) * 3 ? shown : offScale).push(th);
  return { shown, offScale };
}

export interface ChartMarker extends TimelineMarker { x1: number; x2: number }

/**
 * Markers within [from, to], clipped to it. A finding's area is at least `minWidthFraction` of
 * the range wide, so a one-scrape finding on a 7-day range is still visible.
 */
export function markersInRange(markers: ReadonlyArray<TimelineMarker>, from: number, to: number, minWidthFraction = 0.004): ChartMarker[] {
  const minW = (to - from) * minWidthFraction;
  const out: ChartMarker[] = [];
  for (const m of markers) {
    const end = m.until ?? m.t;
    if (end < from || m.t > to) continue;
    let x1 = Math.max(from, m.t);
    let x2 = Math.min(to, end);
    if (m.kind === 'finding' && x2 - x1 < minW) {
      x2 = Math.min(to, x1 + minW);
      x1 = Math.max(from, x2 - minW);
    }
    out.push({ ...m, x1, x2 });
  }
  return out;
}

/**
 * Why a panel is empty. The server says an empty etcd panel means etcd is not configured; when
 * other etcd panels have data that is wrong (a single-member etcd has no peers), so say what is true.
 */
export function emptyMessage(panel: TimelinePanel, all: ReadonlyArray<TimelinePanel>): string | undefined {
  if (panel.result.series.length) return undefined;
  const sameSourceRecorded = panel.group === 'etcd' && all.some((p) => p.group === 'etcd' && p.result.series.length > 0);
  if (sameSourceRecorded) return 'etcd metrics are being recorded, but none for this panel in this range.';
  return panel.result.empty ?? 'No data recorded in this range.';
}
