import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/tone';
import type { Finding } from '@/lib/query/timeline';
import { DeclareIncident } from './declare-incident';
import { severityLabel, severityTone } from './severity';
import { evidenceWhen } from './timeline-link';
import styles from './findings.module.css';

export interface FindingItemProps {
  finding: Finding;
  /** Server "now" (a bundle's end), to word the evidence's time. */
  now: number;
  /** The timeline: the whole item is a button that shows the evidence. */
  onOpen?: () => void;
  /** The overview: a link to the evidence in the timeline. */
  href?: string;
  actionLabel?: string;
  compact?: boolean;
  /** The runbook this finding opens (lib/runbooks), when it has one. */
  runbookHref?: string;
  /** Its wording: "Open the runbook" unless a run is already open (the timeline says which). */
  runbookLabel?: string;
  /** The finding's cluster: offers "Declare incident" (one click, then the war room). */
  clusterId?: string;
}

/** One finding: severity, title and time; the summary in the severity's colour; the facts it rests on. */
export function FindingItem({ finding: f, now, onOpen, href, actionLabel, compact, runbookHref, runbookLabel, clusterId }: FindingItemProps) {
  const tone = severityTone(f.severity);
  const title = onOpen ? (
    <button type="button" className={styles.openButton} onClick={onOpen} aria-label={`${f.title}: show the evidence`}>{f.title}</button>
  ) : f.title;
  return (
    <article
      className={cx(styles.finding, styles[`sev-${tone}`], onOpen && styles.clickable, compact && styles.compact)}
      data-testid="finding"
      data-detector={f.detector}
      data-severity={f.severity}
    >
      <Badge tone={tone} variant="solid" className={styles.badge}>{severityLabel(f.severity)}</Badge>
      <div className={styles.head}>
        <h3 className={styles.title}>{title}</h3>
        <span className={cx(styles.when, 'num')}>{evidenceWhen(f, now)}</span>
      </div>
      {href ? <Link href={href} className={styles.action}>{actionLabel ?? 'Open in timeline'} →</Link>
        : onOpen ? <span className={cx(styles.action, styles.actionText)} aria-hidden="true">{actionLabel ?? 'Show evidence'} →</span> : null}
      <p className={styles.summary} data-testid="finding-summary">{f.summary}</p>
      {f.evidence.facts.length ? (
        <ul className={styles.facts} aria-label="Evidence">
          {f.evidence.facts.map((fact) => <li key={fact} className={cx(styles.fact, 'num')}>{fact}</li>)}
        </ul>
      ) : null}
      {runbookHref ? <Link href={runbookHref} className={styles.runbook} data-testid="finding-runbook">{runbookLabel ?? 'Open the runbook'} →</Link> : null}
      {/* Info findings are standing risks, not incidents. */}
      {clusterId && f.severity !== 'info' ? <DeclareIncident clusterId={clusterId} findingId={f.id} /> : null}
    </article>
  );
}
