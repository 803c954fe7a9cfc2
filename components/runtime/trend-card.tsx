'use client';
import { Card } from '@/components/ui/card';
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import { useRuntimeTrend, type CaptureSummary } from '@/lib/query/runtime';
import { cx } from '@/components/ui/tone';
import { formatDuration } from '@/lib/format/duration';
import { captureTicks, dataDomain, sparkline } from './trend-data';
import styles from './runtime.module.css';

export interface TrendCardProps {
  clusterId: string;
  bundle: boolean;
  captures: CaptureSummary[];
}

const W = 400;
const H = 60;

/** apiserver goroutines and RSS over the last hour (a bundle: its last hour), with capture times marked. */
export function TrendCard({ clusterId, bundle, captures }: TrendCardProps) {
  const q = useRuntimeTrend(clusterId, { from: 'now-1h', to: 'now' }, bundle);
  const data = q.data;
  const series = data ? ['apiserver-goroutines', 'apiserver-memory'].map((id) => data.panels.find((p) => p.id === id)?.result.series.find((s) => s.style === 'line')) : [];
  const domain = data ? dataDomain(series.map((s) => ({ points: s?.points ?? [] })), data.from, data.to) : null;
  const rows = data && domain ? [
    { id: 'apiserver-goroutines', label: 'Goroutines', fmt: (v: number) => formatCount(v) },
    { id: 'apiserver-memory', label: 'RSS', fmt: (v: number) => formatBytes(v) },
  ].map((r, i) => ({
    ...r,
    line: sparkline(series[i]?.points ?? [], domain.from, domain.to, W, H),
    empty: data.panels.find((p) => p.id === r.id)?.result.empty,
  })) : [];
  const ticks = domain ? captureTicks(captures, domain.from, domain.to, W) : [];
  return (
    <Card id="runtime-trend" title="apiserver trend" testId="runtime-trend"
      aside={domain ? `last ${formatDuration(domain.to - domain.from)} · ${ticks.length} capture${ticks.length === 1 ? '' : 's'}` : undefined}>
      {q.isError ? <p className={styles.empty}>Trend unavailable: {q.error.message}</p> : !data ? <p className={styles.empty}>Loading…</p> : (
        <div className={styles.trend}>
          {rows.map((r) => (
            <div key={r.id} className={styles.trendRow}>
              <div className={styles.trendLabel}>{r.label}<strong>{r.line.last !== null ? r.fmt(r.line.last) : '—'}</strong></div>
              <svg className={styles.trendSvg} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${r.label} over the last hour`}>
                {ticks.map((t) => <line key={t.id} x1={t.x} x2={t.x} y1={0} y2={H} className={cx(styles.trendTick, t.kind === 'heap' && styles.trendTickHeap)} />)}
                {r.line.path ? <path d={r.line.path} className={styles.trendLine} /> : null}
                {!r.line.path ? <text x={W / 2} y={H / 2} textAnchor="middle" fill="currentColor" fontSize="11" opacity="0.6">{r.empty ?? 'no samples'}</text> : null}
              </svg>
            </div>
          ))}
          <div className={styles.legend}>
            <span><span className={styles.legendSwatch} />goroutine dump</span>
            <span><span className={cx(styles.legendSwatch, styles.legendHeap)} />heap profile</span>
          </div>
        </div>
      )}
    </Card>
  );
}
