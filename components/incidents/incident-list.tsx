'use client';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/tone';
import { formatUtc } from '@/lib/format/time';
import { useIncidents, type IncidentListItem } from '@/lib/query/incidents';
import { NewIncidentForm } from './new-incident-form';
import { SEVERITY_LABEL, SEVERITY_TONE, STATUS_TONE } from './severity';
import styles from './incidents.module.css';

export interface IncidentListProps {
  initial: { incidents: IncidentListItem[] };
  clusters: Array<{ id: string; name: string }>;
}

/** Every incident, newest first, and the form to declare one. */
export function IncidentList({ initial, clusters }: IncidentListProps) {
  const list = useIncidents(initial).data?.incidents ?? initial.incidents;
  const names = Object.fromEntries(clusters.map((c) => [c.id, c.name]));
  const open = list.filter((i) => i.status !== 'resolved').length;
  return (
    <div className={styles.page} data-testid="incidents">
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>Incidents</h1>
          <p className={styles.lede}>One shared record per incident: its impact window, the findings and runbook steps behind it, and the team&apos;s notes on the timeline. Everyone on the war-room page sees every change as it happens.</p>
        </div>
        <span className={styles.faint}>{open} open · {list.length} in all</span>
      </header>
      <NewIncidentForm clusters={clusters} />
      <section className={styles.panel} aria-labelledby="list-title">
        <h2 id="list-title" className={styles.panelTitle}>All incidents</h2>
        {list.length ? (
          <table className={styles.table}>
            <thead><tr><th>severity</th><th>title</th><th>status</th><th>clusters</th><th>impact from</th><th>notes</th><th>declared by</th></tr></thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id} data-testid="incident-row">
                  <td><Badge tone={SEVERITY_TONE[i.severity]} variant="solid">{SEVERITY_LABEL[i.severity]}</Badge></td>
                  <td><Link className={styles.rowTitle} href={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link></td>
                  <td><Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge></td>
                  <td>{i.clusters.map((c) => names[c] ?? c).join(', ')}</td>
                  <td className={cx('num', styles.faint)}>{formatUtc(i.from)}{i.to === null ? ' · ongoing' : ''}</td>
                  <td className="num">{i.annotations} notes · {i.findings} findings</td>
                  <td>{i.createdBy || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p className={styles.empty}>No incidents yet. Declare one here, or from a finding on a cluster&apos;s overview or timeline.</p>}
      </section>
    </div>
  );
}
