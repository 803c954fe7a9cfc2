import Link from 'next/link';
import { FindingItem } from '@/components/findings/finding-item';
import { severityTone, sortFindings, worstSeverity } from '@/components/findings/severity';
import { findingRunbookHref } from '@/components/findings/runbook-link';
import { findingTimelineHref } from '@/components/findings/timeline-link';
import { Card } from '@/components/ui/card';
import { CheckIcon } from '@/components/ui/icons';
import { formatUtc } from '@/lib/format/time';
import type { Finding } from '@/lib/query/timeline';
import styles from './overview.module.css';

export interface FindingsCardProps {
  clusterId: string;
  findings: Finding[];
  /** Server "now" (a bundle's end): findings are as of then, over the hour before it. */
  now: number;
}

/** The detectors' verdict, first on the page: what is wrong, the facts, and a way into the timeline. */
export function FindingsCard({ clusterId, findings, now }: FindingsCardProps) {
  const sorted = sortFindings(findings);
  const worst = worstSeverity(sorted);
  const timeline = `/clusters/${encodeURIComponent(clusterId)}/timeline`;
  const aside = <span>last hour up to <span className="num">{formatUtc(now)}</span> · <Link href={timeline}>timeline</Link></span>;
  return (
    <Card id="findings" title={sorted.length ? <>Findings <span className={styles.findingCount}>{sorted.length}</span></> : 'Findings'} aside={aside} tone={worst ? severityTone(worst) : 'ok'} testId="findings">
      {sorted.length ? (
        <ul className={styles.findingList}>
          {sorted.map((f) => (
            <li key={f.id}><FindingItem finding={f} now={now} href={findingTimelineHref(clusterId, f, now)} actionLabel="Open in timeline" runbookHref={findingRunbookHref(clusterId, f)} clusterId={clusterId} /></li>
          ))}
        </ul>
      ) : (
        <p className={styles.noFindings} data-testid="no-findings"><CheckIcon size={18} /> None: the detectors see nothing wrong in the last hour.</p>
      )}
    </Card>
  );
}
