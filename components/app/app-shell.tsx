import type { ReactNode } from 'react';
import type { ClusterSummary } from '@/lib/query/clusters';
import { AuthBanner } from './auth-banner';
import type { Theme } from './theme';
import { TopBar } from './top-bar';
import styles from './app-shell.module.css';

export interface AppShellProps {
  clusters: ClusterSummary[];
  renderedAt: number;
  theme: Theme;
  children: ReactNode;
}

export function AppShell({ clusters, renderedAt, theme, children }: AppShellProps) {
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>Skip to content</a>
      <AuthBanner />
      <TopBar initialClusters={clusters} renderedAt={renderedAt} theme={theme} />
      <main id="main" className={styles.main}>{children}</main>
    </div>
  );
}
