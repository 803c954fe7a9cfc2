// The draft's key charts as SVG, with the incident's annotations numbered on them (the same
// numbers as in the timeline table) and linked findings as bands: shared by the print document and
// the Markdown export, so both show the same pictures.
import { chartSvg, seriesPeaks, type ChartMarker } from './chart-svg';
import type { PostmortemDraft } from './types';

export interface RenderedChart {
  panelId: string;
  cluster: string;
  title: string;
  explanation: string;
  /** Relative path in the Markdown export. */
  file: string;
  svg: string;
  peaks: string[];
  empty?: string;
}

/** Numbers of the timeline entries drawn on charts (annotations and runbook steps), by entry key. */
export function markerNumbers(draft: PostmortemDraft): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of draft.timeline) if (e.source === 'annotation' || e.source === 'step') m.set(e.key, m.size + 1);
  return m;
}

function slugPart(s: string): string { return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x'; }

/** The impact window with some context either side: the onset and the recovery are the story. */
export function chartRange(from: number, to: number): { from: number; to: number } {
  const pad = Math.max(2 * 60_000, Math.round((to - from) * 0.15));
  return { from: from - pad, to: to + pad };
}

export function renderCharts(draft: PostmortemDraft, opts: { width?: number } = {}): RenderedChart[] {
  const numbers = markerNumbers(draft);
  const multi = draft.clusters.length > 1;
  const { from, to } = chartRange(draft.window.from, draft.window.to);
  return draft.evidence.charts.map((c) => {
    const markers: ChartMarker[] = [];
    for (const e of draft.timeline) {
      if (e.cluster !== null && e.cluster !== c.cluster) continue;
      const num = numbers.get(e.key);
      if (num !== undefined) markers.push({ t: e.t, label: String(num), kind: e.source === 'step' ? 'step' : 'annotation', tone: e.tone });
      else if (e.source === 'finding') markers.push({ t: e.t, until: e.until ?? e.t, label: '', kind: 'finding', tone: e.tone });
    }
    const name = draft.clusters.find((x) => x.id === c.cluster)?.name ?? c.cluster;
    return {
      panelId: c.panelId,
      cluster: c.cluster,
      title: multi ? `${c.title} (${name})` : c.title,
      explanation: c.explanation,
      file: `charts/${multi ? `${slugPart(c.cluster)}-` : ''}${c.panelId}.svg`,
      svg: chartSvg({ from, to, unit: c.unit, series: c.series, thresholds: c.thresholds, window: { from: draft.window.from, to: draft.window.to }, markers, width: opts.width, empty: c.empty }),
      peaks: seriesPeaks(c.series, c.unit),
      ...(c.empty ? { empty: c.empty } : {}),
    };
  });
}
