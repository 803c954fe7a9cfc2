/** Evaluates a set of panels over one time range: the timeline page's whole payload. */
import { evaluateQuery } from './evaluate';
import { PANELS } from './panels';
import { dbUsagePanel, objectGrowthPanel, objectsPanel } from './special';
import { formatUnitValue } from '../format/unit';
import type { Marker, PanelResult, PanelSpec, PanelStat, SeriesLoader, TimelineRange } from './types';

export function evaluatePanel(spec: PanelSpec, load: SeriesLoader, range: TimelineRange): PanelResult {
  if (spec.special === 'objects') return objectsPanel(spec, load, range);
  if (spec.special === 'objects-growth') return objectGrowthPanel(spec, load, range);
  if (spec.special === 'db-usage') return dbUsagePanel(spec, load, range);
  const series = spec.queries.flatMap((q) => evaluateQuery(q, load, range));
  return { id: spec.id, series, stats: worstStats(spec, series), ...(series.length ? {} : { empty: emptyReason(spec) }) };
}

/** Breakdown panels (a top-K query) name their worst series, e.g. "LIST ephemeralreports 2.3 s". */
export function worstStats(spec: PanelSpec, series: PanelResult['series']): PanelStat[] {
  if (!spec.queries.some((q) => q.topK !== undefined)) return [];
  let worst: { name: string; v: number } | undefined;
  for (const s of series) for (const [, v] of s.points) if (v !== null && (!worst || v > worst.v)) worst = { name: s.name, v };
  if (!worst) return [];
  const over = spec.thresholds?.filter((t) => worst!.v >= t.value).sort((a, b) => b.value - a.value)[0];
  return [{ label: 'worst', value: `${worst.name} ${formatUnitValue(spec.unit, worst.v)}`, severity: over ? over.severity : 'ok' }];
}

function emptyReason(spec: PanelSpec): string {
  if (spec.group === 'etcd') return 'No etcd metrics in this range: configure an etcd endpoint for this cluster (managed clusters hide etcd).';
  return 'No data recorded in this range.';
}

/**
 * Restarts of a component: `process_start_time_seconds` changing between scrapes (a counter reset
 * alone can also be a wrap or a re-registration, so the start time is the reliable signal).
 */
export function restartMarkers(load: SeriesLoader, from: number, to: number, label = 'kube-apiserver restarted'): Marker[] {
  const out: Marker[] = [];
  for (const s of load('process_start_time_seconds')) {
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1]!;
      const b = s.points[i]!;
      if (b.t >= from && b.t <= to && Math.abs(b.v - a.v) > 1) out.push({ t: Math.round(b.v * 1000), kind: 'restart', label, severity: 'warning' });
    }
  }
  return out;
}

export function evaluateTimeline(load: SeriesLoader, range: TimelineRange, panels: PanelSpec[] = PANELS): { panels: PanelResult[]; markers: Marker[] } {
  return { panels: panels.map((p) => evaluatePanel(p, load, range)), markers: restartMarkers(load, range.from, range.to) };
}
