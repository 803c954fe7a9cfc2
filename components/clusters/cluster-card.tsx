import Link from 'next/link';
import { clusterHref } from '@/components/app/cluster-nav';
import { Badge } from '@/components/ui/badge';
import { ArchiveIcon, ChevronRightIcon } from '@/components/ui/icons';
import { StatusDot } from '@/components/ui/status-dot';
import { cx } from '@/components/ui/tone';
import type { ClusterSummary } from '@/lib/query/clusters';
import { clusterHealth } from './cluster-health';
import styles from './clusters.module.css';

export interface ClusterCardProps { cluster: ClusterSummary; now: number }

/** A live cluster: health dot, name, apiserver URL and the age of the last good scrape. */
export function LiveClusterCard({ cluster, now }: ClusterCardProps) {
  const h = clusterHealth(cluster, now);
  return (
    <Link href={clusterHref(cluster.id)} className={cx(styles.card, styles[`accent-${h.tone}`])} data-testid={`cluster-card-${cluster.id}`}>
      <div className={styles.cardTop}>
        <span className={styles.lead}><StatusDot tone={h.tone} pulse={h.kind === 'live'} /></span>
        <h3 className={styles.cardName} title={cluster.name}>{cluster.name}</h3>
        <span className={styles.lead}><Badge tone="info" variant="outline">LIVE</Badge></span>
      </div>
      <p className={cx(styles.cardServer, 'mono')} title={cluster.server}>{cluster.server || 'in-cluster'}</p>
      <div className={styles.cardFoot}>
        <span className={cx(styles.health, styles[`text-${h.tone}`])} data-testid="cluster-health">
          <strong>{h.label}</strong> · <span className="num">{h.detail}</span>
        </span>
        <span className={styles.open}>Overview <ChevronRightIcon size={14} /></span>
      </div>
    </Link>
  );
}

/** A recorded bundle (a demo scenario or an incident capture): title, story, captured range. */
export function BundleCard({ cluster, now }: ClusterCardProps) {
  const h = clusterHealth(cluster, now);
  const failed = h.kind === 'error';
  return (
    <Link href={clusterHref(cluster.id)} className={cx(styles.card, styles[`accent-${failed ? 'crit' : 'bundle'}`])} data-testid={`cluster-card-${cluster.id}`}>
      <div className={styles.cardTop}>
        <span className={`${styles.lead} ${styles.bundleIcon}`}><ArchiveIcon size={18} /></span>
        <h3 className={styles.cardName} title={cluster.name}>{cluster.name}</h3>
        <span className={styles.lead}><Badge tone="bundle" variant="outline">BUNDLE</Badge></span>
      </div>
      {cluster.story ? <p className={styles.story} data-testid="cluster-story">{cluster.story}</p> : null}
      <p className={cx(styles.cardServer, 'mono')} title={cluster.server}>{cluster.server}</p>
      <div className={styles.cardFoot}>
        <span className={cx(styles.health, styles.wrap, styles[`text-${h.tone}`])}>
          {failed ? <><strong>Could not open</strong> · {h.detail}</> : <><strong>Captured</strong> <span className="num">{h.detail}</span></>}
        </span>
        <span className={styles.open}>Replay <ChevronRightIcon size={14} /></span>
      </div>
    </Link>
  );
}
