'use client';
import { useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/tone';
import { formatUtc, utcClock } from '@/lib/format/time';
import { feedOf, type FeedItem } from '@/lib/incidents/live';
import type { IncidentDossier } from '@/lib/incidents/types';
import { useDeleteAnnotation } from '@/lib/query/incidents';
import { stepTitleOf } from '@/lib/runbooks/catalog';
import styles from './incidents.module.css';

export interface IncidentFeedProps { dossier: IncidentDossier; kiosk: boolean; clusterNames: Record<string, string> }

const KIND_TONE = { observation: 'info', action: 'ok', hypothesis: 'warn' } as const;
const STEP_TONE = { done: 'ok', skipped: 'neutral', failed: 'crit', pending: 'neutral' } as const;
const FINDING_TONE = { critical: 'crit', warning: 'warn', info: 'info' } as const;

function Body({ item, clusterNames }: { item: FeedItem; clusterNames: Record<string, string> }) {
  switch (item.type) {
    case 'annotation': {
      const a = item.annotation;
      return (
        <>
          <span className={styles.itemHead}><Badge tone={KIND_TONE[a.kind]}>{a.kind}</Badge>{a.to !== null ? <span className="num">until {formatUtc(a.to, a.from)}</span> : null}</span>
          <span className={styles.itemText}>{a.text}</span>
        </>
      );
    }
    case 'finding': {
      const f = item.finding;
      return (
        <>
          <span className={styles.itemHead}><Badge tone={FINDING_TONE[f.severity]} variant="solid">finding</Badge>{clusterNames[f.cluster] ?? f.cluster}</span>
          <span className={styles.itemText}><strong>{f.title}</strong>: {f.summary}</span>
        </>
      );
    }
    case 'step': {
      const s = item.step;
      return (
        <>
          <span className={styles.itemHead}><Badge tone={STEP_TONE[s.status]}>step {s.status}</Badge>
            <a className={styles.link} href={`/clusters/${encodeURIComponent(s.cluster)}/runbooks?run=${s.runId}`}>{s.runbook} #{s.runId}</a></span>
          <span className={styles.itemText} title={s.step}>{stepTitleOf(s.runbook, s.step)}{s.note ? `: ${s.note}` : ''}</span>
        </>
      );
    }
    case 'capture': {
      const c = item.capture;
      return (
        <>
          <span className={styles.itemHead}><Badge tone="info">capture</Badge></span>
          <a className={cx(styles.itemText, styles.link)} href={`/clusters/${encodeURIComponent(c.cluster)}/runtime?${c.kind === 'heap' ? 'h' : 'g'}=${c.artifactId}`}>
            {c.component} {c.kind === 'heap' ? 'heap profile' : 'goroutine dump'} #{c.artifactId}
          </a>
        </>
      );
    }
  }
}

/** Annotations, findings, runbook steps and captures, newest first, each with who did it. New items flash. */
export function IncidentFeed({ dossier, kiosk, clusterNames }: IncidentFeedProps) {
  const items = useMemo(() => feedOf(dossier), [dossier]);
  const del = useDeleteAnnotation(dossier.incident.id);
  // Items that arrive after the first paint flash once as they mount (someone just wrote them).
  const [initial] = useState(() => new Set(items.map((i) => i.key)));
  return (
    <section className={styles.panel} aria-labelledby="feed-title" data-testid="incident-feed">
      <h2 id="feed-title" className={styles.panelTitle}>What happened <span className={styles.faint}>{items.length} items</span></h2>
      {items.length ? (
        <ol className={styles.feed}>
          {items.map((item) => (
            <li key={item.key} className={cx(styles.item, styles[`item-${item.type}`], !initial.has(item.key) && styles.fresh)} data-testid="feed-item" data-type={item.type}>
              <span className={cx(styles.itemTime, 'num')} title={formatUtc(item.t)}>{utcClock(item.t)}</span>
              <span className={styles.itemBody}>
                <Body item={item} clusterNames={clusterNames} />
                <span className={styles.itemHead}>
                  {item.who ? <span>by <span className={styles.who}>{item.who}</span></span> : <span className={styles.faint}>recorded</span>}
                  {!kiosk && item.type === 'annotation' ? (
                    <button type="button" className={cx(styles.button, styles.small, styles.danger)} disabled={del.isPending} aria-label="Delete this annotation"
                      onClick={() => { if (window.confirm('Delete this annotation for everyone?')) del.mutate(item.annotation.id); }}>Delete</button>
                  ) : null}
                </span>
              </span>
            </li>
          ))}
        </ol>
      ) : <p className={styles.faint}>Nothing yet. Annotations, linked findings, runbook steps and captures appear here as they happen, on every open screen.</p>}
    </section>
  );
}
