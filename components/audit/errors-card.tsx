'use client';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { NO_AUDIT_MESSAGE } from '@/lib/audit/event';
import { formatCount } from '@/lib/format/number';
import type { AuditSummaryData } from '@/lib/query/audit';
import { formatMicros, formatMinute } from './format';
import styles from './audit.module.css';

/** Error responses grouped by code and message (names replaced by "…"). */
export function ErrorsCard({ data }: { data: AuditSummaryData }) {
  const total = data.errors.reduce((n, e) => n + e.count, 0);
  const has5xx = data.errors.some((e) => e.code >= 500);
  return (
    <Card id="audit-errors" title="Errors" testId="audit-errors" tone={has5xx ? 'crit' : total ? 'warn' : undefined} aside={`${formatCount(total)} responses ≥ 400`}>
      {data.errors.length === 0 ? <p className={styles.empty}>No error responses in this range.</p> : (
        <table className={styles.table}>
          <thead><tr><th>Code</th><th className={styles.num}>Count</th><th>Last (UTC)</th><th>Message</th></tr></thead>
          <tbody>
            {data.errors.slice(0, 30).map((e) => (
              <tr key={`${e.code} ${e.pattern}`}>
                <td><Badge tone={e.code >= 500 ? 'crit' : 'warn'}>{e.code}</Badge></td>
                <td className={styles.num}>{formatCount(e.count)}</td>
                <td className={styles.num}>{formatMinute(e.last)}</td>
                <td className={styles.key}>{(e.count > 1 ? e.pattern : e.message) || <span className={styles.note}>{NO_AUDIT_MESSAGE}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** p50 / p99 / max of stageTimestamp − requestReceivedTimestamp, by verb and the slowest resources. */
export function LatencyCard({ data }: { data: AuditSummaryData }) {
  const slow = [...data.latency.byResource].sort((a, b) => b.p99 - a.p99).slice(0, 12);
  const table = (title: string, rows: typeof slow) => (
    <table className={styles.table}>
      <thead><tr><th>{title}</th><th className={styles.num}>Requests</th><th className={styles.num}>p50</th><th className={styles.num}>p99</th><th className={styles.num}>max</th></tr></thead>
      <tbody>{rows.map((r) => <tr key={r.key}><td className={styles.key}>{r.key}</td><td className={styles.num}>{formatCount(r.count)}</td><td className={styles.num}>{formatMicros(r.p50)}</td><td className={styles.num}>{formatMicros(r.p99)}</td><td className={styles.num}>{formatMicros(r.max)}</td></tr>)}</tbody>
    </table>
  );
  return (
    <Card id="audit-latency" title="Latency" testId="audit-latency" aside="ResponseComplete events, all ingested logs">
      {data.latency.byVerb.length === 0 ? <p className={styles.empty}>No completed requests yet.</p> : (
        <div className={styles.grid2}>{table('Verb', data.latency.byVerb)}{table('Resource (slowest p99)', slow)}</div>
      )}
      <p className={styles.note}>Watches last until their timeout by design; compare them with each other, not with reads.</p>
    </Card>
  );
}
