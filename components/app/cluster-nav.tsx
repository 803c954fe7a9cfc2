import Link from 'next/link';
import { cx } from '@/components/ui/tone';
import styles from './app-shell.module.css';

/** A cluster's pages, as data. Pages not built yet are shown, but disabled, rather than linked. */
export const CLUSTER_PAGES = [
  { slug: 'overview', label: 'Overview', ready: true },
  { slug: 'timeline', label: 'Timeline', ready: true },
  { slug: 'runtime', label: 'Runtime', ready: true },
  { slug: 'runbooks', label: 'Runbooks', ready: true },
  { slug: 'events', label: 'Events', ready: true },
  { slug: 'audit', label: 'Audit', ready: true },
] as const;

export type ClusterPage = (typeof CLUSTER_PAGES)[number]['slug'];

export function clusterHref(clusterId: string, page: ClusterPage = 'overview'): string {
  return `/clusters/${encodeURIComponent(clusterId)}/${page}`;
}

export interface ClusterNavProps { clusterId: string; active: string | undefined }

export function ClusterNav({ clusterId, active }: ClusterNavProps) {
  return (
    <nav aria-label="Cluster pages" className={styles.nav}>
      <ul className={styles.navList}>
        {CLUSTER_PAGES.map((p) => (
          <li key={p.slug}>
            {p.ready ? (
              <Link
                href={clusterHref(clusterId, p.slug)}
                className={cx(styles.navItem, active === p.slug && styles.navActive)}
                aria-current={active === p.slug ? 'page' : undefined}
              >
                {p.label}
              </Link>
            ) : (
              <span className={cx(styles.navItem, styles.navDisabled)} aria-disabled="true" title={`${p.label}: coming soon`}>
                {p.label}
                <span className={styles.soon}>soon</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
