'use client';
import { useState } from 'react';
import { fromUtcInput, toUtcInput } from '@/components/timeline/url-state';
import { cx } from '@/components/ui/tone';
import { ANNOTATION_KINDS, type AnnotationKind } from '@/lib/incidents/types';
import { isApiError } from '@/lib/query/api';
import { useAddAnnotation } from '@/lib/query/incidents';
import { useIdentity } from './use-identity';
import styles from './incidents.module.css';

export interface AnnotationComposerProps {
  incidentId: string;
  clusters: string[];
  clusterNames: Record<string, string>;
  /** A bundle: empty times mean the end of its capture rather than the wall clock. */
  captureEnd?: number;
}

/** A note on the shared timeline: a point (now by default) or a range, of a kind, in the author's name. */
export function AnnotationComposer({ incidentId, clusters, clusterNames, captureEnd }: AnnotationComposerProps) {
  const add = useAddAnnotation(incidentId);
  const me = useIdentity();
  const [kind, setKind] = useState<AnnotationKind>('observation');
  const [range, setRange] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [cluster, setCluster] = useState(clusters[0]!);
  const [error, setError] = useState<string | null>(null);

  const emptyIs = captureEnd !== undefined ? 'end of capture' : 'now';
  const submit = () => {
    const now = captureEnd ?? Date.now();
    const f = from ? fromUtcInput(from) : now;
    const t = range ? (to ? fromUtcInput(to) : now) : null;
    if (f === null || (range && t === null)) { setError('times are read as UTC: 2026-01-31T14:05:00'); return; }
    if (t !== null && t < f) { setError('a range must end after it starts'); return; }
    setError(null);
    add.mutate({ from: f, to: t, kind, text: text.trim(), by: me.name, cluster }, { onSuccess: () => { setText(''); setFrom(''); setTo(''); } });
  };

  return (
    <section className={cx(styles.panel, styles.composer)} aria-labelledby="composer-title" data-testid="annotation-composer">
      <h2 id="composer-title" className={styles.panelTitle}>Annotate the timeline</h2>
      <form className={styles.page} style={{ gap: 'var(--space-2)' }} onSubmit={(e) => { e.preventDefault(); if (text.trim()) submit(); }}>
        <div className={styles.formRow}>
          <div className={styles.kinds} role="group" aria-label="Kind">
            {ANNOTATION_KINDS.map((k) => <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>{k}</button>)}
          </div>
          <div className={styles.kinds} role="group" aria-label="Point or range">
            <button type="button" aria-pressed={!range} onClick={() => setRange(false)}>point</button>
            <button type="button" aria-pressed={range} onClick={() => setRange(true)}>range</button>
          </div>
        </div>
        <div className={styles.formRow}>
          <label className={cx(styles.field, styles.grow)}><span>{range ? 'From' : 'At'} (UTC, empty: {emptyIs})</span>
            <input className={styles.input} type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} onFocus={() => { if (!from) setFrom(toUtcInput(captureEnd ?? Date.now())); }} />
          </label>
          {range ? (
            <label className={cx(styles.field, styles.grow)}><span>To (UTC, empty: {emptyIs})</span>
              <input className={styles.input} type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} onFocus={() => { if (!to) setTo(toUtcInput(captureEnd ?? Date.now())); }} />
            </label>
          ) : null}
        </div>
        {clusters.length > 1 ? (
          <label className={styles.field}><span>Cluster</span>
            <select className={styles.select} value={cluster} onChange={(e) => setCluster(e.target.value)}>
              {clusters.map((c) => <option key={c} value={c}>{clusterNames[c] ?? c}</option>)}
            </select>
          </label>
        ) : null}
        <label className={styles.field}><span>What you saw, did or suspect</span>
          <textarea className={styles.textarea} value={text} maxLength={2000} required placeholder={kind === 'action' ? 'Raised the etcd quota to 8 GiB' : kind === 'hypothesis' ? 'The audit webhook is slow' : 'p99 latency doubled on LIST pods'}
            onChange={(e) => setText(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && text.trim()) submit(); }} />
        </label>
        <div className={styles.formRow} style={{ justifyContent: 'space-between', alignItems: 'center' }}>
          {me.signedIn ? <span className={styles.faint}>as <strong>{me.name}</strong></span> : (
            <label className={styles.field} style={{ flexDirection: 'row', alignItems: 'center', gap: 'var(--space-2)' }}><span>as</span>
              <input className={styles.input} style={{ width: '10rem' }} value={me.name} placeholder="your name" maxLength={100} onChange={(e) => me.setName(e.target.value)} />
            </label>
          )}
          <button type="submit" className={cx(styles.button, styles.primary)} disabled={add.isPending || !text.trim()} data-testid="add-annotation">Add {kind}</button>
        </div>
        {error || add.isError ? <p className={styles.error} role="alert">{error ?? (isApiError(add.error) ? add.error.message : 'could not add')}</p> : null}
      </form>
    </section>
  );
}
