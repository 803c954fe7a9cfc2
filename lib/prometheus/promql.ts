/**
 * Timeline queries as PromQL, for clusters whose history lives in a Prometheus-compatible engine
 * (Prometheus, Thanos, Mimir, VictoriaMetrics through `/api/v1/query_range`).
 *
 * A panel query names a *recorded* series (lib/recording/rules.ts): a logical metric of the
 * catalogue, summed by a few logical labels. Here the same rule becomes a PromQL selector over the
 * exposed names the catalogue lists (newest first, joined with `or`, so one query spans an upgrade
 * that renamed a metric), renamed labels mapped back to logical names with `label_replace`, and the
 * rule's own exclusions and negative-value filter kept. The query kinds map to the product's math:
 *
 *   gauge     sum by (by) (m), or for a gauge each instance has on its own (the rule's `across`):
 *             max by (by) (sum by (job, instance, by) (m))   (min for etcd_server_has_leader)
 *   rate      sum by (by) (rate(m[w]))
 *   increase  sum by (by) (increase(m[w]))
 *   quantile  histogram_quantile(q, sum by (by, le) (rate(m_bucket[w])))
 *
 * The product computes rates between consecutive scrapes and min/max-downsamples; PromQL computes
 * them over the window `w` ending at each step. With `w` = max(step, 2 × scrape interval) the two
 * agree where the step is one scrape interval (each window holds two scrapes: one interval), and
 * over longer steps Prometheus averages over the step where the recorder keeps each interval's
 * extreme. Sources: PromQL `rate`/`increase` extrapolation and `histogram_quantile`
 * (prometheus/docs querying/functions.md); Grafana's `$__rate_interval` uses the same floor.
 */
import { resolveAnyVersion, type Candidate } from '../catalogue/catalogue';
import { DERIVED_RULES } from '../recording/derived';
import { RECORDING_RULES } from '../recording/rules';
import type { Component } from '../recording/types';
import type { Query } from '../timeline/types';

/** Per-component label matchers, kube-prometheus defaults (ServiceMonitors `apiserver`, `etcd`… as `job`). */
export interface PromLabels { apiserver: string; etcd: string }
export const DEFAULT_PROM_LABELS: PromLabels = { apiserver: '{job="apiserver"}', etcd: '{job="etcd"}' };
/** kube-prometheus scrapes the apiserver and etcd every 30 s. */
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 30;

export interface PromPlanOptions {
  labels: PromLabels;
  scrapeIntervalSeconds: number;
}

/** A `{…}` selector's matchers, e.g. `job="etcd",cluster=~"eu-.*"` (validated, never parsed loosely). */
const MATCHER = /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*$/;
export function matchersOf(selector: string): string[] {
  const s = selector.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw new Error(`label selector must look like {job="etcd"}: ${selector}`);
  const inner = s.slice(1, -1).trim();
  if (!inner) return [];
  // Split on commas outside quotes.
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && quoted) { cur += c + (inner[i + 1] ?? ''); i++; continue; }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) parts.push(cur);
  for (const p of parts) if (!MATCHER.test(p)) throw new Error(`not a label matcher: ${p.trim()} (in ${selector})`);
  return parts.map((p) => p.trim());
}

/** A PromQL string literal. */
export function promString(s: string): string {
  return JSON.stringify(s);
}

/** RE2 regex escaping for `=~`/`!~` alternatives (PromQL regexes are anchored). */
function reEscape(s: string): string {
  return s.replace(/[\\.^$|?*+()[\]{}]/g, '\\$&');
}

interface RuleShape {
  component: Component;
  candidates: Candidate[];
  suffix: '' | '_bucket' | '_sum' | '_count';
  exclude?: Record<string, string[]>;
  dropNegative?: boolean;
  across?: 'sum' | 'max' | 'min';
  /** Derived rules: a quantile by labels, whatever the query kind says. */
  derived?: { q: number; by: string[] };
}

/** The rule behind a recorded series name, or null when Prometheus cannot answer it (census). */
export function ruleShape(record: string): RuleShape | null {
  const r = RECORDING_RULES.find((x) => x.record === record);
  if (r) return { component: r.component, candidates: resolveAnyVersion(r.logical), suffix: r.suffix ?? '', exclude: r.exclude, dropNegative: r.dropNegative, across: r.across };
  const d = DERIVED_RULES.find((x) => x.record === record);
  if (d) return { component: d.component, candidates: resolveAnyVersion(d.logical), suffix: '_bucket', exclude: d.exclude, derived: { q: d.q, by: d.by } };
  return null;
}

