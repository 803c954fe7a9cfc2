import type { CSSProperties } from 'react';
import { formatUtc } from '@/lib/format/time';
import { formatUnitValue } from '@/lib/format/unit';
import type { Unit } from '@/lib/timeline/types';
import type { TimelineThreshold } from '@/lib/query/timeline';
import { nearestPoint, type ChartMarker, type PreparedSeries } from './chart-data';
import styles from './timeline.module.css';

/** Severity → the status colour of a threshold line or a finding's shading. */
export function severityColor(s: 'info' | 'warning' | 'critical' | undefined): string {
  return s === 'critical' ? 'var(--crit)' : s === 'warning' ? 'var(--warn)' : 'var(--neutral)';
}

interface ViewBox { x?: number; y?: number; width?: number; height?: number }

/**
 * A threshold's label at the right end of its line, on a halo of the card's colour so it reads
 * over data lines; below the line when the line runs along the top of the plot.
 */
export function ThresholdLabel({ viewBox, threshold, fontPx, plotTop }: { viewBox?: ViewBox; threshold: TimelineThreshold; fontPx: number; plotTop: number }) {
  const x = (viewBox?.x ?? 0) + (viewBox?.width ?? 0) - 6;
  const y = viewBox?.y ?? 0;
  const below = y - plotTop < fontPx + 4;
  return (
    <text
      x={x}
      y={below ? y + fontPx + 2 : y - 5}
      textAnchor="end"
      className={styles.thresholdLabel}
      fill={severityColor(threshold.severity)}
      style={{ fontSize: fontPx }}
    >
      {threshold.label}
    </text>
  );
}

interface AreaShapeProps { x?: number; y?: number; width?: number; height?: number }

export function severityRank(s: 'info' | 'warning' | 'critical' | undefined): number {
  return s === 'critical' ? 0 : s === 'warning' ? 1 : 2;
}

/**
 * A finding over time: the span lightly shaded in its severity's colour, and a solid band along the
 * top of the plot, one lane per finding so overlapping findings stay apart; the label on hover.
 */
export function FindingArea({ x = 0, y = 0, width = 0, height = 0, marker, lane, laneHeight }: AreaShapeProps & { marker: ChartMarker; lane: number; laneHeight: number }) {
  const color = severityColor(marker.severity);
  const w = Math.max(2, width);
  return (
    <g className={styles.findingArea} data-testid="marker-finding">
      <title>{`${marker.severity === 'critical' ? 'Critical' : marker.severity === 'warning' ? 'Warning' : 'Finding'}: ${marker.label}`}</title>
      <rect x={x} y={y} width={w} height={height} fill={color} fillOpacity={0.05} />
      <rect x={x} y={y - (lane + 1) * laneHeight} width={w} height={laneHeight - 2} rx={1} fill={color} fillOpacity={0.9} />
    </g>
  );
}

interface LineShapeProps { x1?: number; y1?: number; x2?: number; y2?: number }

/** A restart: a vertical line with a wide invisible hit area that names it on hover. */
export function RestartLine({ marker, fontPx, ...p }: LineShapeProps & { marker: ChartMarker; fontPx: number }) {
  const x = p.x1 ?? 0;
  const top = Math.min(p.y1 ?? 0, p.y2 ?? 0);
  const bottom = Math.max(p.y1 ?? 0, p.y2 ?? 0);
  return (
    <g data-testid="marker-restart">
      <title>{`${marker.label} at ${formatUtc(marker.t)}`}</title>
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="var(--warn)" strokeWidth={1.5} />
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="transparent" strokeWidth={10} />
      <text x={x + 4} y={top + fontPx} className={styles.markerLabel} style={{ fontSize: fontPx }} fill="var(--warn-text)">restart</text>
    </g>
  );
}

/** A stored capture (goroutine dump, heap profile): a dotted line, a small label, a link to its analysis. */
export function CaptureLine({ marker, fontPx, ...p }: LineShapeProps & { marker: ChartMarker; fontPx: number }) {
  const x = p.x1 ?? 0;
  const top = Math.min(p.y1 ?? 0, p.y2 ?? 0);
  const bottom = Math.max(p.y1 ?? 0, p.y2 ?? 0);
  const short = marker.label.includes('heap') ? 'heap' : 'dump';
  const body = (
    <>
      <title>{`${marker.label} at ${formatUtc(marker.t)}${marker.href ? ' (click to open)' : ''}`}</title>
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="var(--accent)" strokeWidth={1.25} strokeDasharray="2 3" />
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="transparent" strokeWidth={10} />
      <text x={x + 4} y={bottom - 4} className={styles.markerLabel} style={{ fontSize: fontPx }} fill="var(--accent)">{short}</text>
    </>
  );
  return <g data-testid="marker-capture">{marker.href ? <a href={marker.href} className={styles.captureLink}>{body}</a> : body}</g>;
}

