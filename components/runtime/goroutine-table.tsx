'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Card } from '@/components/ui/card';
import { cx } from '@/components/ui/tone';
import { formatCount } from '@/lib/format/number';
import type { GoroutineAnalysis, GoroutineGroupRow } from '@/lib/query/runtime';
import { EMPTY_FILTER, groupRows, minutesText, shortFunction, stateOptions, type GroupFilter } from './goroutine-rows';
import styles from './runtime.module.css';

export interface GoroutineTableProps {
  analysis: GoroutineAnalysis;
  /** A group to reveal (from a finding's "show stack"); the nonce re-triggers the same group. */
  reveal?: { index: number; nonce: number };
  /** The previous capture is on screen while the selected one parses. */
  stale?: boolean;
}

/** Waits that only end when another goroutine acts (see lib/analysis/goroutine-leaks stateWeight) stand out. */
function stateClass(state: string | null): string | undefined {
  if (state === 'chan send' || state?.startsWith('semacquire') || state?.startsWith('sync.')) return styles.stateHot;
  return undefined;
}

function StackTrace({ g }: { g: GoroutineGroupRow }) {
  return (
    <pre className={styles.stackTrace} data-testid="group-stack">
      {g.frames.map((f, i) => (
        <span key={i}>{shortFunction(f.function)}{'\n'}<span className={styles.stackFile}>{`    ${f.file}:${f.line}`}</span>{'\n'}</span>
      ))}
      {g.createdBy ? <span>created by {shortFunction(g.createdBy.function)}{'\n'}<span className={styles.stackFile}>{`    ${g.createdBy.file}:${g.createdBy.line}`}</span></span> : null}
    </pre>
  );
}

/** The dump's groups, largest first; virtualized (a leaking apiserver has thousands of groups). */
export function GoroutineTable({ analysis: a, reveal, stale }: GoroutineTableProps) {
  const [filter, setFilter] = useState<GroupFilter>(EMPTY_FILTER);
  const [idleOpen, setIdleOpen] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const rows = useMemo(() => groupRows(a, filter, idleOpen), [a, filter, idleOpen]);
  const states = useMemo(() => stateOptions(a.groups), [a.groups]);
  const scroller = useRef<HTMLDivElement>(null);
  // A stable getItemKey: a new one makes the virtualizer rebuild every row's offset on each scroll event.
  const getItemKey = useCallback((i: number) => { const r = rows[i]!; return r.type === 'idle' ? 'idle' : r.index; }, [rows]);
  // The virtualizer's functions change identity on every scroll: React Compiler skips this component, as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 38,
    overscan: 12,
    getItemKey,
  });

  useEffect(() => {
    if (!reveal) return;
    setFilter(EMPTY_FILTER);
    setOpen((s) => new Set(s).add(reveal.index));
    if (a.groups[reveal.index]?.idle) setIdleOpen(true);
  }, [reveal, a.groups]);
  useEffect(() => {
    if (!reveal) return;
    const i = rows.findIndex((r) => r.type === 'group' && r.index === reveal.index);
    if (i >= 0) {
      v.scrollToIndex(i, { align: 'start' });
      scroller.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  // Only when asked to reveal; rows change with the filter reset above.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal, rows.length]);

  const toggle = (i: number) => setOpen((s) => { const n = new Set(s); if (n.has(i)) n.delete(i); else n.add(i); return n; });
  const shown = rows.reduce((n, r) => n + (r.type === 'group' ? r.group.count : 0), 0);

  return (
    <div data-testid="goroutine-panel" data-capture-id={a.id} data-stale={stale ? 'true' : 'false'} style={{ opacity: stale ? 0.6 : 1 }}>
    <Card id="goroutine-groups" title="Goroutine groups" testId="goroutine-groups"
      aside={<span className="num">{formatCount(a.total)} goroutines · {formatCount(a.groupCount)} groups{a.truncatedGroups ? ` (top ${a.groups.length} shown)` : ''}</span>}>
      <div className={styles.filters}>
        <input className={cx(styles.input, styles.inputWide)} type="search" placeholder="Filter by function, creator or frame…" aria-label="Filter by function"
          value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} data-testid="group-filter" />
        <select className={styles.select} aria-label="State" value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value })}>
          <option value="">All states</option>
          {states.map((s) => <option key={s.state} value={s.state}>{s.state} ({formatCount(s.count)})</option>)}
        </select>
        <label className={styles.note}>
          waiting ≥{' '}
          <input className={cx(styles.input, styles.inputNarrow)} type="number" min={0} value={filter.minMinutes || ''} placeholder="0"
            onChange={(e) => setFilter({ ...filter, minMinutes: Math.max(0, Number(e.target.value) || 0) })} aria-label="Minimum minutes waiting" /> min
        </label>
        <span className={cx(styles.note, 'num')}>{formatCount(shown)} goroutines in {rows.filter((r) => r.type === 'group').length} rows</span>
      </div>
      <div className={styles.gridHead} aria-hidden="true"><span style={{ textAlign: 'right' }}>Count</span><span>State</span><span>Minutes</span><span>Function</span><span>Created by</span></div>
      <div ref={scroller} className={styles.scroller} role="list" aria-label="Goroutine groups" data-testid="group-scroller">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={v.measureElement} role="listitem" className={styles.rowWrap}
                data-expanded={r.type === 'group' && open.has(r.index)}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}>
                {r.type === 'idle' ? (
                  <button type="button" className={cx(styles.gridRow, styles.idleRow)} onClick={() => setIdleOpen(!idleOpen)} aria-expanded={r.expanded} data-testid="idle-row">
                    <span className={styles.count}>{formatCount(r.goroutines)}</span>
                    <span>idle</span>
                    <span />
                    <span>{r.expanded ? '▾' : '▸'} {r.groups} small idle groups folded: {r.byState.slice(0, 4).map((s) => `${s.state} ${s.goroutines}`).join(', ')}</span>
                    <span>{r.expanded ? 'click to fold' : 'click to expand'}</span>
                  </button>
                ) : (
                  <>
                    <button type="button" className={styles.gridRow} onClick={() => toggle(r.index)} aria-expanded={open.has(r.index)} data-testid="group-row">
                      <span className={styles.count}>{formatCount(r.group.count)}</span>
                      <span>{r.group.state !== null
                        ? <span className={cx(styles.stateChip, stateClass(r.group.state))}>{r.group.state}{r.group.lockedToThread ? ' 🔒' : ''}</span>
                        : <span className={styles.muted} title="debug=1 dumps do not print wait states">—</span>}</span>
                      <span className={cx('num', styles.muted)}>{minutesText(r.group.minutes, r.group.state)}</span>
                      <span className={styles.fn} title={r.group.function ?? undefined}>{shortFunction(r.group.function)}</span>
                      <span className={cx(styles.fn, styles.muted)} title={r.group.createdBy?.function}>{shortFunction(r.group.createdBy?.function)}</span>
                    </button>
                    {open.has(r.index) ? <StackTrace g={r.group} /> : null}
                  </>
                )}
              </div>
            );
          })}
        </div>
        {rows.length === 0 ? <p className={styles.empty}>No group matches the filter.</p> : null}
      </div>
    </Card>
    </div>
  );
}
