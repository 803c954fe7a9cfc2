import { findMetric, logicalLabels } from '../catalogue/extract';
import type { ParseResult } from '../parse/prometheus-text';
import type { RecordingRule } from './rules';
import type { RecordedRow } from './types';

/**
 * Applies one rule: the catalogue picks the family present in the scrape (newest name first) and
 * maps its labels to logical names; then exclusions, and a sum by the kept labels.
 */
export function evaluateRule(result: ParseResult, rule: Pick<RecordingRule, 'logical' | 'suffix' | 'by' | 'exclude' | 'dropNegative'> & { record: string }): RecordedRow[] {
  const m = findMetric(result, rule.logical);
  if (!m) return [];
  const wantName = m.family.name + (rule.suffix ?? '');
  const bucket = rule.suffix === '_bucket';
  const sums = new Map<string, RecordedRow>();
  for (const s of m.family.samples) {
    if (s.name !== wantName) continue;
    if (rule.dropNegative && s.value < 0) continue;
    const labels = logicalLabels(s, m);
    if (rule.exclude && Object.entries(rule.exclude).some(([k, vals]) => vals.includes(labels[k] ?? ''))) continue;
    const out: Record<string, string> = {};
    for (const k of rule.by) { const v = labels[k]; if (v !== undefined && v !== '') out[k] = v; }
    if (bucket) { const le = s.labels.le; if (le === undefined) continue; out.le = le; }
    let key = '';
    for (const k of rule.by) key += `${out[k] ?? ''}\u0001`;
    if (bucket) key += out.le;
    const prev = sums.get(key);
    if (prev) prev.value += s.value;
    else sums.set(key, { name: rule.record, labels: out, value: s.value });
  }
  return [...sums.values()];
}

