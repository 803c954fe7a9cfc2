'use client';
import { Card } from '@/components/ui/card';
import { formatBytes, formatPercent } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import type { AuditSummaryData, AuditTopDim } from '@/lib/query/audit';
import { AUDIT_DIMS } from '@/lib/query/audit';
import styles from './audit.module.css';

const LABELS: Record<AuditTopDim, string> = { userAgent: 'User agents', user: 'Users', verb: 'Verbs', resource: 'Resources', namespace: 'Namespaces', sourceIP: 'Source IPs' };

export interface TopCardProps {
  data: AuditSummaryData;
  tab: AuditTopDim;
  by: 'events' | 'bytes';
  onTab: (t: AuditTopDim) => void;
  onBy: (b: 'events' | 'bytes') => void;
}

/** Who and what writes the log: top keys of one dimension, by events or by bytes. */
export function TopCard({ data, tab, by, onTab, onBy }: TopCardProps) {
  const rows = data.top[tab];
  const total = data.total;
  const max = Math.max(1, ...rows.map((r) => (by === 'bytes' ? r.bytes : r.events)));
  return (
    <Card id="audit-top" title="Top talkers" testId="audit-top">
      <div className={styles.tabs}>
        <div className={styles.segmented} role="tablist" aria-label="Dimension">
          {AUDIT_DIMS.map((d) => <button key={d} type="button" role="tab" aria-selected={d === tab} onClick={() => onTab(d)} data-testid={`audit-tab-${d}`}>{LABELS[d]}</button>)}
        </div>
        <div className={styles.segmented} aria-label="Rank by">
          <button type="button" aria-pressed={by === 'events'} onClick={() => onBy('events')}>by count</button>
          <button type="button" aria-pressed={by === 'bytes'} onClick={() => onBy('bytes')} data-testid="audit-by-bytes">by bytes</button>
        </div>
      </div>
      {rows.length === 0 ? <p className={styles.empty}>Nothing yet.</p> : (
        <table className={styles.table} data-testid="audit-top-table">
          <thead><tr><th>{LABELS[tab].replace(/s$/, '')}</th><th className={styles.num}>Events</th><th className={styles.num}>Bytes</th><th className={styles.num}>Share</th></tr></thead>
          <tbody>
            {rows.map((r) => {
              const v = by === 'bytes' ? r.bytes : r.events;
              const share = by === 'bytes' ? (total.bytes ? r.bytes / total.bytes : 0) : (total.events ? r.events / total.events : 0);
              return (
                <tr key={r.key}>
                  <td className={styles.key}>{r.key}</td>
                  <td className={styles.num}>{formatCount(r.events)}</td>
                  <td className={styles.num}>{formatBytes(r.bytes)}</td>
                  <td className={`${styles.num} ${styles.share}`}><span className={styles.shareBar} style={{ width: `${(v / max) * 100}%` }} />{formatPercent(share)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}
