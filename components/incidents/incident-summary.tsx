'use client';
import { useState } from 'react';
import { cx } from '@/components/ui/tone';
import { usePatchIncident } from '@/lib/query/incidents';
import styles from './incidents.module.css';

/** What is known so far: the postmortem's summary starts from it. */
export function IncidentSummary({ incidentId, summary, kiosk }: { incidentId: string; summary: string; kiosk: boolean }) {
  const patch = usePatchIncident(incidentId);
  const [draft, setDraft] = useState<string | null>(null);
  if (kiosk && !summary) return null;
  return (
    <section className={styles.panel} aria-labelledby="summary-title">
      <h2 id="summary-title" className={styles.panelTitle}>
        What we know
        {!kiosk && draft === null ? <button type="button" className={cx(styles.button, styles.small)} onClick={() => setDraft(summary)}>Edit</button> : null}
      </h2>
      {draft !== null ? (
        <form onSubmit={(e) => { e.preventDefault(); patch.mutate({ summary: draft }, { onSuccess: () => setDraft(null) }); }} className={styles.page} style={{ gap: 'var(--space-2)' }}>
          <textarea className={styles.textarea} aria-label="Summary" value={draft} maxLength={10_000} rows={5} autoFocus onChange={(e) => setDraft(e.target.value)} />
          <div className={styles.formRow}>
            <button type="submit" className={cx(styles.button, styles.primary, styles.small)} disabled={patch.isPending}>Save</button>
            <button type="button" className={cx(styles.button, styles.small)} onClick={() => setDraft(null)}>Cancel</button>
          </div>
        </form>
      ) : summary ? <p className={styles.summaryText}>{summary}</p> : <p className={styles.faint}>Nothing written yet.</p>}
    </section>
  );
}
