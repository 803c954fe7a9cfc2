'use client';
import { useMemo, useState } from 'react';
import { Card } from '@/components/ui/card';
import { cx } from '@/components/ui/tone';
import { formatCount } from '@/lib/format/number';
import type { HeapAnalysis } from '@/lib/query/runtime';
import { FlameCanvas } from './flame-canvas';
import { toFlameGraph } from './flame-data';
import { shortFunction } from './goroutine-rows';
import { formatPct, formatSampleValue } from './value-format';
import styles from './runtime.module.css';

export interface HeapPanelProps {
  analysis: HeapAnalysis;
  onSampleIndex: (name: string) => void;
  /** Order the top by flat (pprof's default) or by cum (pprof -cum); the server cuts the rows in that order. */
  onSort: (sort: 'flat' | 'cum') => void;
  /** The previous sample type's data is on screen while the next loads. */
  stale?: boolean;
}

/** A heap profile: sample type, `pprof -top` and the flame graph (click to zoom, search to highlight). */
export function HeapPanel({ analysis: a, onSampleIndex, onSort, stale }: HeapPanelProps) {
  const graph = useMemo(() => toFlameGraph(a.flame, { type: a.sampleIndex, unit: a.unit }), [a.flame, a.sampleIndex, a.unit]);
  const [search, setSearch] = useState('');
  const [zoom, setZoom] = useState(0);
  const [graphOf, setGraphOf] = useState(graph);
  if (graphOf !== graph) { setGraphOf(graph); setZoom(0); } // a new profile or sample type starts zoomed out

  return (
    <div className={styles.heapGrid} style={{ opacity: stale ? 0.6 : 1 }} data-testid="heap-panel" data-capture-id={a.id} data-stale={stale ? 'true' : 'false'}>
      <Card id="heap-flame" title="Heap flame graph" testId="heap-flame"
        aside={<span className="num">{formatSampleValue(a.total, a.unit)} {a.sampleIndex} · {formatCount(a.flameNodes)} frames{a.flame.merged ? ` (${formatCount(a.flame.merged)} small ones merged)` : ''}</span>}>
        <div className={styles.flameTools}>
          <label className={styles.note}>
            Sample type{' '}
            <select className={styles.select} value={a.sampleIndex} onChange={(e) => onSampleIndex(e.target.value)} aria-label="Sample type" data-testid="sample-type">
              {a.sampleTypes.map((t) => <option key={t.type} value={t.type}>{t.type} ({t.unit})</option>)}
            </select>
          </label>
          <input className={cx(styles.input, styles.inputWide)} type="search" placeholder="Search frames (highlights matches)…" aria-label="Search frames"
            value={search} onChange={(e) => setSearch(e.target.value)} data-testid="flame-search" />
          <button type="button" className={styles.button} onClick={() => setZoom(0)} disabled={zoom === 0}>Reset zoom</button>
        </div>
        <FlameCanvas graph={graph} unit={a.unit} search={search} zoom={zoom} onZoom={setZoom} />
      </Card>
      <Card id="heap-top" title="Top functions" aside={<span className="num">pprof -top{a.sort === 'cum' ? ' -cum' : ''} · {a.top.length} rows</span>} testId="heap-top">
        <div className={styles.topTableWrap}>
          <table className={styles.topTable} aria-label="Top functions" data-sort={a.sort}>
            <thead>
              <tr>
                <SortHeader label="flat" active={a.sort === 'flat'} onClick={() => onSort('flat')} hint="memory allocated in the function itself" />
                <th>flat%</th><th>sum%</th>
                <SortHeader label="cum" active={a.sort === 'cum'} onClick={() => onSort('cum')} hint="memory held under the function and everything it called" />
                <th>cum%</th><th>function</th>
              </tr>
            </thead>
            <tbody>
              {a.top.map((r) => (
                <tr key={r.function} onClick={() => setSearch(r.function)} title="Highlight in the flame graph">
                  <td>{formatSampleValue(r.flat, a.unit)}</td><td>{formatPct(r.flatPct)}</td><td>{formatPct(r.sumPct)}</td>
                  <td>{formatSampleValue(r.cum, a.unit)}</td><td>{formatPct(r.cumPct)}</td><td>{shortFunction(r.function)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

/** A column the top can be ordered by: a button in the header, with aria-sort on the cell. */
function SortHeader({ label, active, onClick, hint }: { label: string; active: boolean; onClick: () => void; hint: string }) {
  return (
    <th aria-sort={active ? 'descending' : 'none'}>
      <button type="button" className={styles.sortButton} onClick={onClick} disabled={active} data-active={active}
        title={active ? `Ordered by ${label} (${hint})` : `Order by ${label}: ${hint}`}>
        {label}{active ? ' ▾' : ''}
      </button>
    </th>
  );
}
