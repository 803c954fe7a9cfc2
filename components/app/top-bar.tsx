'use client';
import Link from 'next/link';
import { useParams, usePathname } from 'next/navigation';
import { useClusters, type ClusterSummary } from '@/lib/query/clusters';
import { Brand } from './brand';
import { ClusterNav } from './cluster-nav';
import { ClusterSwitcher } from './cluster-switcher';
import type { Theme } from './theme';
import { ThemeToggle } from './theme-toggle';
import { cx } from '@/components/ui/tone';
import { UtcClock } from './utc-clock';
import styles from './app-shell.module.css';

export interface TopBarProps {
  initialClusters: ClusterSummary[];
  renderedAt: number;
  theme: Theme;
}

export function TopBar({ initialClusters, renderedAt, theme }: TopBarProps) {
  const params = useParams<{ cluster?: string }>();
  const pathname = usePathname();
  const clusters = useClusters(initialClusters).data ?? initialClusters;
  const clusterId = typeof params.cluster === 'string' ? decodeURIComponent(params.cluster) : undefined;
  // /clusters/<id>/<page>/…
  const page = clusterId ? pathname.split('/')[3] : undefined;
  const known = clusterId !== undefined && clusters.some((c) => c.id === clusterId);

  return (
    <header className={styles.topBar}>
      <div className={styles.topBarInner}>
        <Brand />
        <span className={styles.divider} aria-hidden="true" />
        <ClusterSwitcher clusters={clusters} currentId={clusterId} renderedAt={renderedAt} />
        {clusterId && known ? <ClusterNav clusterId={clusterId} active={page} /> : <div className={styles.navSpacer} />}
        <div className={styles.topBarEnd}>
          <Link href="/incidents" className={cx(styles.incidentsLink, pathname.startsWith('/incidents') && styles.incidentsActive)}
            aria-current={pathname === '/incidents' ? 'page' : undefined} data-testid="incidents-link">Incidents</Link>
          <UtcClock />
          <ThemeToggle initial={theme} />
        </div>
      </div>
    </header>
  );
}
