import { FindingItem } from '@/components/findings/finding-item';
import { findingRunbookHref } from '@/components/findings/runbook-link';
import { sortFindings } from '@/components/findings/severity';
import { CheckIcon } from '@/components/ui/icons';
import { formatUtc } from '@/lib/format/time';
import type { Finding } from '@/lib/query/timeline';
import styles from './timeline.module.css';

export interface FindingsStripProps {
  findings: Finding[];
  /** The range's end: findings are as of then. */
  at: number;
  now: number;
  /** Offers "Declare incident", and links each finding to its runbook. */
  clusterId?: string;
  /** Where a finding's runbook link goes (an open run beside the charts); default: the runbooks page. */
  runbookLink?: (f: Finding) => { href: string; label?: string } | undefined;
  onOpen: (f: Finding) => void;
}

/** What the detectors saw as of the range's end, most severe first; a click shows the evidence. */
export function FindingsStrip({ findings, at, now, onOpen, clusterId, runbookLink }: FindingsStripProps) {
  const sorted = sortFindings(findings);
  if (!sorted.length) {
    return (
      <p className={styles.allClear} data-testid="findings-strip" data-empty="">
        <CheckIcon size={18} />
        <span>No findings: the detectors saw nothing wrong in the hour up to <span className="num">{formatUtc(at, now)}</span>.</span>
      </p>
    );
  }
  return (
    <section className={styles.findings} aria-labelledby="findings-title" data-testid="findings-strip">
      <h2 id="findings-title" className={styles.sectionTitle}>
        Findings <span className={styles.count}>{sorted.length}</span>
        <span className={styles.sectionNote}>as of <span className="num">{formatUtc(at, now)}</span> · click one to see its evidence</span>
      </h2>
      <ul className={styles.findingList}>
        {sorted.map((f) => {
          const rb: { href?: string; label?: string } | undefined = runbookLink ? runbookLink(f) : clusterId ? { href: findingRunbookHref(clusterId, f) } : undefined;
          return (
            <li key={f.id}>
              <FindingItem finding={f} now={now} onOpen={() => onOpen(f)} compact runbookHref={rb?.href} runbookLabel={rb?.label} clusterId={clusterId} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
