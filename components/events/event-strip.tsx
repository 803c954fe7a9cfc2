'use client';
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useElementWidth } from '@/components/timeline/use-element-width';
import { formatCount } from '@/lib/format/number';
import { formatUtc, utcClock } from '@/lib/format/time';
import { formatTimeTick, timeStep, utcTimeTicks } from '@/lib/format/time-axis';
import type { Events } from '@/lib/query/events';
import styles from './events.module.css';

export interface EventStripProps {
  strip: Events['strip'];
  storms: Events['storms'];
  selection: Events['selection'];
  now: number;
  /** A click selects one bar, a drag a span of bars; null clears. */
  onSelect: (sel: { from: number; to: number } | null) => void;
}

const HEIGHT = 104;
const AXIS = 18;
const BAND = 5;

/**
 * Events per minute (or per step on long ranges), Warning stacked over Normal, on the same UTC time
 * axis as the timeline's charts. Click a bar to list its events; drag across bars for a span;
 * click the selection again (or Esc) to clear it.
 */
export function EventStrip({ strip, storms, selection, now, onSelect }: EventStripProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const [hover, setHover] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const span = Math.max(1, strip.to - strip.from);
  const x = (t: number) => ((t - strip.from) / span) * width;
  const tAt = (px: number) => strip.from + (Math.min(Math.max(px, 0), width) / Math.max(1, width)) * span;
  const bucketAt = (t: number) => Math.floor(t / strip.step) * strip.step;
  const barW = Math.max(1, (strip.step / span) * width - (width / strip.buckets.length > 4 ? 1 : 0));
  const plotH = HEIGHT - AXIS - BAND - 2;
  const y = (n: number) => (strip.max > 0 ? (n / strip.max) * plotH : 0);
  const ticks = width > 0 ? utcTimeTicks(strip.from, strip.to, Math.max(2, Math.floor(width / 90))) : [];
  const tickStep = timeStep(strip.from, strip.to, Math.max(2, Math.floor(width / 90)));

  const px = (e: ReactPointerEvent) => e.clientX - (box.current?.getBoundingClientRect().left ?? 0);
  const onDown = (e: ReactPointerEvent) => {
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const t = tAt(px(e));
    setDrag({ a: t, b: t });
  };
  const onMove = (e: ReactPointerEvent) => {
    const t = tAt(px(e));
    setHover(bucketAt(t));
    if (drag) setDrag({ ...drag, b: t });
  };
  const onUp = () => {
    if (!drag) return;
    const a = bucketAt(Math.min(drag.a, drag.b));
    const b = bucketAt(Math.max(drag.a, drag.b)) + strip.step;
    setDrag(null);
    if (selection && selection.from === a && selection.to === b) onSelect(null);
    else onSelect({ from: a, to: b });
  };

  const hovered = hover === null ? undefined : strip.buckets.find((b) => b.t === hover);
  const sel = drag ? { from: bucketAt(Math.min(drag.a, drag.b)), to: bucketAt(Math.max(drag.a, drag.b)) + strip.step } : selection;
  const stepLabel = strip.step === 60_000 ? 'per minute' : `per ${Math.round(strip.step / 60_000)} minutes`;

  return (
    <div className={styles.stripWrap} data-testid="event-strip" data-step={strip.step}>
      <div className={styles.stripHead}>
        <span className={styles.stripTitle}>Events {stepLabel}</span>
        <span className={styles.legend}><i className={styles.swWarning} /> Warning <i className={styles.swNormal} /> Normal {storms.length ? <><i className={styles.swStorm} /> storm</> : null}</span>
        <span className={`${styles.faint} num`}>busiest {strip.step === 60_000 ? 'minute' : 'bar'}: {formatCount(strip.max)} · click a bar to list its events · drag for a span</span>
      </div>
      <div
        ref={box}
        className={styles.strip}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerLeave={() => setHover(null)}
        onKeyDown={(e) => { if (e.key === 'Escape' && selection) onSelect(null); }}
        tabIndex={0}
        role="group"
        aria-label={`Events ${stepLabel}; ${formatCount(strip.buckets.reduce((n, b) => n + b.normal + b.warning + b.other, 0))} in the range`}
      >
        {width > 0 ? (
          <svg width={width} height={HEIGHT} aria-hidden="true">
            {storms.map((s) => (
              <rect key={`${s.id}-${s.from}`} x={x(s.from)} y={0} width={Math.max(2, x(s.to) - x(s.from))} height={BAND}
                className={s.severity === 'critical' ? styles.stormCrit : styles.stormWarn}><title>{s.title}</title></rect>
            ))}
            {sel ? <rect x={x(sel.from)} y={BAND} width={Math.max(2, x(sel.to) - x(sel.from))} height={plotH + 2} className={styles.selection} /> : null}
            {strip.buckets.map((b) => {
              const normal = y(b.normal + b.other);
              const warn = y(b.warning);
              const bx = x(b.t);
              const base = BAND + 2 + plotH;
              return (
                <g key={b.t} className={hover === b.t ? styles.barHover : sel && (b.t + strip.step <= sel.from || b.t >= sel.to) ? styles.barDim : undefined}>
                  {normal > 0 ? <rect x={bx} y={base - normal} width={barW} height={Math.max(1, normal)} className={styles.barNormal} /> : null}
                  {warn > 0 ? <rect x={bx} y={base - normal - warn} width={barW} height={Math.max(1, warn)} className={styles.barWarning} /> : null}
                </g>
              );
            })}
            <line x1={0} x2={width} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} className={styles.axisLine} />
            {ticks.map((t) => (
              <g key={t} transform={`translate(${x(t)},${HEIGHT - AXIS})`}>
                <line y2={4} className={styles.axisLine} />
                <text y={14} textAnchor="middle" className={styles.tick}>{formatTimeTick(t, tickStep)}</text>
              </g>
            ))}
          </svg>
        ) : null}
        {hovered && !drag ? (
          <div className={styles.stripTip} style={{ left: Math.min(Math.max(0, x(hovered.t) - 90), Math.max(0, width - 240)) }} data-testid="strip-tooltip">
            <strong className="num">{utcClock(hovered.t, false)}–{utcClock(hovered.t + strip.step, false)} UTC</strong>
            <span className="num">{formatCount(hovered.warning)} Warning · {formatCount(hovered.normal + hovered.other)} Normal{hovered.occurrences > hovered.warning + hovered.normal + hovered.other ? ` · ${formatCount(hovered.occurrences)} occurrences` : ''}</span>
            {hovered.reasons.map((r) => <span key={`${r.type}-${r.reason}`} className={styles.tipReason}><i className={r.type === 'Warning' ? styles.swWarning : styles.swNormal} />{r.reason} <b className="num">{r.n}</b></span>)}
          </div>
        ) : null}
      </div>
      {selection ? (
        <p className={styles.selLine} data-testid="strip-selection">
          Listing {formatUtc(selection.from, now)} – {utcClock(selection.to, false)} UTC only.{' '}
          <button type="button" className={styles.linkButton} onClick={() => onSelect(null)}>Show the whole range</button>
        </p>
      ) : null}
    </div>
  );
}
