import { memo, useMemo, type CSSProperties } from 'react';
import { splitResource } from '@/components/overview/figures';
import { severityTone } from '@/components/findings/severity';
import { InfoIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { formatUnitValue } from '@/lib/format/unit';
import type { TimelinePanel, TimelineStat } from '@/lib/query/timeline';
import { prepareSeries, splitThresholds, valueExtent, type ChartMarker, type PreparedSeries } from './chart-data';
import { severityColor } from './chart-parts';
import { PanelChart, type ChartFrame } from './panel-chart';
import styles from './timeline.module.css';

export interface PanelCardProps {
  panel: TimelinePanel;
  frame: ChartFrame;
  markers: ChartMarker[];
  /** Named in the URL (`panel=`) or by a clicked finding: outlined. */
  focused: boolean;
  wide: boolean;
  stale: boolean;
  /** Why the panel is empty (undefined when it has data). */
  empty?: string;
  onZoom: (from: number, to: number) => void;
  /** A click on a chart picked a time. */
  onPick?: (t: number) => void;
  onWidth?: (px: number) => void;
  /** The objects panel: lines on one scale, or small multiples (one chart per resource, its own scale). */
  view?: 'lines' | 'multiples';
  onView?: (v: 'lines' | 'multiples') => void;
}

export function panelDomId(id: string): string {
  return `panel-${id}`;
}

function StatChips({ stats }: { stats: TimelineStat[] }) {
  if (!stats.length) return null;
  return (
    <ul className={styles.stats} aria-label="Figures">
      {stats.map((st) => (
        <li key={`${st.label}:${st.value}`} className={cx(styles.stat, styles[`stat-${severityTone(st.severity)}`])} data-testid="panel-stat" data-label={st.label}>
          <span className={styles.statLabel}>{st.label}</span>
          <strong className={cx(styles.statValue, 'num')}>{st.value}</strong>
        </li>
      ))}
    </ul>
  );
}

function SeriesName({ name, resource }: { name: string; resource: boolean }) {
  if (!resource) return <>{name}</>;
  const { name: base, group } = splitResource(name);
  return <><span className={styles.legendResource}>{base}</span>{group ? <span className={styles.legendGroup}>.{group}</span> : null}</>;
}

function Legend({ panel, series, offScale }: { panel: TimelinePanel; series: PreparedSeries[]; offScale: ReturnType<typeof splitThresholds>['offScale'] }) {
  const resource = panel.special === 'objects' || panel.special === 'objects-growth';
  const fastestStat = panel.result.stats.find((s) => s.label === 'fastest growing');
  return (
    <ul className={cx(styles.legend, resource && styles.legendColumns)} aria-label="Series">
      {series.map((s) => (
        <li key={s.key} className={cx(styles.legendItem, s.highlight && styles.legendHighlight)} data-testid="legend-item" data-highlight={s.highlight || undefined} title={s.name}>
          <span className={styles.swatch} data-dashed={s.reference || undefined} data-bold={s.highlight || undefined} style={{ '--swatch': s.color } as CSSProperties} />
          <span className={styles.legendName}><SeriesName name={s.name} resource={resource} /></span>
          <span className={cx(styles.legendValue, 'num')}>{formatUnitValue(panel.unit, s.last)}</span>
          {s.highlight ? <span className={cx(styles.growthTag, styles[`stat-${severityTone(fastestStat?.severity)}`])}>fastest growing</span> : null}
        </li>
      ))}
      {offScale.map((th) => (
        <li key={th.label} className={cx(styles.legendItem, styles.legendOffScale)} title="Threshold above the chart's scale">
          <span className={styles.swatch} data-dashed style={{ '--swatch': severityColor(th.severity) } as CSSProperties} />
          <span className={styles.legendName}>{th.label}</span>
          <span className={styles.legendValue}>above the scale</span>
        </li>
      ))}
    </ul>
  );
}

function ViewToggle({ view, onView }: { view: 'lines' | 'multiples'; onView: (v: 'lines' | 'multiples') => void }) {
  return (
    <div className={styles.viewToggle} role="group" aria-label="Show resources as">
      {(['lines', 'multiples'] as const).map((v) => (
        <button key={v} type="button" className={cx(styles.viewButton, view === v && styles.viewButtonOn)} aria-pressed={view === v} onClick={() => onView(v)}>
          {v === 'lines' ? 'Lines' : 'Small multiples'}
        </button>
      ))}
    </div>
  );
}

/**
 * One small chart per resource, each on its own scale, on the page's shared time axis: a resource
 * of 40 objects growing to 400 shows its climb beside 5,000 secrets (on one scale it stays flat).
 */
function SmallMultiples({ panel, series, markers, frame, onZoom, onPick }: { panel: TimelinePanel; series: PreparedSeries[]; markers: ChartMarker[]; frame: ChartFrame; onZoom: PanelCardProps['onZoom']; onPick: PanelCardProps['onPick'] }) {
  const small = useMemo(() => ({ ...frame, height: Math.max(110, Math.round(frame.height * 0.55)) }), [frame]);
  const fastestStat = panel.result.stats.find((s) => s.label === 'fastest growing');
  return (
    <div className={styles.multiples} data-testid="multiples">
      {series.map((s) => (
        <figure key={s.key} className={cx(styles.multiple, s.highlight && styles.multipleHighlight)} data-testid="multiple" data-resource={s.name} data-highlight={s.highlight || undefined}>
          <figcaption className={styles.multipleCaption} title={s.name}>
            <span className={styles.swatch} style={{ '--swatch': s.color } as CSSProperties} />
            <span className={styles.legendName}><SeriesName name={s.name} resource /></span>
            <strong className={cx(styles.legendValue, 'num')}>{formatUnitValue(panel.unit, s.last)}</strong>
            {s.highlight ? <span className={cx(styles.growthTag, styles[`stat-${severityTone(fastestStat?.severity)}`])}>fastest growing</span> : null}
          </figcaption>
          <PanelChart title={`${panel.title}: ${s.name}`} unit={panel.unit} series={[s]} thresholds={[]} markers={markers} frame={small} onZoom={onZoom} onPick={onPick} />
        </figure>
      ))}
    </div>
  );
}

/** A panel: title, the one-line why, its figures, the chart on the shared time axis, the legend. */
export const PanelCard = memo(function PanelCard({ panel, frame, markers, focused, wide, stale, empty, onZoom, onPick, onWidth, view = 'lines', onView }: PanelCardProps) {
  const series = useMemo(() => prepareSeries(panel), [panel]);
  const { shown, offScale } = useMemo(() => splitThresholds(panel.thresholds, valueExtent(series).max), [panel.thresholds, series]);
  const headingId = `${panelDomId(panel.id)}-title`;
  return (
    <section
      id={panelDomId(panel.id)}
      aria-labelledby={headingId}
      className={cx(styles.panel, wide && styles.panelWide, focused && styles.panelFocused)}
      data-testid="panel"
      data-panel={panel.id}
    >
      <header className={styles.panelHead}>
        <h3 id={headingId} className={styles.panelTitle}>{panel.title}</h3>
        <p className={styles.panelExplain}>{panel.explanation}</p>
        {onView && !empty ? <ViewToggle view={view} onView={onView} /> : null}
      </header>
      <StatChips stats={panel.result.stats} />
      {empty ? (
        <div className={styles.panelEmpty} style={{ minHeight: Math.round(frame.height * 0.6) }} data-testid="panel-empty">
          <InfoIcon size={18} />
          <p>{empty}</p>
        </div>
      ) : view === 'multiples' && onView ? (
        <SmallMultiples panel={panel} series={series} markers={markers} frame={frame} onZoom={onZoom} onPick={onPick} />
      ) : (
        <>
          <PanelChart title={panel.title} unit={panel.unit} series={series} thresholds={shown} markers={markers} frame={frame} onZoom={onZoom} onPick={onPick} onWidth={onWidth} stale={stale} />
          <Legend panel={panel} series={series} offScale={offScale} />
        </>
      )}
    </section>
  );
});
