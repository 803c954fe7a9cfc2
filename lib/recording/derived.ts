/**
 * Derived recording rules: values that need the previous scrape, recorded per interval.
 *
 * p99 latency by verb *and* resource: keeping the apiserver's request-duration buckets by
 * (verb, resource, le) would cost ~3,000 rows per scrape (75 pairs × 40 buckets). Instead the
 * recorder keeps the previous scrape's buckets in memory (summed by verb, resource and le) and
 * records, each interval, `histogram_quantile(0.99, sum by (verb, resource, le) (increase(…)))`
 * for the pairs that served requests in that interval: a few dozen rows. Over a wider window the
 * timeline shows the worst interval (min/max downsampling), which is what an incident needs.
 */
import { bucketDeltas, quantileBy } from '../analysis/histogram';
import type { LogicalMetric } from '../catalogue/catalogue';
import type { ParseResult, PromSample } from '../parse/prometheus-text';
import { evaluateRule } from './apply-rule';
import { LONG_RUNNING } from './rules';
import type { Component, RecordedRow } from './types';

export interface DerivedRule {
  record: string;
  component: Component;
  logical: LogicalMetric;
  q: number;
  by: string[];
  exclude?: Record<string, string[]>;
  /** Intervals longer than this (a recording gap) give no value. */
  maxGapMs: number;
}

export const DERIVED_RULES: DerivedRule[] = [
  {
    record: 'kf_request_p99_seconds', component: 'kube-apiserver', logical: 'requestDuration', q: 0.99,
    by: ['verb', 'resource'], exclude: LONG_RUNNING, maxGapMs: 10 * 60_000,
  },
];

/** Previous per-rule aggregates, keyed by rule. Memory: one small aggregated histogram per rule. */
export class DerivedState {
  private readonly prev = new Map<string, { t: number; samples: PromSample[] }>();

  rows(component: Component, t: number, parsed: ParseResult): RecordedRow[] {
    const out: RecordedRow[] = [];
    for (const rule of DERIVED_RULES) {
      if (rule.component !== component) continue;
      const agg = evaluateRule(parsed, { record: `${rule.record}_bucket`, logical: rule.logical, suffix: '_bucket', by: rule.by, exclude: rule.exclude });
      if (!agg.length) continue;
      const samples: PromSample[] = agg.map((r) => ({ name: r.name, labels: r.labels, value: r.value }));
      const before = this.prev.get(rule.record);
      this.prev.set(rule.record, { t, samples });
      if (!before || t <= before.t || t - before.t > rule.maxGapMs) continue;
      // A pair first seen in this interval served all its observations in it (the apiserver creates
      // a label combination on its first request), so it counts in full.
      for (const g of quantileBy(rule.q, bucketDeltas(before.samples, samples, { newSeries: 'include' }), rule.by)) {
        if (g.observations > 0 && Number.isFinite(g.value)) out.push({ name: rule.record, labels: g.labels, value: g.value });
      }
    }
    return out;
  }
}
