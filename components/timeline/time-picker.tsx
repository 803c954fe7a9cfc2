'use client';
import { type FormEvent, useCallback, useId, useRef, useState } from 'react';
import { useDismiss } from '@/components/ui/use-dismiss';
import { ChevronDownIcon, ClockIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { QUICK_RANGES } from '@/lib/timeline/time-range';
import { fromUtcInput, rangeLabel, REFRESH_OPTIONS, toUtcInput, type RefreshOption } from './url-state';
import styles from './timeline.module.css';

export interface TimePickerProps {
  exprs: { from: string; to: string };
  /** The range as last answered by the server (ms), for the label and the inputs. */
  resolved: { from: number; to: number } | null;
  refresh: RefreshOption;
  /** A live cluster: auto-refresh makes sense (a bundle never changes). */
  live: boolean;
  /** A request is in flight. */
  busy: boolean;
  onRange: (r: { from: string; to: string }) => void;
  onZoomOut: () => void;
  onRefresh: (r: RefreshOption) => void;
}

function ZoomOutIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="4.8" /><path d="M10.6 10.6L14 14M4.9 7h4.2" />
    </svg>
  );
}

/** Grafana's time picker: quick ranges, an absolute range in UTC, zoom out, auto-refresh. */
export function TimePicker({ exprs, resolved, refresh, live, busy, onRange, onZoomOut, onRefresh }: TimePickerProps) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popId = useId();

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, root, button);

  const toggle = () => {
    if (!open && resolved) setDraft({ from: toUtcInput(resolved.from), to: toUtcInput(resolved.to) });
    setError(null);
    setOpen((o) => !o);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const f = fromUtcInput(draft.from);
    const t = fromUtcInput(draft.to);
    if (f === null || t === null) { setError('Enter both times as year-month-day hour:minute:second (UTC).'); return; }
    if (f >= t) { setError('The range must end after it starts.'); return; }
    setOpen(false);
    onRange({ from: String(f), to: String(t) });
  };

  const label = resolved ? rangeLabel(exprs, resolved) : `${exprs.from} → ${exprs.to}`;
  const following = live && refresh !== 'off' && exprs.to === 'now';

  return (
    <div className={styles.picker} ref={root} data-testid="time-picker">
      <button type="button" className={styles.toolButton} onClick={onZoomOut} title="Zoom out: twice the time range" data-testid="zoom-out">
        <ZoomOutIcon /><span>Zoom out</span>
      </button>
      <div className={styles.rangeWrap}>
        <button
          ref={button}
          type="button"
          className={cx(styles.toolButton, styles.rangeButton)}
          aria-expanded={open}
          aria-controls={popId}
          onClick={toggle}
          data-testid="range-button"
        >
          <ClockIcon size={16} />
          <span className={cx(styles.rangeLabel, 'num')}>{label}</span>
          <ChevronDownIcon size={14} />
        </button>
        {open ? (
          <div id={popId} className={styles.pickerPopover} role="dialog" aria-label="Time range">
            <form className={styles.absolute} onSubmit={apply}>
              <p className={styles.popTitle}>Absolute range <span className={styles.utcTag}>UTC</span></p>
              <label className={styles.field}>
                <span>From</span>
                <input type="datetime-local" step={1} value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} data-testid="range-from" />
              </label>
              <label className={styles.field}>
                <span>To</span>
                <input type="datetime-local" step={1} value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} data-testid="range-to" />
              </label>
              {error ? <p className={styles.fieldError} role="alert">{error}</p> : null}
              <button type="submit" className={styles.applyButton} data-testid="range-apply">Apply time range</button>
            </form>
            <div className={styles.quick}>
              <p className={styles.popTitle}>Quick ranges</p>
              <ul className={styles.quickList}>
                {QUICK_RANGES.map((r) => {
                  const active = exprs.from === r.from && exprs.to === 'now';
                  return (
                    <li key={r.from}>
                      <button
                        type="button"
                        className={cx(styles.quickItem, active && styles.quickActive)}
                        aria-current={active || undefined}
                        onClick={() => { setOpen(false); onRange({ from: r.from, to: 'now' }); }}
                      >
                        {r.label}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          </div>
        ) : null}
      </div>
      <label className={cx(styles.toolButton, styles.refresh)} title={live ? 'Auto-refresh' : 'A recorded bundle does not change: nothing to refresh'}>
        <span className={cx(styles.liveDot, following && styles.liveDotOn, busy && styles.liveDotBusy)} aria-hidden="true" />
        <span className="visually-hidden">Auto-refresh</span>
        <select value={refresh} onChange={(e) => onRefresh(e.target.value as RefreshOption)} data-testid="refresh-select" aria-label="Auto-refresh">
          {REFRESH_OPTIONS.map((o) => <option key={o} value={o}>{o === 'off' ? 'Refresh off' : `Every ${o}`}</option>)}
        </select>
      </label>
    </div>
  );
}
