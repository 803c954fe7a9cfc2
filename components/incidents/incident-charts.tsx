'use client';
import { useCallback, useMemo, useRef } from 'react';
import { emptyMessage, markersInRange } from '@/components/timeline/chart-data';
import { PanelCard } from '@/components/timeline/panel-card';
import type { ChartFrame } from '@/components/timeline/panel-chart';
import { useElementWidth, useRootFontSize } from '@/components/timeline/use-element-width';
import { formatUtcRange } from '@/lib/format/time';
import { warRoomPanels } from '@/lib/incidents/panels';
import type { Annotation, LinkedFinding } from '@/lib/incidents/types';
import { useTimeline, type TimelineMarker } from '@/lib/query/timeline';
import timelineStyles from '@/components/timeline/timeline.module.css';
import styles from './incidents.module.css';

export interface IncidentChartsProps {
  incidentId: string;
  cluster: string;
  clusterName: string;
  /** Time expressions (lib/timeline/time-range.ts), as in the URL. */
  range: { from: string; to: string };
  annotations: Annotation[];
  /** Linked findings: their panels come first. */
  findings: LinkedFinding[];
  refreshMs: number;
  onZoom: (from: number, to: number) => void;
}

/** An annotation as a chart marker, the same shape the server gives (server/views/timeline.ts). */
function toMarker(a: Annotation, incidentId: string): TimelineMarker {
  return { t: a.from, ...(a.to !== null ? { until: a.to } : {}), kind: 'annotation', label: `${a.kind}: ${a.text} (${a.author})`, href: `/incidents/${incidentId}` };
}

/**
 * The primary cluster's key charts over the impact window, drawn by the timeline's own panel
 * cards. Annotations come from the live dossier (not a refetch), so a new one shows on every
 * screen as soon as it is pushed.
 */
export function IncidentCharts({ incidentId, cluster, clusterName, range, annotations, findings, refreshMs, onZoom }: IncidentChartsProps) {
  const width = useRef<number | undefined>(undefined);
  const onWidth = useCallback((w: number) => { width.current = Math.max(width.current ?? 0, w); }, []);
  const q = useTimeline(cluster, { ...range, incident: incidentId }, { refreshMs, width: () => width.current });
  const data = q.data;
  const box = useRef<HTMLDivElement>(null);
  const boxWidth = useElementWidth(box);
  const rootPx = useRootFontSize();
  const fontPx = Math.round(rootPx * 0.78);
  const yAxisWidth = Math.round(fontPx * 6.4);
  const columns = boxWidth > 0 && window.matchMedia('(min-width: 1401px)').matches ? 2 : 1;
  const columnWidth = columns === 2 ? (boxWidth - rootPx) / 2 : boxWidth;
  const timeTicks = Math.max(2, Math.floor((columnWidth - 2.5 * rootPx - yAxisWidth) / (fontPx * 7.5)));
  const frame = useMemo<ChartFrame | null>(() => data ? {
    from: data.from, to: data.to, fontPx, syncId: `incident-${incidentId}`, timeTicks, yAxisWidth, height: Math.round(rootPx * 11),
  } : null, [data, fontPx, incidentId, rootPx, timeTicks, yAxisWidth]);
  const markers = useMemo(() => data ? markersInRange([
    ...data.markers.filter((m) => m.kind !== 'annotation'),
    ...annotations.filter((a) => a.cluster === cluster).map((a) => toMarker(a, incidentId)),
  ], data.from, data.to) : [], [data, annotations, cluster, incidentId]);
  const wanted = useMemo(() => warRoomPanels(findings.filter((f) => f.cluster === cluster)), [findings, cluster]);
  const panels = useMemo(() => (data?.panels ?? []).filter((p) => wanted.includes(p.id))
    .sort((a, b) => wanted.indexOf(a.id) - wanted.indexOf(b.id)), [data, wanted]);

  return (
    <section className={styles.panel} aria-labelledby="charts-title" data-testid="incident-charts">
      <h2 id="charts-title" className={styles.panelTitle}>
        {clusterName}
        {data ? <span className={`${styles.faint} num`} style={{ textTransform: 'none', letterSpacing: 0 }}>{formatUtcRange(data.from, data.to)} · drag to zoom</span> : null}
        <a className={styles.link} style={{ textTransform: 'none', letterSpacing: 0 }} href={`/clusters/${encodeURIComponent(cluster)}/timeline?${new URLSearchParams({ ...range, incident: incidentId })}`}>Full timeline →</a>
      </h2>
      {/* The timeline page's scope: its series palette and chart grid colours (both themes). */}
      <div ref={box} className={timelineStyles.page}>
        {q.isError ? <p className={styles.error} role="alert">Could not load the charts: {q.error.message}</p> : null}
        {data && frame ? (
          <div className={styles.charts}>
            {panels.map((p) => (
              <PanelCard key={p.id} panel={p} frame={frame} markers={markers.filter((m) => !m.panels || m.panels.includes(p.id))} focused={false}
                wide={false} stale={q.isPlaceholderData} empty={emptyMessage(p, data.panels)} onZoom={onZoom} onWidth={onWidth} />
            ))}
          </div>
        ) : !q.isError ? <p className={styles.faint}>Loading the charts…</p> : null}
      </div>
    </section>
  );
}
