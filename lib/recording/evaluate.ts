import { catalogueFamilies } from '../catalogue/catalogue';
import { parsePrometheusText, type ParseResult } from '../parse/prometheus-text';
import { DERIVED_RULES, DerivedState, type DerivedRule } from './derived';
import { evaluateRule } from './apply-rule';
import { RECORDING_RULES, type RecordingRule } from './rules';
import type { Component, RecordedRow } from './types';

export { evaluateRule };

/** The component each recorded series name (a rule's or a derived rule's `record`) comes from. */
export const COMPONENT_OF_RECORD: ReadonlyMap<string, Component> = new Map<string, Component>(
  [...RECORDING_RULES, ...DERIVED_RULES].map((r) => [r.record, r.component]),
);

/** Family names any rule of `component` may read: the parser skips every other family cheaply. */
export function familiesFor(component: Component, rules: RecordingRule[] = RECORDING_RULES, derived: DerivedRule[] = DERIVED_RULES): Set<string> {
  const logicals = [...rules, ...derived].filter((r) => r.component === component).map((r) => r.logical);
  return catalogueFamilies(logicals);
}

/** The rows every rule of `component` records from an already-parsed scrape (stateless rules only). */
export function rowsFromParsed(parsed: ParseResult, component: Component, rules: RecordingRule[] = RECORDING_RULES): RecordedRow[] {
  const rows: RecordedRow[] = [];
  for (const rule of rules) if (rule.component === component) rows.push(...evaluateRule(parsed, rule));
  return rows;
}

export function parseForRecording(text: string, component: Component): ParseResult {
  const wanted = familiesFor(component);
  return parsePrometheusText(text, { keep: (name) => wanted.has(name) });
}

/** Parses a scrape of `component` (skipping families no rule reads) and returns the stateless rows. */
export function recordScrape(text: string, component: Component, rules: RecordingRule[] = RECORDING_RULES): { rows: RecordedRow[]; parsed: ParseResult } {
  const parsed = parseForRecording(text, component);
  return { rows: rowsFromParsed(parsed, component, rules), parsed };
}

/**
 * The recording pipeline of one cluster: the stateless rules, plus the derived rules that need the
 * previous scrape (per-interval quantiles by many labels). Feed it one cluster's scrapes in time
 * order; the live recorder, bundle import and `inspect metrics` all use it, so they record alike.
 */
export class ScrapeRecorder {
  private readonly derived = new DerivedState();

  record(component: Component, t: number, input: string | ParseResult): { rows: RecordedRow[]; parsed: ParseResult } {
    const parsed = typeof input === 'string' ? parseForRecording(input, component) : input;
    const rows = rowsFromParsed(parsed, component);
    rows.push(...this.derived.rows(component, t, parsed));
    return { rows, parsed };
  }
}
