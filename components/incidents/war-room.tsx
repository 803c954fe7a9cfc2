'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { dragRange } from '@/components/timeline/url-state';
import { cx } from '@/components/ui/tone';
import { incidentRange } from '@/lib/incidents/live';
import type { IncidentDossier } from '@/lib/incidents/types';
import { useDossier } from '@/lib/query/incidents';
import { AnnotationComposer } from './annotation-composer';
import { IncidentCharts } from './incident-charts';
import { IncidentFeed } from './incident-feed';
import { IncidentHeader } from './incident-header';
import { IncidentSummary } from './incident-summary';
import { LinkedWork } from './linked-work';
import { useIncidentStream } from './use-incident-stream';
import styles from './incidents.module.css';

export interface WarRoomProps {
  initial: IncidentDossier;
  clusterNames: Record<string, string>;
  /** The server render's clock, so the default chart range is the same on both sides of hydration. */
  renderedAt: number;
  /** The primary cluster is a bundle: the end of its capture, its "now" (ranges, the composer's default time). */
  captureEnd?: number;
}

/**
 * The war room: everything about one incident on one screen, kept live for every viewer. The
 * view is the URL (`from`, `to`, `kiosk`), so a copied link shows the same charts on another screen.
 */
export function WarRoom({ initial, clusterNames, renderedAt, captureEnd }: WarRoomProps) {
  const id = initial.incident.id;
  const dossier = useDossier(id, initial).data ?? initial;
  const live = useIncidentStream(id);
  const params = useSearchParams();
  const pathname = usePathname();
  const kiosk = params.get('kiosk') === '1';
  const i = dossier.incident;

  useEffect(() => {
    if (!kiosk) return;
    document.documentElement.dataset.kiosk = '1';
    return () => { delete document.documentElement.dataset.kiosk; };
  }, [kiosk]);

  const range = useMemo(() => {
    const from = params.get('from');
    const to = params.get('to');
    if (from && to) return { from, to };
    const r = incidentRange(i, captureEnd ?? renderedAt);
    return { from: String(r.from), to: i.to === null ? 'now' : String(r.to) };
  }, [params, i, renderedAt, captureEnd]);

  const onZoom = useCallback((a: number, b: number) => {
    const r = dragRange(a, b);
    if (!r) return;
    const q = new URLSearchParams(params.toString());
    q.set('from', r.from);
    q.set('to', r.to);
    window.history.pushState(null, '', `${pathname}?${q}`);
  }, [params, pathname]);

  const primary = i.clusters[0]!;
  return (
    <div className={cx(styles.page, kiosk && styles.kiosk)} data-testid="war-room" data-kiosk={kiosk || undefined} data-seq={dossier.seq}>
      <IncidentHeader incident={i} clusterNames={clusterNames} live={live} kiosk={kiosk} now={captureEnd ?? renderedAt} range={range} />
      <div className={styles.layout}>
        <IncidentCharts incidentId={id} cluster={primary} clusterName={clusterNames[primary] ?? primary} range={range} annotations={dossier.annotations} findings={dossier.findings}
          refreshMs={i.to === null ? (kiosk ? 10_000 : 15_000) : 0} onZoom={onZoom} />
        <div className={styles.side}>
          {kiosk ? null : <AnnotationComposer incidentId={id} clusters={i.clusters} clusterNames={clusterNames} captureEnd={captureEnd} />}
          <IncidentSummary incidentId={id} summary={i.summary} kiosk={kiosk} />
          <IncidentFeed dossier={dossier} kiosk={kiosk} clusterNames={clusterNames} />
          {kiosk ? null : <LinkedWork dossier={dossier} cluster={primary} />}
        </div>
      </div>
    </div>
  );
}
