import { AlertIcon, ArchiveIcon, InfoIcon } from '@/components/ui/icons';
import { StatusDot } from '@/components/ui/status-dot';
import { cx } from '@/components/ui/tone';
import { formatAgo } from '@/lib/format/duration';
import { formatUtc } from '@/lib/format/time';
import type { FreshnessView } from './freshness';
import styles from './overview.module.css';

export interface FreshnessBannerProps {
  view: FreshnessView;
  /** Server time of the data shown, for "updated 01:53:25 UTC". */
  dataAt: number;
}

const LOUD = new Set(['stale', 'never']);

/** The first thing read on the page: can the numbers below be trusted right now? */
export function FreshnessBanner({ view, dataAt }: FreshnessBannerProps) {
  const loud = LOUD.has(view.state);
  const icon = view.state === 'bundle'
    ? <ArchiveIcon size={22} />
    : loud ? <AlertIcon size={26} /> : view.state === 'connecting' || view.state === 'frozen' ? <InfoIcon size={20} /> : <StatusDot tone={view.tone} pulse={view.state === 'live'} />;
  return (
    <div
      className={cx(styles.banner, styles[`banner-${view.tone}`], loud && styles.bannerLoud)}
      role="status"
      aria-live="polite"
      data-testid="freshness-banner"
      data-state={view.state}
    >
      <span className={styles.bannerIcon}>{icon}</span>
      <p className={styles.bannerText}>
        <strong className={styles.bannerTitle}>{view.title}</strong>
        {view.facts.map((f, i) => (
          <span key={i} className={styles.bannerFact}>
            <span className={styles.bannerSep} aria-hidden="true">{i === 0 && loud ? '—' : '·'}</span>
            <span className="num">{f}</span>
          </span>
        ))}
      </p>
      {view.state === 'bundle' ? null : <span className={`${styles.bannerAside} num`}>updated {formatUtc(dataAt)}</span>}
    </div>
  );
}

export interface ConnectionBannerProps {
  message: string;
  /** Browser time the data on screen arrived, and the browser's now. */
  dataUpdatedAt: number;
  now: number;
  /** Server time of that data. */
  dataAt: number;
}

/** kube-forensics' own server stopped answering: what is on screen is frozen. */
export function ConnectionBanner({ message, dataUpdatedAt, now, dataAt }: ConnectionBannerProps) {
  return (
    <div className={cx(styles.banner, styles['banner-crit'], styles.bannerLoud)} role="alert" data-testid="connection-banner">
      <span className={styles.bannerIcon}><AlertIcon size={26} /></span>
      <p className={styles.bannerText}>
        <strong className={styles.bannerTitle}>Lost contact with the kube-forensics server</strong>
        <span className={styles.bannerFact}><span className={styles.bannerSep} aria-hidden="true">—</span>{message}</span>
        <span className={styles.bannerFact}>
          <span className={styles.bannerSep} aria-hidden="true">·</span>
          <span className="num">everything below is from {formatUtc(dataAt)} ({formatAgo(now - dataUpdatedAt)}); retrying</span>
        </span>
      </p>
    </div>
  );
}
