import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Meter } from '@/components/ui/meter';
import { cx } from '@/components/ui/tone';
import { formatBytes, formatPercent } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import type { EtcdUsage } from './figures';
import styles from './overview.module.css';

export interface StatTileProps {
  label: string;
  /** Which process the figure belongs to. */
  source: string;
  value: string;
  unit?: string;
  /** The metric the figure is read from, for checking it elsewhere (Prometheus, curl). */
  metric?: string;
  /** Set when the figure is old: the value is dimmed and labelled with its time. */
  asOf?: string;
  children?: ReactNode;
  wide?: boolean;
  testId?: string;
}

export function StatTile({ label, source, value, unit, metric, asOf, children, wide, testId }: StatTileProps) {
  const missing = value === '—';
  return (
    <section className={cx(styles.tile, wide && styles.tileWide)} aria-label={label} data-testid={testId}>
      <header className={styles.tileHead}>
        <h2 className={styles.tileLabel}>{label}</h2>
        {asOf ? <Badge tone="warn" title="Out of date: the last value seen, time in UTC">as of {asOf}</Badge>
          : <span className={styles.tileSource}>{source}</span>}
      </header>
      <p className={cx(styles.tileValue, (missing || asOf) && styles.tileValueMuted, 'num')}>
        {value}
        {unit ? <span className={styles.tileUnit}>{unit}</span> : null}
      </p>
      {missing ? <p className={styles.tileNote}>not scraped yet</p> : children}
      {metric ? <p className={cx(styles.tileMetric, 'mono')}>{metric}</p> : null}
    </section>
  );
}

/** A byte size as value and unit, so the unit can be set smaller: "274" "MiB". */
function splitBytes(n: number | null): { value: string; unit?: string } {
  const s = formatBytes(n);
  const i = s.lastIndexOf(' ');
  return i < 0 ? { value: s } : { value: s.slice(0, i), unit: s.slice(i + 1) };
}

export interface FigureTilesProps {
  goroutines: number | null;
  rss: number | null;
  etcd: EtcdUsage;
  /** The reason to give when the quota is unknown. */
  quotaUnknownReason: string;
  /** "02:13:23" (UTC) when the figures are stale. */
  asOf?: string;
}

export function FigureTiles({ goroutines, rss, etcd, quotaUnknownReason, asOf }: FigureTilesProps) {
  const mem = splitBytes(rss);
  const db = splitBytes(etcd.size);
  return (
    <div className={styles.tiles}>
      <StatTile label="Goroutines" source="kube-apiserver" value={formatCount(goroutines)} metric="go_goroutines" asOf={asOf} testId="tile-goroutines" />
      <StatTile label="Memory (RSS)" source="kube-apiserver" value={mem.value} unit={mem.unit} metric="process_resident_memory_bytes" asOf={asOf} testId="tile-rss" />
      <StatTile
        label="etcd database"
        source={etcd.source === 'etcd' ? 'etcd' : 'as seen by the apiserver'}
        value={db.value}
        unit={db.unit}
        asOf={asOf}
        wide
        testId="tile-etcd"
      >
        {etcd.ratio !== null && etcd.quota !== null ? (
          <div className={styles.quota}>
            <div className={styles.quotaLine}>
              <span>of <strong className="num">{formatBytes(etcd.quota)}</strong> quota</span>
              <strong className={cx(styles.quotaPct, styles[`text-${etcd.tone}`], 'num')}>{formatPercent(etcd.ratio)}</strong>
            </div>
            <Meter ratio={etcd.ratio} tone={etcd.tone} label="etcd database size as a share of its quota" />
            {etcd.inUse !== null && etcd.size ? (
              <p className={styles.tileNote}>
                <span className="num">{formatBytes(etcd.inUse)}</span> in use ({formatPercent(etcd.inUse / etcd.size)} of the file); a defrag would free{' '}
                <span className="num">{formatBytes(Math.max(0, etcd.size - etcd.inUse))}</span>
              </p>
            ) : null}
          </div>
        ) : (
          <p className={cx(styles.tileNote, styles.tileBottom)} data-testid="quota-unknown">quota unknown ({quotaUnknownReason})</p>
        )}
      </StatTile>
    </div>
  );
}
