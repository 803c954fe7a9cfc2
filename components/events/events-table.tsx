'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { cx } from '@/components/ui/tone';
import { stormOf } from '@/lib/events/storms';
import { formatCount } from '@/lib/format/number';
import { formatUtc, formatUtcShort } from '@/lib/format/time';
import type { EventGroupData, EventRowData, StormData } from '@/lib/query/events';
import styles from './events.module.css';

export interface EventsTableProps {
  rows: EventRowData[];
  storms: StormData[];
  now: number;
  onObject: (o: { kind: string; namespace: string; name: string }) => void;
}

function objectLabel(o: { kind: string; namespace: string; name: string }): string {
  return o.namespace ? `${o.namespace}/${o.name}` : o.name;
}

/** Every matching event, newest first; virtualized (100k rows scroll like 100). Click a row for its details. */
export function EventsTable({ rows, storms, now, onObject }: EventsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<string | null>(null);
  const inStorm = useMemo(() => rows.map((r) => stormOf(r, storms)), [rows, storms]);
  // Rows are one line each, all of one height, measured once from a rendered row (it follows the
  // font size); only the expanded row is measured by the virtualizer. Measuring every row as it
  // appears made each new row re-derive the offsets of all rows after it: at 100k rows, a fling
  // through the list spent 200 ms frames on that (the 100k-row browser test).
  const [rowPx, setRowPx] = useState(36);
  // Stable functions: a new getItemKey makes the virtualizer rebuild the offsets of every row (its
  // measurements are memoized on it), which on each scroll event cost 100k objects at 100k rows: the
  // mouse wheel ran at 12 frames a second (the 100k-row browser test).
  const estimateSize = useCallback(() => rowPx, [rowPx]);
  const getItemKey = useCallback((i: number) => rows[i]!.uid, [rows]);
  const getScrollElement = useCallback(() => scroller.current, []);
  // The virtualizer's functions change identity on every scroll: React Compiler skips this component, as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({ count: rows.length, getScrollElement, estimateSize, overscan: 8, getItemKey });
  useLayoutEffect(() => {
    const first = scroller.current?.querySelector<HTMLElement>('[data-testid="event-row"]:not([data-expanded="true"])');
    const h = first?.getBoundingClientRect().height;
    if (h && Math.abs(h - rowPx) > 0.1) setRowPx(h);
  }, [rows, rowPx]);
  // A new height, or a row opened or closed: forget measured sizes (the closed row's among them).
  useLayoutEffect(() => { v.measure(); }, [v, rowPx, open]);

  return (
    <div className={styles.table} data-testid="events-table">
      <div className={cx(styles.row, styles.head)} aria-hidden="true">
        <span>Last seen</span><span>Type</span><span>Reason</span><span>Object</span><span>Message</span><span className={styles.right}>Count</span><span>Component</span>
      </div>
      <div ref={scroller} className={styles.scroller} role="list" aria-label="Events" data-testid="events-scroller">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            const storm = inStorm[item.index];
            const expanded = open === r.uid;
            return (
              <div key={item.key} data-index={item.index} ref={expanded ? v.measureElement : undefined} role="listitem" data-testid="event-row" data-uid={r.uid} data-expanded={expanded}
                className={cx(styles.rowWrap, storm && (storm.severity === 'critical' ? styles.inStormCrit : styles.inStormWarn))}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}>
                <button type="button" className={styles.row} onClick={() => setOpen(expanded ? null : r.uid)} aria-expanded={expanded}
                  title={storm ? `Part of a storm: ${storm.title}` : undefined}>
                  <span className="num">{formatUtcShort(r.lastTimestamp, now)}</span>
                  <span><span className={cx(styles.type, r.type === 'Warning' ? styles.typeWarning : styles.typeNormal)}>{r.type}</span></span>
                  <span className={styles.reason}><span className={styles.ellipsis} title={r.reason}>{r.reason}</span>{storm ? <span className={styles.stormTag} aria-label={`storm: ${storm.title}`}>storm</span> : null}</span>
                  <span className={styles.ellipsis}><span className={styles.kind}>{r.object.kind}</span> {objectLabel(r.object)}</span>
                  <span className={cx(styles.ellipsis, styles.message)}>{r.message}</span>
                  <span className={cx(styles.right, 'num', r.count > 1 && styles.strong)}>{formatCount(r.count)}</span>
                  <span className={cx(styles.ellipsis, styles.muted)}>{r.component}</span>
                </button>
                {expanded ? (
                  <div className={styles.detail} data-testid="event-detail">
                    <p className={styles.fullMessage}>{r.message || <em className={styles.muted}>(no message)</em>}</p>
                    <dl className={styles.facts}>
                      <div><dt>First seen</dt><dd className="num">{formatUtc(r.firstTimestamp, now)}</dd></div>
                      <div><dt>Last seen</dt><dd className="num">{formatUtc(r.lastTimestamp, now)}</dd></div>
                      <div><dt>Object</dt><dd>{r.object.kind} {objectLabel(r.object)} <button type="button" className={styles.linkButton} onClick={() => onObject(r.object)}>only this object</button></dd></div>
                      <div><dt>uid</dt><dd className="num">{r.uid}</dd></div>
                    </dl>
                    {storm ? <p className={styles.stormNote}><strong>{storm.title}.</strong> {storm.explanation}</p> : null}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export interface GroupsTableProps {
  groups: EventGroupData[];
  now: number;
  onObject: (o: { kind: string; namespace: string; name: string }) => void;
}

/** One row per involved object: which pods, which nodes. Click to list that object's events. */
export function GroupsTable({ groups, now, onObject }: GroupsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({ count: groups.length, getScrollElement: () => scroller.current, estimateSize: () => 36, overscan: 16 });
  return (
    <div className={styles.table} data-testid="groups-table">
      <div className={cx(styles.groupRow, styles.head)} aria-hidden="true">
        <span>Object</span><span className={styles.right}>Events</span><span className={styles.right}>Warnings</span><span className={styles.right}>Occurrences</span><span>Reasons</span><span>First seen</span><span>Last seen</span>
      </div>
      <div ref={scroller} className={styles.scroller} role="list" aria-label="Objects">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const g = groups[item.index]!;
            return (
              <div key={item.key} role="listitem" className={styles.rowWrap} data-testid="group-row"
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: item.size, transform: `translateY(${item.start}px)` }}>
                <button type="button" className={styles.groupRow} onClick={() => onObject(g)} title="List this object's events">
                  <span className={styles.ellipsis}><span className={styles.kind}>{g.kind}</span> {objectLabel(g)}</span>
                  <span className={cx(styles.right, 'num', styles.strong)}>{formatCount(g.events)}</span>
                  <span className={cx(styles.right, 'num', g.warnings > 0 && styles.warnText)}>{formatCount(g.warnings)}</span>
                  <span className={cx(styles.right, 'num')}>{formatCount(g.occurrences)}</span>
                  <span className={styles.ellipsis}>{g.reasons.join(', ')}</span>
                  <span className="num">{formatUtcShort(g.firstTimestamp, now)}</span>
                  <span className="num">{formatUtcShort(g.lastTimestamp, now)}</span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
