'use client';
import { Card } from '@/components/ui/card';
import { formatCount } from '@/lib/format/number';
import { useCaptureDiff } from '@/lib/query/runtime';
import { shortFunction } from './goroutine-rows';
import { formatSampleValue } from './value-format';
import styles from './runtime.module.css';

export interface DiffPanelProps { clusterId: string; base: number; next: number; sampleIndex?: string; onClose: () => void }

const signed = (n: number, f: (v: number) => string) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${f(Math.abs(n))}`;

/** What changed between two captures of one kind: goroutine groups that grew/appeared, or heap functions. */
export function DiffPanel({ clusterId, base, next, sampleIndex, onClose }: DiffPanelProps) {
  const q = useCaptureDiff(clusterId, base, next, sampleIndex);
  const d = q.data;
  const close = <button type="button" className={`${styles.button} ${styles.small}`} onClick={onClose}>Close</button>;
  if (q.isError) return <Card id="capture-diff" title={`Diff #${base} → #${next}`} aside={close}><p className={styles.empty}>{q.error.message}</p></Card>;
  if (!d) return <Card id="capture-diff" title={`Diff #${base} → #${next}`} aside={close}><p className={styles.empty}>Comparing…</p></Card>;
  if (d.kind === 'goroutine') {
    const delta = d.totalAfter - d.totalBefore;
    const section = (title: string, list: typeof d.grew) => list.length ? (
      <>
        <h3 className={styles.diffSection}>{title}</h3>
        <ul className={styles.diffList}>
          {list.slice(0, 15).map((c) => (
            <li key={c.stackKey}>
              <span className={c.delta > 0 ? styles.up : styles.down}>{signed(c.delta, formatCount)}</span>
              <span className="num">{c.before} → {c.after} {c.state ?? ''}</span>
              <span className={styles.fn} title={c.function ?? undefined}>{shortFunction(c.function)}</span>
            </li>
          ))}
        </ul>
      </>
    ) : null;
    return (
      <Card id="capture-diff" title={`Goroutines #${base} → #${next}`} testId="capture-diff"
        aside={<span className="num">{d.totalBefore} → {d.totalAfter} ({signed(delta, formatCount)}) {close}</span>}>
        {section('Grew', d.grew)}{section('Appeared', d.appeared)}{section('Shrank', d.shrank)}{section('Disappeared', d.disappeared)}
        {!d.grew.length && !d.appeared.length && !d.shrank.length && !d.disappeared.length ? <p className={styles.empty}>No change.</p> : null}
      </Card>
    );
  }
  const f = (v: number) => formatSampleValue(v, d.unit);
  return (
    <Card id="capture-diff" title={`Heap #${base} → #${next} (${d.sampleIndex})`} testId="capture-diff"
      aside={<span className="num">{f(d.baseTotal)} → {f(d.newTotal)} ({signed(d.totalDelta, f)}) {close}</span>}>
      <ul className={styles.diffList}>
        {d.rows.slice(0, 30).map((r) => (
          <li key={r.function}>
            <span className={r.flatDelta > 0 ? styles.up : styles.down}>{signed(r.flatDelta, f)}</span>
            <span className="num">{r.status}</span>
            <span className={styles.fn} title={r.function}>{shortFunction(r.function)}</span>
          </li>
        ))}
      </ul>
      {!d.rows.length ? <p className={styles.empty}>No change.</p> : null}
    </Card>
  );
}
