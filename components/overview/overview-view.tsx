'use client';
import { useElapsed, useNow } from '@/components/app/use-now';
import { formatUtcShort } from '@/lib/format/time';
import { useOverview, type Overview } from '@/lib/query/overview';
import { etcdUsage, hasEtcdMetrics, summarizeReadiness } from './figures';
import { FigureTiles } from './figure-tiles';
import { FindingsCard } from './findings-card';
import { ConnectionBanner, FreshnessBanner } from './freshness-banner';
import { describeFreshness, primaryRow } from './freshness';
import { NotesCard, type Note } from './notes-card';
import { ObjectsCard } from './objects-card';
import { OverviewHeader } from './overview-header';
import { ReadinessCard } from './readiness-card';
import styles from './overview.module.css';

export interface OverviewViewProps {
  /** The server render's data; refreshed every 5 s from /api/clusters/[cluster]/overview. */
  initial: Overview;
}

function notesOf(o: Overview): Note[] {
  return [
    ...(o.cluster.error ? [{ tone: 'crit' as const, text: o.cluster.error }] : []),
    ...o.cluster.notes.map((text) => ({ tone: 'info' as const, text })),
    ...(o.bundle?.warnings ?? []).map((text) => ({ tone: 'warn' as const, text })),
  ];
}

export function OverviewView({ initial }: OverviewViewProps) {
  const q = useOverview(initial.cluster.id, initial);
  const o = q.data;
  const isBundle = o.cluster.kind === 'bundle';
  const now = useNow();
  // Ages on screen grow between refreshes; a bundle's clock is stopped at the end of its capture.
  const elapsed = useElapsed(q.dataUpdatedAt);
  const sinceData = isBundle ? 0 : elapsed;
  const serverNow = o.now + sinceData;

  // A failed refresh freezes the data on screen: nothing may look live any more.
  const frozen = !isBundle && q.isError;
  const freshness = describeFreshness(o, sinceData, frozen);
  const stale = freshness.state === 'stale' || freshness.state === 'never' || freshness.state === 'frozen';
  const readiness = summarizeReadiness(o.readyz, stale);
  const lastGood = primaryRow(o)?.lastOk ?? null;
  const quotaUnknownReason = hasEtcdMetrics(o) ? 'etcd does not report etcd_server_quota_backend_bytes' : 'etcd metrics not configured';

  return (
    <div className={styles.page}>
      <OverviewHeader o={o} readiness={readiness} stale={stale} />
      {q.isError && now !== null ? (
        <ConnectionBanner message={q.error.message} dataUpdatedAt={q.dataUpdatedAt} now={now} dataAt={o.now} />
      ) : null}
      <FreshnessBanner view={freshness} dataAt={o.now} />
      <FindingsCard clusterId={o.cluster.id} findings={o.findings} now={o.now} />
      <FigureTiles
        goroutines={o.figures.goroutines}
        rss={o.figures.residentMemoryBytes}
        etcd={etcdUsage(o)}
        quotaUnknownReason={quotaUnknownReason}
        asOf={frozen ? formatUtcShort(o.now, serverNow) : stale && lastGood !== null ? formatUtcShort(lastGood, serverNow) : undefined}
      />
      <div className={styles.columns}>
        <div className={styles.column}>
          <ReadinessCard
            readyz={o.readyz}
            summary={readiness}
            now={serverNow}
            isBundle={isBundle}
            staleNote={frozen
              ? 'Checked before this screen lost contact with kube-forensics; the cluster may have changed since.'
              : stale ? 'Checked before the recorder lost contact; the cluster may have changed since.' : undefined}
          />
          <NotesCard notes={notesOf(o)} />
        </div>
        <div className={styles.column}>
          <ObjectsCard objects={o.figures.objects} />
        </div>
      </div>
    </div>
  );
}
