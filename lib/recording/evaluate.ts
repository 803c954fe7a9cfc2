import { parsePrometheusText, type MetricFamily, type ParseResult } from '../parse/prometheus-text';
import { RECORDING_RULES, type RecordingRule } from './rules';
import type { Component, RecordedRow } from './types';

/** Family names any rule of `component` may read: the parser skips every other family cheaply. */
export function familiesFor(component: Component, rules: RecordingRule[] = RECORDING_RULES): Set<string> {
  return new Set(rules.filter((r) => r.component === component).flatMap((r) => r.families));
}

function pickFamily(result: ParseResult, rule: RecordingRule): MetricFamily | undefined {
  for (const f of rule.families) {
    const fam = result.families.get(f);
    if (fam && fam.samples.length > 0) return fam;
  }
  return undefined;
}

/** Applies one rule: filter by suffix and exclusions, rename aliased labels, sum by the kept labels. */
export function evaluateRule(result: ParseResult, rule: RecordingRule): RecordedRow[] {
  const fam = pickFamily(result, rule);
  if (!fam) return [];
  const wantName = fam.name + (rule.suffix ?? '');
  const keep = rule.suffix === '_bucket' ? [...rule.by, 'le'] : rule.by;
  const sums = new Map<string, RecordedRow>();
  for (const s of fam.samples) {
    if (s.name !== wantName) continue;
    if (rule.dropNegative && s.value < 0) continue;
    let labels = s.labels;
    if (rule.aliases) {
      labels = { ...labels };
      for (const [from, to] of Object.entries(rule.aliases)) {
        if (from in labels && !(to in labels)) { labels[to] = labels[from]!; delete labels[from]; }
      }
    }
    if (rule.exclude && Object.entries(rule.exclude).some(([k, vals]) => vals.includes(labels[k] ?? ''))) continue;
    const out: Record<string, string> = {};
    for (const k of keep) { const v = labels[k]; if (v !== undefined && v !== '') out[k] = v; }
    const key = keep.map((k) => `${k}=${out[k] ?? ''}`).join('\u0001');
    const prev = sums.get(key);
    if (prev) prev.value += s.value;
    else sums.set(key, { name: rule.record, labels: out, value: s.value });
  }
  return [...sums.values()];
}

/** The rows every rule of `component` records from an already-parsed scrape. */
export function rowsFromParsed(parsed: ParseResult, component: Component, rules: RecordingRule[] = RECORDING_RULES): RecordedRow[] {
  const rows: RecordedRow[] = [];
  for (const rule of rules) if (rule.component === component) rows.push(...evaluateRule(parsed, rule));
  return rows;
}

/** Parses a scrape of `component` (skipping families no rule reads) and returns the recorded rows. */
export function recordScrape(text: string, component: Component, rules: RecordingRule[] = RECORDING_RULES): { rows: RecordedRow[]; parsed: ParseResult } {
  const wanted = familiesFor(component, rules);
  const parsed = parsePrometheusText(text, { keep: (name) => wanted.has(name) });
  return { rows: rowsFromParsed(parsed, component, rules), parsed };
}
