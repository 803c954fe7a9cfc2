'use client';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis, type MouseHandlerDataParam, type TickItem } from 'recharts';
import { formatTimeTick, timeStep, utcTimeTicks } from '@/lib/format/time-axis';
import { formatUnitTick, niceTicks } from '@/lib/format/unit';
import type { TimelineThreshold } from '@/lib/query/timeline';
import type { Unit } from '@/lib/timeline/types';
import { nearestTickIndex, valueExtent, type ChartMarker, type PreparedSeries } from './chart-data';
import { AnnotationArea, AnnotationLine, CaptureLine, ChartTooltip, FindingArea, RestartLine, severityColor, severityRank, ThresholdLabel } from './chart-parts';
import { useElementWidth } from './use-element-width';
import styles from './timeline.module.css';

/** What every chart on the page shares, so their plots line up on one time axis. */
export interface ChartFrame {
  from: number;
  to: number;
  /** Same for every chart: the plots start at the same x in every card of a column. */
  yAxisWidth: number;
  height: number;
  /** Tick label size, px (the type scale follows the viewport). */
  fontPx: number;
  /** At most this many time ticks: what fits the narrowest chart, so every chart has the same ones. */
  timeTicks: number;
  syncId: string;
}

export interface PanelChartProps {
  title: string;
  unit: Unit;
  series: PreparedSeries[];
  thresholds: TimelineThreshold[];
  markers: ChartMarker[];
  frame: ChartFrame;
  /** A drag across the chart selected [from, to] (ms). */
  onZoom: (from: number, to: number) => void;
  /** A click (no drag) on the plot picked this time (ms). */
  onPick?: (t: number) => void;
  onWidth?: (px: number) => void;
  /** The data is the previous range's while the next one loads. */
  stale?: boolean;
}

const MARGIN = { top: 10, right: 14, bottom: 0, left: 0 };
/** Finding bands sit in lanes above the plot, clear of the data and of threshold labels. */
const LANE = 6;
const MAX_LANES = 3;
const CURSOR = { stroke: 'var(--text-muted)', strokeWidth: 1, strokeDasharray: '3 3' };
const ESCAPE = { x: false, y: true };
const WRAPPER = { zIndex: 10, pointerEvents: 'none' as const, outline: 'none' };

/**
 * One panel's chart. Every chart shares the time domain and a crosshair (recharts `syncId`);
 * crosshairs are matched by time, not by index, since each chart has its own scrape times.
 * Dragging across the plot selects a range to zoom to.
 */
