import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { StatusDot } from '@/components/ui/status-dot';
import { formatUtcRange } from '@/lib/format/time';
import type { Overview } from '@/lib/query/overview';
import type { ReadinessSummary } from './figures';
import styles from './overview.module.css';

export interface OverviewHeaderProps {
  o: Overview;
  readiness: ReadinessSummary;
  /** The figures may be out of date: the readiness pill then says "last known". */
  stale: boolean;
}

function goVersion(v: string | undefined): string | null {
  return v ? v.replace(/^go/, 'Go ') : null;
}

export function OverviewHeader({ o, readiness, stale }: OverviewHeaderProps) {
  const { cluster, version, bundle } = o;
  const meta: Array<{ key: string; node: ReactNode }> = [];
  if (version) {
    meta.push({ key: 'k8s', node: <span>Kubernetes <strong className={styles.version} data-testid="k8s-version">{version.gitVersion}</strong></span> });
    const go = goVersion(version.goVersion);
    if (go) meta.push({ key: 'go', node: go });
    if (version.platform) meta.push({ key: 'platform', node: version.platform });
  } else {
    meta.push({ key: 'k8s', node: <span data-testid="k8s-version">Kubernetes version not recorded yet</span> });
  }
  if (cluster.server) meta.push({ key: 'server', node: <span className="mono" title={cluster.server}>{cluster.server}</span> });
  if (cluster.context && cluster.context !== cluster.name) meta.push({ key: 'ctx', node: <>context <span className="mono">{cluster.context}</span></> });

  return (
    <header className={styles.header}>
      <div className={styles.headerMain}>
        <div className={styles.titleRow}>
          {cluster.kind === 'live'
            ? <Badge tone="info" variant="solid">LIVE</Badge>
            : <Badge tone="bundle" variant="solid">BUNDLE</Badge>}
          <h1 className={styles.title}>{cluster.name}</h1>
          {bundle ? <span className={`${styles.range} num`}>{formatUtcRange(bundle.from, bundle.to)}</span> : null}
        </div>
        {bundle?.story ? <p className={styles.story}>{bundle.story}</p> : null}
        <p className={styles.meta}>
          {meta.map((m, i) => (
            <span key={m.key} className={styles.metaItem}>
              {i > 0 ? <span className={styles.sep} aria-hidden="true">·</span> : null}
              {m.node}
            </span>
          ))}
        </p>
      </div>
      <div className={`${styles.readyPill} ${styles[`pill-${readiness.tone}`]}`} data-testid="readiness-pill">
        <StatusDot tone={readiness.tone} />
        <span className={styles.readyPillText}>
          <span className={styles.readyPillLabel}>{stale && readiness.label !== 'Unknown' ? `Last known: ${readiness.label}` : readiness.label}</span>
          <span className={styles.readyPillDetail}>readyz · {readiness.detail}</span>
        </span>
      </div>
    </header>
  );
}
