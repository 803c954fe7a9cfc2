'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { cx } from '@/components/ui/tone';
import { formatUtc } from '@/lib/format/time';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES, type Incident } from '@/lib/incidents/types';
import { isApiError } from '@/lib/query/api';
import { usePatchIncident, type IncidentPatch } from '@/lib/query/incidents';
import { SEVERITY_LABEL, SEVERITY_TONE, STATUS_TONE } from './severity';
import type { LiveState } from './use-incident-stream';
import styles from './incidents.module.css';

export interface IncidentHeaderProps {
  incident: Incident;
  clusterNames: Record<string, string>;
  live: LiveState;
  kiosk: boolean;
  now: number;
  /** The charts' range as shown (time expressions), written into shared links. */
  range: { from: string; to: string };
}

const LIVE_LABEL: Record<LiveState, string> = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…' };

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Title (click to edit), severity and status (selects), the impact window, the live state and the share links. */
export function IncidentHeader({ incident: i, clusterNames, live, kiosk, now, range }: IncidentHeaderProps) {
  const patch = usePatchIncident(i.id);
  const [editing, setEditing] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const save = (p: IncidentPatch) => patch.mutate(p);
  const copy = async (what: string, url: string) => {
    try { await navigator.clipboard.writeText(url); setCopied(what); } catch { window.prompt('Copy this link', url); }
    setTimeout(() => setCopied(null), 2000);
  };
  const pathname = usePathname();
  const params = useSearchParams();
  // The view as it is now (range, zoom: the URL), for another screen; absolute only when copied.
  const href = (kioskMode: boolean) => {
    const q = new URLSearchParams(params.toString());
    q.set('from', range.from);
    q.set('to', range.to);
    if (kioskMode) q.set('kiosk', '1'); else q.delete('kiosk');
    const s = q.toString();
    return `${pathname}${s ? `?${s}` : ''}`;
  };
  const link = (kioskMode: boolean) => new URL(href(kioskMode), window.location.origin).toString();
  return (
    <header className={styles.roomHead} data-testid="incident-header">
      <div className={styles.roomTop}>
        {kiosk ? <span className={cx(styles.chipSelect, styles[`tone-${SEVERITY_TONE[i.severity]}`])}>{SEVERITY_LABEL[i.severity]}</span> : (
          <select aria-label="Severity" className={cx(styles.chipSelect, styles[`tone-${SEVERITY_TONE[i.severity]}`])} value={i.severity} onChange={(e) => save({ severity: e.target.value as Incident['severity'] })}>
            {INCIDENT_SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_LABEL[s]}</option>)}
          </select>
        )}
        {kiosk ? <span className={cx(styles.chipSelect, styles[`tone-${STATUS_TONE[i.status]}`])}>{i.status}</span> : (
          <select aria-label="Status" className={cx(styles.chipSelect, styles[`tone-${STATUS_TONE[i.status]}`])} value={i.status} onChange={(e) => save({ status: e.target.value as Incident['status'] })}>
            {INCIDENT_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        )}
        <span className={styles.live} data-state={live} data-testid="live-state" role="status">{LIVE_LABEL[live]}</span>
        {kiosk ? null : (
          <div className={styles.tools}>
            <button type="button" className={cx(styles.button, styles.small)} onClick={() => void copy('link', link(false))} data-testid="copy-link">{copied === 'link' ? 'Copied ✓' : 'Copy share link'}</button>
            <button type="button" className={cx(styles.button, styles.small)} onClick={() => void copy('kiosk', link(true))}>{copied === 'kiosk' ? 'Copied ✓' : 'Copy TV link'}</button>
            <a className={cx(styles.button, styles.small)} href={href(true)} target="_blank" rel="noreferrer">Open kiosk ↗</a>
            <a className={cx(styles.button, styles.small)} href={`/incidents/${encodeURIComponent(i.id)}/postmortem`} data-testid="postmortem-link">Postmortem →</a>
          </div>
        )}
      </div>
      <h1 className={styles.roomTitle}>
        {editing !== null ? (
          <form onSubmit={(e) => { e.preventDefault(); if (editing.trim() && editing !== i.title) save({ title: editing.trim() }); setEditing(null); }}>
            <input className={styles.titleInput} aria-label="Title" value={editing} autoFocus maxLength={200}
              onChange={(e) => setEditing(e.target.value)} onBlur={(e) => e.currentTarget.form?.requestSubmit()} onKeyDown={(e) => { if (e.key === 'Escape') setEditing(null); }} />
          </form>
        ) : kiosk ? i.title : <button type="button" className={styles.titleButton} title="Click to edit" onClick={() => setEditing(i.title)}>{i.title}</button>}
      </h1>
      <div className={styles.meta}>
        <span className={styles.metaItem}><span className={styles.metaLabel}>Impact</span>
          <span className="num" data-testid="impact-window">{formatUtc(i.from)} → {i.to === null ? 'ongoing' : formatUtc(i.to, i.from)}</span>
          <span className={styles.faint}>({duration((i.to ?? now) - i.from)})</span>
        </span>
        <span className={styles.metaItem}><span className={styles.metaLabel}>Clusters</span>
          {i.clusters.map((c, k) => <a key={c} className={styles.link} href={`/clusters/${encodeURIComponent(c)}/timeline?incident=${i.id}`}>{clusterNames[c] ?? c}{k === 0 && i.clusters.length > 1 ? ' (primary)' : ''}</a>)}
        </span>
        <span className={styles.metaItem}><span className={styles.metaLabel}>Declared by</span><span>{i.createdBy || 'anonymous'}</span></span>
        {!kiosk && i.to === null ? <button type="button" className={cx(styles.button, styles.small)} onClick={() => save({ to: Date.now() })}>End impact now</button> : null}
      </div>
      {patch.isError ? <p className={styles.error} role="alert">{isApiError(patch.error) ? patch.error.message : 'could not save'}</p> : null}
    </header>
  );
}
