/**
 * The recorder's series read from Prometheus instead of scraped: for a cluster whose apiserver and
 * etcd Prometheus already scrapes, the flight recorder does not scrape their `/metrics` a second
 * time. Each round it asks Prometheus, in one `query_range`, for exactly the rows the recording
 * rules would have kept (lib/recording/rules.ts), at one step per Prometheus scrape interval, and
 * stores them as if it had scraped them. Detectors, runbooks, postmortems, auto-capture thresholds
 * and exports read the store and cannot tell the difference; the evidence is also kept if
 * Prometheus (often inside the failing cluster) dies afterwards.
 *
 * Each rule becomes its own plain value, the same as `evaluateRule` computes from a scrape:
 *
 *   counters           sum by (by) (m{selector})                    (rule `dropNegative`: m >= 0)
 *   histograms         sum by (by, le) (m_bucket{selector})         the cumulative buckets
 *   per-instance gauge max by (by) (sum by (job, instance, by) (m))  (the rule's `across`; min for has-leader)
 *   derived p99        histogram_quantile(q, sum by (by, le) (rate(m_bucket[2 × scrape interval])))
 *
 * i.e. the rule's sum over every label it does not keep, which for counters and buckets also sums
 * over `instance` where Prometheus scrapes several apiservers or etcd members (rates per interval
 * then count the increase of all of them, as PromQL's `sum(rate())` would — except across the
 * restart of one instance, which reads as a drop of the sum: one interval then counts from zero);
 * a gauge each instance has on its own (DB size, quota, revision) is the worst instance's. Every name the
 * catalogue knows for the metric is tried newest first (`or`), as the recorder's first present
 * name wins. Each rule's result carries a `kf_record` label naming it, so the rules are joined by
 * `or` into a single expression: one request per round, whatever the number of rules.
 *
 * A value at step t is Prometheus' latest sample at or before t (within its lookback), so a step is
 * only asked for once Prometheus has scraped past it (`lagMs`), and each step is written once.
 */
import { DERIVED_RULES } from '../recording/derived';
import { COMPONENT_OF_RECORD } from '../recording/evaluate';
import { RECORDING_RULES } from '../recording/rules';
import type { Component, RecordedRow } from '../recording/types';
import type { PromMatrix } from './panels';
import { promString, toPromQL, type PromPlanOptions } from './promql';

export const RECORD_LABEL = 'kf_record';

/** The components whose `/metrics` Prometheus is configured for (`labels.apiserver`, `labels.etcd`). */
export const MIRRORED_COMPONENTS: Component[] = ['kube-apiserver', 'etcd'];

interface MirrorRule { record: string; component: Component; expr: string }

/** Each recording rule (and derived rule) of `components` as PromQL for its plain per-scrape value. */
export function mirrorRules(opts: PromPlanOptions, components: Component[] = MIRRORED_COMPONENTS): MirrorRule[] {
  const window = 2 * opts.scrapeIntervalSeconds;
  const out: MirrorRule[] = [];
  for (const r of RECORDING_RULES) {
    if (!components.includes(r.component)) continue;
    const by = r.suffix === '_bucket' ? [...r.by, 'le'] : r.by;
    const expr = toPromQL({ kind: 'gauge', series: r.record, by, legend: '' }, window, opts);
    if (expr) out.push({ record: r.record, component: r.component, expr });
  }
  for (const d of DERIVED_RULES) {
    if (!components.includes(d.component)) continue;
    const expr = toPromQL({ kind: 'gauge', series: d.record, legend: '' }, window, opts);
    if (expr) out.push({ record: d.record, component: d.component, expr });
  }
  return out;
}

/** The one expression: every rule's value, labelled with its record name, joined by `or`. */
export function mirrorQuery(opts: PromPlanOptions, components: Component[] = MIRRORED_COMPONENTS): string {
  return mirrorRules(opts, components)
    .map((r) => `label_replace(${r.expr}, ${promString(RECORD_LABEL)}, ${promString(r.record)}, "", "")`)
    .join(' or ');
}

export interface MirroredRows {
  /** Rows by component, then by step time (ms), in time order. */
  byComponent: Map<Component, Map<number, RecordedRow[]>>;
  /** The newest step with a row, by component. */
  newest: Map<Component, number>;
  series: number;
  points: number;
  /** Series in the answer that name no rule (another tool's `kf_record`?): ignored, counted. */
  ignored: number;
}

function numberOf(s: string): number {
  return s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s); // JS reads "+Inf" as NaN
}

/** The answer as store rows: the rule's labels (without `kf_record` or `__name__`), one row per step. */
export function mirroredRows(m: PromMatrix): MirroredRows {
  const out: MirroredRows = { byComponent: new Map(), newest: new Map(), series: 0, points: 0, ignored: 0 };
  for (const s of m) {
    const { [RECORD_LABEL]: record, __name__: _n, ...labels } = s.metric;
    const component = record === undefined ? undefined : COMPONENT_OF_RECORD.get(record);
    if (!record || !component) { out.ignored++; continue; }
    out.series++;
    let byT = out.byComponent.get(component);
    if (!byT) { byT = new Map(); out.byComponent.set(component, byT); }
    for (const [ts, raw] of s.values) {
      const v = numberOf(raw);
      if (Number.isNaN(v)) continue; // a quantile with no observations in the window: no row, as the recorder
      const t = Math.round(ts * 1000);
      let rows = byT.get(t);
      if (!rows) { rows = []; byT.set(t, rows); }
      rows.push({ name: record, labels: { ...labels }, value: v });
      out.points++;
      if (t > (out.newest.get(component) ?? -Infinity)) out.newest.set(component, t);
    }
  }
  for (const [c, byT] of out.byComponent) out.byComponent.set(c, new Map([...byT].sort((a, b) => a[0] - b[0])));
  return out;
}

/**
 * The steps to ask for next: after `cursor` (the last step written; null: nothing yet), from no
 * earlier than `now − backfillMs`, up to the last step Prometheus has scraped past (`now − lagMs`),
 * at most `maxSteps` of them. Null when no whole step is due yet. Steps are aligned to the step,
 * as Grafana aligns them, so Prometheus' results cache serves repeats. `present`: the window ends
 * at the last step due (a backfill still catching up through the past does not).
 */
export function nextWindow(cursor: number | null, now: number, o: { stepMs: number; lagMs: number; backfillMs: number; maxSteps: number }): { start: number; end: number; present: boolean } | null {
  const { stepMs } = o;
  const last = Math.floor((now - o.lagMs) / stepMs) * stepMs;
  const earliest = Math.ceil((now - o.backfillMs) / stepMs) * stepMs;
  const start = Math.max(earliest, cursor === null ? earliest : Math.floor(cursor / stepMs) * stepMs + stepMs);
  if (start > last) return null;
  const end = Math.min(last, start + (o.maxSteps - 1) * stepMs);
  return { start, end, present: end === last };
}
