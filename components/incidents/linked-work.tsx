'use client';
import { cx } from '@/components/ui/tone';
import { utcClock } from '@/lib/format/time';
import type { IncidentDossier } from '@/lib/incidents/types';
import { useLinkToIncident } from '@/lib/query/incidents';
import { useRunbooksIndex } from '@/lib/query/runbooks';
import { useCaptures } from '@/lib/query/runtime';
import { useIdentity } from './use-identity';
import styles from './incidents.module.css';

export interface LinkedWorkProps { dossier: IncidentDossier; cluster: string }

/**
 * The primary cluster's runbook runs and captures since the impact began, each linkable to the
 * incident in one click (a linked run's steps join the feed; a capture is kept for the postmortem).
 */
export function LinkedWork({ dossier, cluster }: LinkedWorkProps) {
  const i = dossier.incident;
  const link = useLinkToIncident(i.id);
  const me = useIdentity();
  const runs = (useRunbooksIndex(cluster).data?.runs ?? []).filter((r) => r.startedAt >= i.from - 60 * 60_000);
  const captures = (useCaptures(cluster).data?.captures ?? []).filter((c) => c.t >= i.from - 60 * 60_000 && (c.kind === 'goroutine' || c.kind === 'heap')).slice(0, 8);
  const linkedCaptures = new Set(dossier.captures.map((c) => `${c.cluster}/${c.artifactId}`));
  return (
    <section className={styles.panel} aria-labelledby="work-title" data-testid="linked-work">
      <h2 id="work-title" className={styles.panelTitle}>
        Runbooks and captures
        <a className={styles.link} style={{ textTransform: 'none', letterSpacing: 0 }} href={`/clusters/${encodeURIComponent(cluster)}/runbooks`}>Start a runbook →</a>
      </h2>
      {runs.length || captures.length ? (
        <ul className={styles.feed}>
          {runs.map((r) => (
            <li key={`r${r.id}`} className={styles.formRow} style={{ justifyContent: 'space-between', alignItems: 'center', gap: 'var(--space-2)' }}>
              <a className={styles.link} href={`/clusters/${encodeURIComponent(cluster)}/runbooks?run=${r.id}`}>{r.runbook} #{r.id}</a>
              <span className={cx(styles.faint, 'num')}>{utcClock(r.startedAt)} · {r.startedBy || 'anonymous'}</span>
              {r.incidentId === i.id ? <span className={styles.faint}>linked ✓</span> : (
                <button type="button" className={cx(styles.button, styles.small)} disabled={link.isPending} onClick={() => link.mutate({ link: 'run', cluster, run: r.id, by: me.name })}>Link</button>
              )}
            </li>
          ))}
          {captures.map((c) => (
            <li key={`c${c.id}`} className={styles.formRow} style={{ justifyContent: 'space-between', alignItems: 'center', gap: 'var(--space-2)' }}>
              <a className={styles.link} href={`/clusters/${encodeURIComponent(cluster)}/runtime?${c.kind === 'heap' ? 'h' : 'g'}=${c.id}`}>{c.component} {c.kind === 'heap' ? 'heap' : 'dump'} #{c.id}</a>
              <span className={cx(styles.faint, 'num')}>{utcClock(c.t)}</span>
              {linkedCaptures.has(`${cluster}/${c.id}`) ? <span className={styles.faint}>linked ✓</span> : (
                <button type="button" className={cx(styles.button, styles.small)} disabled={link.isPending} onClick={() => link.mutate({ link: 'capture', cluster, artifactId: c.id, by: me.name })}>Link</button>
              )}
            </li>
          ))}
        </ul>
      ) : <p className={styles.faint}>No runbook run or capture on this cluster since the impact began.</p>}
    </section>
  );
}