/** Whether Prometheus can answer every series a query names. */
export function promCanAnswer(q: Query): boolean {
  return (Array.isArray(q.series) ? q.series : [q.series]).some((s) => ruleShape(s) !== null);
}

export function stepAndWindow(fromMs: number, toMs: number, maxPoints: number, scrapeIntervalSeconds: number): { step: number; window: number } {
  const span = Math.max(1, (toMs - fromMs) / 1000);
  const step = Math.max(1, Math.ceil(span / Math.max(1, maxPoints)), scrapeIntervalSeconds);
  return { step, window: Math.max(step, 2 * scrapeIntervalSeconds) };
}

/** One candidate's expression, labels renamed to their logical names. */
function candidateExpr(shape: RuleShape, c: Candidate, q: Query, opts: PromPlanOptions, window: number): string {
  const exposed = (logical: string) => c.labels[logical] ?? logical;
  const matchers = [...matchersOf(shape.component === 'etcd' ? opts.labels.etcd : opts.labels.apiserver)];
  for (const [k, v] of Object.entries(q.match ?? {})) matchers.push(`${exposed(k)}=${promString(v)}`);
  const excludes = { ...(shape.exclude ?? {}) };
  for (const [k, vals] of Object.entries(q.exclude ?? {})) excludes[k] = [...new Set([...(excludes[k] ?? []), ...vals])];
  for (const [k, vals] of Object.entries(excludes)) if (vals.length) matchers.push(`${exposed(k)}!~${promString(vals.map(reEscape).join('|'))}`);
  const byLogical = shape.derived ? shape.derived.by : (q.by ?? []);
  // A kept label that versions name differently (request_kind / requestKind on one metric name):
  // each candidate wants its own name present, or the other version's series would also match it,
  // as one more series without the label.
  for (const l of byLogical) if (new Set(shape.candidates.map((x) => x.labels[l] ?? l)).size > 1) matchers.push(`${exposed(l)}!=""`);
  const name = c.metric + shape.suffix;
  let sel = `${name}{${matchers.join(',')}}`;
  const byExposed = byLogical.map(exposed);
  let expr: string;
  if (shape.derived) {
    expr = `histogram_quantile(${shape.derived.q}, sum by (${[...byExposed, 'le'].join(', ')}) (rate(${sel}[${window}s])))`;
  } else if (q.kind === 'quantile') {
    expr = `histogram_quantile(${q.q}, sum by (${[...byExposed, 'le'].join(', ')}) (rate(${sel}[${window}s])))`;
  } else if (q.kind === 'rate' || q.kind === 'increase') {
    expr = `sum by (${byExposed.join(', ')}) (${q.kind}(${sel}[${window}s]))`;
  } else {
    if (shape.dropNegative) sel = `(${sel} >= 0)`;
    expr = `sum by (${byExposed.join(', ')}) (${sel})`;
    // A gauge of several instances (apiservers, etcd members): each instance's sum, then the worst.
    if (shape.across && shape.across !== 'sum') expr = `${shape.across} by (${byExposed.join(', ')}) (sum by (${['job', 'instance', ...byExposed].join(', ')}) (${sel}))`;
  }
  // Exposed → logical label names (e.g. request_kind → requestKind, To → to), so legends and `by` read alike.
  // The outer sum drops the exposed names (one series per group: the sum is the identity).
  const renamed = byLogical.filter((l) => exposed(l) !== l);
  if (!renamed.length) return expr;
  for (const l of renamed) expr = `label_replace(${expr}, ${promString(l)}, "$1", ${promString(exposed(l))}, "(.*)")`;
  return `sum by (${byLogical.join(', ')}) (${expr})`;
}

/**
 * The PromQL for one panel query, or null when no named series comes from /metrics. Candidate
 * metric names (every name of every series the query lists, in preference order) are joined with
 * `or`: the first that has data at a step wins there, as the recorder's first present name does.
 */
export function toPromQL(q: Query, window: number, opts: PromPlanOptions): string | null {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const record of Array.isArray(q.series) ? q.series : [q.series]) {
    const shape = ruleShape(record);
    if (!shape) continue;
    for (const c of shape.candidates) {
      const e = candidateExpr(shape, c, q, opts, window);
      if (!seen.has(e)) { seen.add(e); parts.push(e); }
    }
  }
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' or ');
}