const ANNOTATION = 'var(--annotation, var(--bundle))';
// Plain text, not emoji: a TV's browser may have no emoji font.
const ANNOTATION_ICON: Record<string, string> = { observation: 'obs', action: 'act', hypothesis: 'hyp' };

/** The annotation's kind, from its label ("action: …", server/views/timeline.ts). */
function annotationKind(m: ChartMarker): string {
  return m.label.slice(0, m.label.indexOf(':'));
}

/** An incident annotation at a point: a solid line in the annotation colour, its kind's glyph at the top. */
export function AnnotationLine({ marker, fontPx, ...p }: LineShapeProps & { marker: ChartMarker; fontPx: number }) {
  const x = p.x1 ?? 0;
  const top = Math.min(p.y1 ?? 0, p.y2 ?? 0);
  const bottom = Math.max(p.y1 ?? 0, p.y2 ?? 0);
  const body = (
    <>
      <title>{`${marker.label} at ${formatUtc(marker.t)}`}</title>
      <line x1={x} x2={x} y1={top} y2={bottom} stroke={ANNOTATION} strokeWidth={1.75} />
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="transparent" strokeWidth={10} />
      <text x={x + 4} y={top + fontPx} className={styles.markerLabel} style={{ fontSize: fontPx }} fill={ANNOTATION}>{ANNOTATION_ICON[annotationKind(marker)] ?? '✎'}</text>
    </>
  );
  return <g data-testid="marker-annotation">{marker.href ? <a href={marker.href}>{body}</a> : body}</g>;
}

/** An incident annotation over a range: the span shaded, bracketed by thin edges. */
export function AnnotationArea({ x = 0, y = 0, width = 0, height = 0, marker }: AreaShapeProps & { marker: ChartMarker }) {
  const w = Math.max(2, width);
  return (
    <g data-testid="marker-annotation" data-range>
      <title>{`${marker.label}, ${formatUtc(marker.x1)} to ${formatUtc(marker.x2)}`}</title>
      <rect x={x} y={y} width={w} height={height} fill={ANNOTATION} fillOpacity={0.1} />
      <line x1={x} x2={x} y1={y} y2={y + height} stroke={ANNOTATION} strokeOpacity={0.7} strokeDasharray="3 3" />
      <line x1={x + w} x2={x + w} y1={y} y2={y + height} stroke={ANNOTATION} strokeOpacity={0.7} strokeDasharray="3 3" />
    </g>
  );
}

export interface ChartTooltipProps {
  t: number;
  unit: Unit;
  series: PreparedSeries[];
  markers: ChartMarker[];
  /** How far from `t` a point may be and still be "the value at t". */
  tolerance: number;
}

/** Values of every series at the crosshair's time (each its nearest point), largest first, and the markers there. */
export function ChartTooltip({ t, unit, series, markers, tolerance }: ChartTooltipProps) {
  const rows = series
    .map((s) => ({ s, p: nearestPoint(s.points, t, tolerance) }))
    .filter((r) => r.p !== undefined)
    .sort((a, b) => (b.p!.v ?? 0) - (a.p!.v ?? 0));
  const here = markers.filter((m) => (m.kind === 'finding' || (m.kind === 'annotation' && m.until !== undefined) ? t >= m.x1 && t <= m.x2 : Math.abs(m.t - t) <= tolerance));
  return (
    <div className={styles.tooltip} role="presentation">
      <p className={`${styles.tooltipTime} num`}>{formatUtc(t)}</p>
      {rows.length ? (
        <table className={styles.tooltipTable}>
          <tbody>
            {rows.slice(0, 12).map(({ s, p }) => (
              <tr key={s.key} className={s.highlight ? styles.tooltipHighlight : undefined}>
                <td><span className={styles.swatch} data-dashed={s.reference || undefined} style={{ '--swatch': s.color } as CSSProperties} /></td>
                <td className={styles.tooltipName}>{s.name}</td>
                <td className={`${styles.tooltipValue} num`}>{formatUnitValue(unit, p!.v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className={styles.tooltipEmpty}>no sample here</p>}
      {here.map((m, i) => (
        <p key={i} className={styles.tooltipMarker} style={{ color: m.kind === 'restart' ? 'var(--warn-text)' : m.kind === 'capture' ? 'var(--accent)' : m.kind === 'annotation' ? ANNOTATION : severityColor(m.severity) }}>
          {m.kind === 'restart' ? '↻ ' : m.kind === 'capture' ? '⎙ ' : m.kind === 'annotation' ? '✎ ' : '● '}{m.label}
        </p>
      ))}
    </div>
  );
}
