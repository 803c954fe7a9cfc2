/**
 * Timeline panels from Prometheus answers: the plan (which PromQL each panel needs), and the
 * results turned into the same `PanelResult`s the recorder's series give, so the page cannot tell
 * where its history came from (except for the line that says so).
 */
import { z } from 'zod';
import type { Point } from '../analysis/rate';
import { legendOf, topByPeak } from '../timeline/evaluate';
import { dbUsagePanel } from '../timeline/special';
import type { PanelResult, PanelSpec, Query, SeriesData, SeriesLoader, TimelineRange, TimelineSeries } from '../timeline/types';
import { RECORDING_RULES } from '../recording/rules';
import { worstStats } from '../timeline/timeline';
import { stepAndWindow, toPromQL, type PromPlanOptions } from './promql';

/** `/api/v1/query_range` answer (prometheus/docs querying/api.md, "Range vectors"). */
export const matrixResponseSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({
      metric: z.record(z.string(), z.string()),
      values: z.array(z.tuple([z.number(), z.string()])),
    })),
  }),
  warnings: z.array(z.string()).optional(),
});
export type PromMatrix = z.infer<typeof matrixResponseSchema>['data']['result'];

export interface PromQueryPlan { key: string; expr: string }
export interface PanelPlan {
  spec: PanelSpec;
  /** One PromQL per panel query (null: the query has no /metrics source). */
  queries: Array<{ query: Query; key: string | null }>;
  /** db-usage: raw gauges by recorded name, fed to the product's own panel function. */
  gauges: Array<{ name: string; key: string }>;
  /** Panels Prometheus cannot answer (the census): read from the recorder. */
  fromStore: boolean;
}

export interface TimelinePlan { step: number; window: number; panels: PanelPlan[]; queries: PromQueryPlan[] }

/** The recorded name as a plain gauge: the rule's sum by its labels (what the store holds for it). */
function gaugeExpr(name: string, opts: PromPlanOptions, window: number): string | null {
  const rule = RECORDING_RULES.find((r) => r.record === name);
  return rule ? toPromQL({ kind: 'gauge', series: name, by: rule.by, legend: '' }, window, opts) : null;
}

const DB_USAGE_NAMES = ['etcd_mvcc_db_total_size_in_bytes', 'kf_apiserver_etcd_db_bytes', 'etcd_mvcc_db_total_size_in_use_in_bytes', 'etcd_server_quota_backend_bytes'];

export function planTimeline(specs: PanelSpec[], range: TimelineRange, opts: PromPlanOptions): TimelinePlan {
  const { step, window } = stepAndWindow(range.from, range.to, range.maxPoints, opts.scrapeIntervalSeconds);
  const byExpr = new Map<string, string>();
  const keyOf = (expr: string | null): string | null => {
    if (expr === null) return null;
    let k = byExpr.get(expr);
    if (!k) { k = `q${byExpr.size}`; byExpr.set(expr, k); }
    return k;
  };
  const panels: PanelPlan[] = specs.map((spec) => {
    if (spec.special === 'objects' || spec.special === 'objects-growth') return { spec, queries: [], gauges: [], fromStore: true };
    if (spec.special === 'db-usage') {
      const gauges = DB_USAGE_NAMES.flatMap((name) => { const k = keyOf(gaugeExpr(name, opts, window)); return k ? [{ name, key: k }] : []; });
      return { spec, queries: [], gauges, fromStore: false };
    }
    return { spec, queries: spec.queries.map((query) => ({ query, key: keyOf(toPromQL(query, window, opts)) })), gauges: [], fromStore: false };
  });
  return { step, window, panels, queries: [...byExpr].map(([expr, key]) => ({ key, expr })) };
}

function withoutName(m: Record<string, string>): Record<string, string> {
  const { __name__: _n, ...rest } = m;
  return rest;
}

/** Prometheus sample values are strings: "NaN" (no observations in the window) leaves a gap, ±Inf is null. */
function toPoints(values: Array<[number, string]>): Point[] {
  const out: Point[] = [];
  for (const [t, s] of values) {
    const v = s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s); // JS reads "+Inf" as NaN
    if (Number.isNaN(v)) continue;
    out.push({ t: Math.round(t * 1000), v });
  }
  return out;
}

export function matrixToSeries(q: Query, m: PromMatrix, range: TimelineRange): TimelineSeries[] {
  const scale = q.scale ?? 1;
  const out = m.map((s) => {
    const labels = withoutName(s.metric);
    const points = toPoints(s.values).filter((p) => p.t >= range.from && p.t <= range.to)
      .map((p): [number, number | null] => [p.t, Number.isFinite(p.v) ? p.v * scale : null]);
    return { name: legendOf(q.legend, labels), labels, style: q.style ?? 'line', points } satisfies TimelineSeries;
  }).filter((s) => s.points.length).sort((a, b) => a.name.localeCompare(b.name));
  return q.topK !== undefined && out.length > q.topK ? topByPeak(out, q.topK) : out;
}

export function matrixToSeriesData(m: PromMatrix): SeriesData[] {
  return m.map((s) => ({ labels: withoutName(s.metric), points: toPoints(s.values) }));
}

/**
 * Panels from the answers (`results` by plan key), by panel id; panels Prometheus cannot answer
 * (the census) are left out for the caller to evaluate from the recorder. `failed` keys (an error
 * answer) make their panel say so rather than draw nothing silently.
 */
export function panelsFromProm(plan: TimelinePlan, results: Map<string, PromMatrix>, failed: Map<string, string>, range: TimelineRange): Map<string, PanelResult> {
  const out = new Map<string, PanelResult>();
  for (const p of plan.panels) {
    if (p.fromStore) continue;
    const errors = [...p.queries.map((x) => x.key), ...p.gauges.map((g) => g.key)].flatMap((k) => (k && failed.has(k) ? [failed.get(k)!] : []));
    let result: PanelResult;
    if (p.spec.special === 'db-usage') {
      const byName = new Map(p.gauges.map((g) => [g.name, matrixToSeriesData(results.get(g.key) ?? [])]));
      const load: SeriesLoader = (name) => byName.get(name) ?? [];
      result = dbUsagePanel(p.spec, load, range);
    } else {
      const series = p.queries.flatMap(({ query, key }) => (key ? matrixToSeries(query, results.get(key) ?? [], range) : []));
      result = { id: p.spec.id, series, stats: worstStats(p.spec, series) };
      if (!series.length) result.empty = p.spec.group === 'etcd' ? 'Prometheus has no etcd metrics for this range (check the etcd label selector in the cluster\'s prometheus settings).' : 'Prometheus has no data for this range.';
    }
    if (errors.length && !result.series.length) result.empty = `Prometheus did not answer: ${errors[0]}`;
    out.set(p.spec.id, result);
  }
  return out;
}
