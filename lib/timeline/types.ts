import type { Point } from '../analysis/rate';
import type { Labels } from '../analysis/series';

/** A recorded series as the store returns it. */
export interface SeriesData { labels: Labels; points: Point[] }

/** Loads recorded series by name (the server passes the store; tests pass fixtures). */
export type SeriesLoader = (name: string) => SeriesData[];

interface QueryBase {
  /** Legend template: `{label}` is replaced by the label's value, e.g. "p99 {verb}". */
  legend: string;
  /** Exact label matches. */
  match?: Labels;
  /** Label values to leave out, e.g. { verb: ['WATCH'] }. */
  exclude?: Record<string, string[]>;
  /** Values multiplied by this (e.g. 100 for percent). */
  scale?: number;
  /** Draw as a dashed reference line (quota) rather than a data line. */
  style?: 'line' | 'reference';
  /** Keep only the K series with the highest peak in the range (many-label breakdowns). */
  topK?: number;
}

/** A gauge, summed by `by` at each scrape (PromQL `sum by (…) (g)`). */
export interface GaugeQuery extends QueryBase { kind: 'gauge'; series: string | string[]; by?: string[] }
/** Per-second rate of a counter between consecutive scrapes, summed by `by`. */
export interface RateQuery extends QueryBase { kind: 'rate'; series: string; by?: string[] }
/** `histogram_quantile(q, sum by (by, le) (rate(bucket)))` between consecutive scrapes. */
export interface QuantileQuery extends QueryBase { kind: 'quantile'; series: string; q: number; by?: string[] }
/** Increase of a counter per interval (leader changes, failed proposals). */
export interface IncreaseQuery extends QueryBase { kind: 'increase'; series: string; by?: string[] }

export type Query = GaugeQuery | RateQuery | QuantileQuery | IncreaseQuery;

export type Unit = 'seconds' | 'bytes' | 'ops' | 'count' | 'percent' | 'bool' | 'per-minute';

export interface Threshold { value: number; label: string; severity: 'info' | 'warning' | 'critical' }

export interface PanelSpec {
  id: string;
  group: 'etcd' | 'objects' | 'apiserver';
  title: string;
  /** One line: what the panel shows and why it matters. */
  explanation: string;
  unit: Unit;
  queries: Query[];
  thresholds?: Threshold[];
  /** Panels computed by a named function rather than queries (objects, DB usage). */
  special?: 'objects' | 'objects-growth' | 'db-usage';
  stacked?: boolean;
}

export interface TimelineSeries {
  name: string;
  labels: Labels;
  style: 'line' | 'reference';
  /** [t, v] pairs, time-ordered; v may be null for a gap. */
  points: Array<[number, number | null]>;
}

export interface PanelStat { label: string; value: string; severity?: 'ok' | 'info' | 'warning' | 'critical' }

export interface PanelResult {
  id: string;
  series: TimelineSeries[];
  stats: PanelStat[];
  /** Why the panel is empty, when it is (e.g. "etcd metrics not configured"). */
  empty?: string;
}

export interface Marker {
  t: number;
  kind: 'restart' | 'finding' | 'capture' | 'annotation';
  label: string;
  severity?: 'info' | 'warning' | 'critical';
  until?: number;
  /** Only on these panels (captures: the runtime panels); every panel when absent. */
  panels?: string[];
  /** Where the marker leads (a capture: its analysis on the runtime page). */
  href?: string;
}

export interface TimelineRange { from: number; to: number; /** Target points per series (≈ 2 per pixel). */ maxPoints: number }