export const PanelChart = memo(function PanelChart({ title, unit, series, thresholds, markers, frame, onZoom, onPick, onWidth, stale }: PanelChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrap);
  const [hovered, setHovered] = useState(false);
  const [sel, setSel] = useState<{ a: number; b: number } | null>(null);
  const cleanup = useRef<(() => void) | null>(null);
  const { from, to, yAxisWidth, height, fontPx, syncId } = frame;

  useEffect(() => { if (width > 0) onWidth?.(width); }, [width, onWidth]);
  useEffect(() => () => cleanup.current?.(), []);

  // Most severe first: its band takes the lane nearest the plot.
  const findings = useMemo(() => markers.filter((m) => m.kind === 'finding').sort((a, b) => severityRank(a.severity) - severityRank(b.severity)), [markers]);
  const margin = useMemo(() => ({ ...MARGIN, top: MARGIN.top + Math.min(MAX_LANES, findings.length) * LANE }), [findings.length]);
  const plotLeft = MARGIN.left + yAxisWidth;
  const plotRight = width - MARGIN.right;

  const yTicks = useMemo(() => {
    const { min, max } = valueExtent(series);
    const ticks = niceTicks(unit, min, Math.max(max, ...thresholds.map((t) => t.value)), 4);
    // A limit (the quota, a threshold) right at the top gets a step of headroom, so a line reaching
    // it reads as reaching it rather than as the frame of the chart.
    const limit = Math.max(0, ...thresholds.map((t) => t.value), ...series.filter((s) => s.reference).map((s) => s.last ?? 0));
    const top = ticks[ticks.length - 1] ?? 0;
    const step = ticks.length > 1 ? top - ticks[ticks.length - 2]! : 0;
    return limit > 0 && step > 0 && top - limit < step * 0.1 ? [...ticks, top + step] : ticks;
  }, [series, thresholds, unit]);
  const yMax = yTicks[yTicks.length - 1] ?? 1;

  // The same time ticks on every chart of the page (frame.timeTicks), however wide the chart.
  const xStep = timeStep(from, to, frame.timeTicks);
  const xTicks = useMemo(() => utcTimeTicks(from, to, frame.timeTicks), [from, to, frame.timeTicks]);

  // The crosshair and tooltip accept a point this far from the cursor's time (half a gap either side).
  const tolerance = useMemo(() => Math.max((to - from) / 120, 1.5 * Math.max(0, ...series.map((s) => s.step))), [series, from, to]);
  const syncByTime = useCallback(
    (ticks: ReadonlyArray<TickItem>, data: MouseHandlerDataParam) => (data.activeLabel === undefined ? -1 : nearestTickIndex(ticks, Number(data.activeLabel), tolerance)),
    [tolerance],
  );

  const timeAt = useCallback((clientX: number) => {
    const r = wrap.current?.getBoundingClientRect();
    if (!r || plotRight <= plotLeft) return from;
    const f = Math.min(1, Math.max(0, (clientX - r.left - plotLeft) / (plotRight - plotLeft)));
    return from + f * (to - from);
  }, [from, to, plotLeft, plotRight]);

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !wrap.current) return;
    const x = e.clientX - wrap.current.getBoundingClientRect().left;
    if (x < plotLeft || x > plotRight) return;
    e.preventDefault();
    const x0 = e.clientX;
    const t0 = timeAt(x0);
    setSel({ a: t0, b: t0 });
    const move = (ev: PointerEvent) => setSel({ a: t0, b: timeAt(ev.clientX) });
    const done = (ev: PointerEvent | KeyboardEvent) => {
      cleanup.current?.();
      setSel(null);
      if (ev instanceof PointerEvent && Math.abs(ev.clientX - x0) > 5) onZoom(t0, timeAt(ev.clientX));
      else if (ev instanceof PointerEvent) onPick?.(t0);
    };
    const key = (ev: KeyboardEvent) => { if (ev.key === 'Escape') done(ev); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', done);
    window.addEventListener('keydown', key);
    cleanup.current = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', done);
      window.removeEventListener('keydown', key);
      cleanup.current = null;
    };
  };

  // Everything handed to recharts is memoised: a new function or object identity makes recharts
  // re-register the element in its store and re-render the chart, and hover or a drag must not
  // redraw thousands of points.
  const tickStyle = useMemo(() => ({ fontSize: fontPx, fill: 'var(--text-muted)' }), [fontPx]);
  const xDomain = useMemo(() => [from, to], [from, to]);
  const yDomain = useMemo(() => [yTicks[0] ?? 0, yMax], [yTicks, yMax]);
  const xFormat = useCallback((t: number) => formatTimeTick(t, xStep), [xStep]);
  const yFormat = useCallback((v: number) => formatUnitTick(unit, v, yMax), [unit, yMax]);

  const findingAreas = useMemo(() => findings.map((m, i) => (
    // Not clipped to the plot (the band is above it); markersInRange already clipped x to the range.
    <ReferenceArea key={`f${i}`} x1={m.x1} x2={m.x2} ifOverflow="visible" shape={(p: object) => <FindingArea {...p} marker={m} lane={Math.min(i, MAX_LANES - 1)} laneHeight={LANE} />} />
  )), [findings]);

  // The dashed line under the data, its label above everything (a second, invisible line carries it).
  const thresholdLines = useMemo(() => [
    ...thresholds.map((th) => (
      <ReferenceLine key={th.label} y={th.value} stroke={severityColor(th.severity)} strokeDasharray="6 4" strokeWidth={1.5} ifOverflow="hidden" zIndex={350} />
    )),
    ...thresholds.map((th) => (
      <ReferenceLine
        key={`${th.label}-label`}
        y={th.value}
        stroke="none"
        ifOverflow="hidden"
        zIndex={2100}
        label={(p: { viewBox?: object }) => <ThresholdLabel viewBox={p.viewBox} threshold={th} fontPx={fontPx} plotTop={margin.top} />}
      />
    )),
  ], [thresholds, fontPx, margin.top]);

  const lines = useMemo(() => {
    const thin = series.length > 4;
    const anyHighlight = series.some((x) => x.highlight);
    return series.map((s) => {
      const values = s.points.reduce((n, p) => n + (p.v === null ? 0 : 1), 0);
      return (
        <Line
          key={s.key}
          data={s.points}
          dataKey="v"
          name={s.name}
          type="linear"
          stroke={s.color}
          strokeWidth={s.highlight ? 3.25 : s.reference ? 2 : thin ? 1.6 : 2}
          strokeOpacity={s.highlight || !anyHighlight ? 1 : 0.55}
          strokeDasharray={s.reference ? '9 6' : undefined}
          // A series of one or two points would draw nothing: show them as dots.
          dot={values <= 2 ? { r: 2.5, fill: s.color, stroke: 'none' } : false}
          activeDot={false}
          label={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      );
    });
  }, [series]);

  const restartLines = useMemo(() => markers.filter((m) => m.kind === 'restart').map((m, i) => (
    <ReferenceLine key={`r${i}`} x={m.t} ifOverflow="hidden" zIndex={450} shape={(p: object) => <RestartLine {...p} marker={m} fontPx={fontPx} />} />
  )), [markers, fontPx]);
  // Incident annotations (the war room's notes): ranges shaded under the data, points as lines.
  const annotationMarks = useMemo(() => markers.filter((m) => m.kind === 'annotation').map((m, i) => (m.until !== undefined
    ? <ReferenceArea key={`a${i}`} x1={m.x1} x2={m.x2} ifOverflow="hidden" shape={(p: object) => <AnnotationArea {...p} marker={m} />} />
    : <ReferenceLine key={`a${i}`} x={m.t} ifOverflow="hidden" zIndex={445} shape={(p: object) => <AnnotationLine {...p} marker={m} fontPx={fontPx} />} />
  )), [markers, fontPx]);
  const captureLines = useMemo(() => markers.filter((m) => m.kind === 'capture').map((m, i) => (
    <ReferenceLine key={`c${i}`} x={m.t} ifOverflow="hidden" zIndex={440} shape={(p: object) => <CaptureLine {...p} marker={m} fontPx={fontPx} />} />
  )), [markers, fontPx]);

  const tooltipContent = useCallback((p: { active?: boolean; label?: unknown }) => (
    hovered && !sel && p.active && p.label !== undefined
      ? <ChartTooltip t={Number(p.label)} unit={unit} series={series} markers={markers} tolerance={tolerance} />
      : null
  ), [hovered, sel, unit, series, markers, tolerance]);

  return (
    <div
      ref={wrap}
      className={styles.chart}
      style={{ height }}
      onPointerDown={onPointerDown}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      data-testid="chart"
      data-stale={stale || undefined}
      role="img"
      aria-label={`${title}: chart, drag across it to zoom in${onPick ? ', click to pick a minute' : ''}`}
    >
      {width > 0 ? (
        <LineChart width={width} height={height} margin={margin} syncId={syncId} syncMethod={syncByTime} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={xDomain}
            allowDataOverflow
            ticks={xTicks}
            tickFormatter={xFormat}
            stroke="var(--border-strong)"
            tickLine={false}
            tick={tickStyle}
            height={fontPx + 12}
            minTickGap={8}
          />
          <YAxis
            width={yAxisWidth}
            type="number"
            domain={yDomain}
            ticks={yTicks}
            allowDataOverflow
            tickFormatter={yFormat}
            axisLine={false}
            tickLine={false}
            tick={tickStyle}
            interval={0}
          />
          {findingAreas}
          {thresholdLines}
          {lines}
          {annotationMarks}
          {captureLines}
          {restartLines}
          {sel ? <ReferenceArea x1={Math.min(sel.a, sel.b)} x2={Math.max(sel.a, sel.b)} fill="var(--accent)" fillOpacity={0.18} stroke="var(--accent)" strokeOpacity={0.7} ifOverflow="hidden" /> : null}
          <Tooltip isAnimationActive={false} cursor={CURSOR} allowEscapeViewBox={ESCAPE} wrapperStyle={WRAPPER} offset={18} content={tooltipContent} />
        </LineChart>
      ) : null}
    </div>
  );
});
