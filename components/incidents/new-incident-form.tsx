'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { fromUtcInput } from '@/components/timeline/url-state';
import { cx } from '@/components/ui/tone';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@/lib/incidents/types';
import { isApiError } from '@/lib/query/api';
import { useCreateIncident } from '@/lib/query/incidents';
import { SEVERITY_LABEL } from './severity';
import { useIdentity } from './use-identity';
import styles from './incidents.module.css';

export interface NewIncidentFormProps { clusters: Array<{ id: string; name: string }> }

/** Declare an incident by hand: a title, a severity, the clusters, and when the impact began (default: now). */
export function NewIncidentForm({ clusters }: NewIncidentFormProps) {
  const create = useCreateIncident();
  const router = useRouter();
  const me = useIdentity();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity>('sev2');
  const [picked, setPicked] = useState<string[]>(clusters[0] ? [clusters[0].id] : []);
  const [from, setFrom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  const submit = () => {
    const t = from ? fromUtcInput(from) : undefined;
    if (t === null) { setError('the start is read as UTC: 2026-01-31T14:05'); return; }
    if (!picked.length) { setError('pick at least one cluster'); return; }
    setError(null);
    create.mutate({ title: title.trim(), severity, clusters: picked, ...(t !== undefined ? { from: t } : {}), by: me.name }, {
      onSuccess: (i) => router.push(`/incidents/${encodeURIComponent(i.id)}`),
    });
  };

  return (
    <section className={styles.panel} aria-labelledby="new-title" data-testid="new-incident">
      <h2 id="new-title" className={styles.panelTitle}>New incident</h2>
      {clusters.length === 0 ? <p className={styles.faint}>No cluster is recorded or loaded yet: an incident needs one.</p> : (
        <form className={styles.page} style={{ gap: 'var(--space-3)' }} onSubmit={(e) => { e.preventDefault(); if (title.trim()) submit(); }}>
          <div className={styles.formRow}>
            <label className={cx(styles.field, styles.grow)}><span>Title</span>
              <input className={styles.input} value={title} required maxLength={200} placeholder="API errors on prod-eu: etcd out of space" onChange={(e) => setTitle(e.target.value)} />
            </label>
            <label className={styles.field}><span>Severity</span>
              <select className={styles.select} value={severity} onChange={(e) => setSeverity(e.target.value as IncidentSeverity)}>
                {INCIDENT_SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_LABEL[s]}</option>)}
              </select>
            </label>
            <label className={styles.field}><span>Impact began (UTC, empty: now)</span>
              <input className={styles.input} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
          </div>
          <fieldset className={styles.formRow} style={{ border: 'none', padding: 0, margin: 0 }}>
            <legend className={styles.faint} style={{ marginBottom: 'var(--space-1)' }}>Clusters (the first picked is the primary one)</legend>
            {clusters.map((c) => (
              <label key={c.id} className={styles.faint} style={{ display: 'inline-flex', gap: '0.35rem', alignItems: 'center', color: 'var(--text)' }}>
                <input type="checkbox" checked={picked.includes(c.id)} onChange={() => toggle(c.id)} />{c.name}
              </label>
            ))}
          </fieldset>
          <div className={styles.formRow} style={{ justifyContent: 'space-between', alignItems: 'center' }}>
            {me.signedIn ? <span className={styles.faint}>as <strong>{me.name}</strong></span> : (
              <label className={styles.field} style={{ flexDirection: 'row', alignItems: 'center', gap: 'var(--space-2)' }}><span>You are</span>
                <input className={styles.input} style={{ width: '10rem' }} value={me.name} placeholder="your name" maxLength={100} onChange={(e) => me.setName(e.target.value)} />
              </label>
            )}
            <button type="submit" className={cx(styles.button, styles.primary)} disabled={create.isPending || !title.trim()} data-testid="declare">Declare incident →</button>
          </div>
          {error || create.isError ? <p className={styles.error} role="alert">{error ?? (isApiError(create.error) ? create.error.message : 'could not declare')}</p> : null}
        </form>
      )}
    </section>
  );
}
