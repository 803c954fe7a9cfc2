import { Card } from '@/components/ui/card';
import { AlertIcon, CheckIcon, CrossIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { formatAgo, formatDuration } from '@/lib/format/duration';
import { formatUtc } from '@/lib/format/time';
import type { ReadyzReport } from '@/lib/query/overview';
import type { ReadinessSummary } from './figures';
import styles from './overview.module.css';

export interface ReadinessCardProps {
  readyz: ReadyzReport | null;
  summary: ReadinessSummary;
  /** Server "now" (bundle: end of capture), for the age of the check. */
  now: number;
  /** Why the check may be out of date; shown under the verdict. */
  staleNote?: string;
  isBundle: boolean;
}

/** /readyz?verbose: failing checks first with their reasons, the passing ones folded away. */
export function ReadinessCard({ readyz, summary, now, staleNote, isBundle }: ReadinessCardProps) {
  const aside = readyz ? (
    <span>
      <span className="mono">/readyz</span> · {formatUtc(readyz.t, now)} · {isBundle ? (now - readyz.t < 1_000 ? 'at the end of the capture' : `${formatDuration(now - readyz.t)} before the end`) : formatAgo(now - readyz.t)}
    </span>
  ) : null;
  const Icon = summary.label === 'Ready' ? CheckIcon : summary.label === 'Unknown' ? AlertIcon : CrossIcon;

  return (
    <Card id="readiness" title="Readiness" aside={aside} tone={summary.tone} testId="readiness">
      <div className={styles.readyHead}>
        <span className={cx(styles.readyIcon, styles[`icon-${summary.tone}`])}><Icon size={22} /></span>
        <div>
          <p className={cx(styles.readyLabel, styles[`text-${summary.tone}`])} data-testid="readiness-status">{summary.label}</p>
          <p className={styles.readyDetail}>
            {summary.detail}
            {readyz ? <> · HTTP <span className="num">{readyz.httpStatus}</span></> : null}
          </p>
        </div>
      </div>

      {staleNote && readyz ? <p className={styles.staleNote}><AlertIcon size={14} /> {staleNote}</p> : null}

      {summary.failed.length ? (
        <ul className={styles.checks} aria-label="Failing checks" data-testid="failed-checks">
          {summary.failed.map((c) => (
            <li key={c.name} className={cx(styles.check, styles.checkFailed)}>
              <CrossIcon size={16} className={styles.checkIconFail} />
              <span className={styles.checkName}>{c.name}</span>
              <span className={styles.checkReason}>{c.reason ?? 'failed'}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {summary.passing.length ? (
        <details className={styles.passing}>
          <summary className={styles.passingSummary}>
            <CheckIcon size={16} className={styles.checkIconOk} />
            <span><span className="num">{summary.passing.length}</span> {summary.passing.length === 1 ? 'check' : 'checks'} passing</span>
          </summary>
          <ul className={styles.passingList}>
            {summary.passing.map((c) => <li key={c.name} className={styles.passingItem}>{c.name}</li>)}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}
