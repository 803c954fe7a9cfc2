'use client';
import { useNow } from '@/components/app/use-now';
import { StatusDot } from '@/components/ui/status-dot';
import type { Tone } from '@/components/ui/tone';
import { useClusters, type ClusterSummary } from '@/lib/query/clusters';
import { useSession } from '@/lib/query/session';
import { BundleDrop } from './bundle-drop';
import { BundleCard, LiveClusterCard } from './cluster-card';
import { clusterHealth, type HealthKind } from './cluster-health';
import { EmptyState } from './empty-state';
import { RemoveBundle } from './remove-bundle';
import styles from './clusters.module.css';

export interface StartViewProps {
  initialClusters: ClusterSummary[];
  /** Server time of the render: ages use it until the browser clock ticks. */
  renderedAt: number;
}

const SUMMARY: Array<{ kinds: HealthKind[]; tone: Tone; label: string }> = [
  { kinds: ['live'], tone: 'ok', label: 'live' },
  { kinds: ['stale', 'waiting'], tone: 'warn', label: 'stale' },
  { kinds: ['unreachable', 'error'], tone: 'crit', label: 'unreachable' },
  { kinds: ['recorded'], tone: 'bundle', label: 'recorded' },
];

/** Counts by health, readable from across the room; zero counts are left out. */
function Summary({ clusters, now }: { clusters: ClusterSummary[]; now: number }) {
  const kinds = clusters.map((c) => clusterHealth(c, now).kind);
  const items = SUMMARY.map((s) => ({ ...s, n: kinds.filter((k) => s.kinds.includes(k)).length })).filter((s) => s.n > 0);
  if (!items.length) return null;
  return (
    <ul className={styles.summary} aria-label="Clusters by state">
      {items.map((s) => (
        <li key={s.label} className={styles.summaryItem}><StatusDot tone={s.tone} /><strong>{s.n}</strong> {s.label}</li>
      ))}
    </ul>
  );
}

export function StartView({ initialClusters, renderedAt }: StartViewProps) {
  const q = useClusters(initialClusters);
  const clusters = q.data ?? initialClusters;
  const now = useNow() ?? renderedAt;
  const live = clusters.filter((c) => c.kind === 'live');
  const bundles = clusters.filter((c) => c.kind === 'bundle');
  const isAdmin = useSession().data?.role === 'admin';

  return (
    <div className={styles.page}>
      <header className={styles.pageHeader}>
        <div>
          <h1 className={styles.pageTitle}>Clusters</h1>
          <p className={styles.pageLead}>Open a live cluster to watch its control plane now, or a recorded bundle to replay an incident.</p>
        </div>
        {q.isError ? <p className={styles.fetchError} role="alert">Cannot refresh the list: {q.error.message}</p> : <Summary clusters={clusters} now={now} />}
      </header>

      {clusters.length === 0 ? <EmptyState /> : (
        <>
          <section aria-labelledby="live-title" className={styles.section}>
            <h2 id="live-title" className={styles.sectionTitle}>Live clusters <span className={styles.count}>{live.length}</span></h2>
            {live.length ? (
              <div className={styles.grid}>{live.map((c) => <LiveClusterCard key={c.id} cluster={c} now={now} />)}</div>
            ) : (
              <p className={styles.hint}>
                No kubeconfig context was found. Start kube-forensics with <code>KUBECONFIG=/path/to/kubeconfig</code> to record a live cluster.
              </p>
            )}
          </section>
          <section aria-labelledby="bundles-title" className={styles.section}>
            <h2 id="bundles-title" className={styles.sectionTitle}>Recorded bundles <span className={styles.count}>{bundles.length}</span></h2>
            <BundleDrop />
            {bundles.length ? (
              <div className={styles.grid}>
                {bundles.map((c) => (isAdmin && c.removable ? (
                  <div key={c.id} className={styles.cardWrap}><BundleCard cluster={c} now={now} /><RemoveBundle cluster={c} /></div>
                ) : <BundleCard key={c.id} cluster={c} now={now} />))}
              </div>
            ) : (
              <p className={styles.hint}>
                No bundles loaded. Open one with <code>kube-forensics serve --bundle FILE.tar.gz</code>, or list several in <code>KF_BUNDLES</code> (separated by <code>:</code>).
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
