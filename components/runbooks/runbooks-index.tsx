'use client';
import { useRouter } from 'next/navigation';
import { runBesideTimelineHref } from '@/components/timeline/url-state';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/tone';
import { clockUtc } from '@/lib/detectors/finding';
import { isApiError } from '@/lib/query/api';
import { useRunbooksIndex, useStartRun, type RunbooksIndex as IndexData } from '@/lib/query/runbooks';
import { useOperatorName } from './use-operator-name';
import styles from './runbooks.module.css';

export interface RunbooksIndexProps {
  clusterId: string;
  initial: IndexData;
  /** Opened from a finding: that runbook first, with a start button. */
  suggested?: { runbook: string; finding?: string };
  /** Opened from the timeline: its query, so a run started here opens beside those charts. */
  timeline?: string;
}

/** The runbook menu: start one (from a finding, or by choice), or resume a run. */
export function RunbooksIndex({ clusterId, initial, suggested, timeline }: RunbooksIndexProps) {
  const { data = initial } = useRunbooksIndex(clusterId, initial);
  const start = useStartRun(clusterId);
  const router = useRouter();
  const [name, setName] = useOperatorName();
  const go = (runbook: string, finding?: string) => start.mutate({ runbook, finding, by: name }, {
    onSuccess: (run) => router.push(timeline !== undefined
      ? runBesideTimelineHref(clusterId, run.id, timeline)
      : `/clusters/${encodeURIComponent(clusterId)}/runbooks?run=${run.id}`),
  });
  const books = [...data.runbooks].sort((a, b) => Number(b.id === suggested?.runbook) - Number(a.id === suggested?.runbook));
  const title = (id: string) => data.runbooks.find((r) => r.id === id)?.title ?? id;
  return (
    <div className={styles.page} data-testid="runbooks-index">
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>Runbooks</h1>
          <p className={styles.summary}>Step-by-step responses to the control-plane failures kube-forensics detects. Checks evaluate themselves against the recording; commands are templated with this cluster&apos;s values for you to run: kube-forensics never runs them.</p>
          {timeline !== undefined ? <p className={styles.meta} data-testid="starts-beside-timeline">From the timeline: a run you start opens beside its charts.</p> : null}
        </div>
        <label className={styles.field}><span>You are</span>
          <input className={styles.input} value={name} placeholder="your name" onChange={(e) => setName(e.target.value)} />
        </label>
      </header>
      {start.isError ? <p className={styles.error} role="alert">{isApiError(start.error) ? start.error.message : 'could not start'}</p> : null}
      <ul className={styles.books}>
        {books.map((r) => (
          <li key={r.id} className={cx(styles.book, r.id === suggested?.runbook && styles.suggested)} data-runbook={r.id}>
            <div className={styles.stepHead}>
              <h2 className={styles.stepTitle}>{r.title}</h2>
              {r.id === suggested?.runbook ? <Badge tone="crit" variant="solid">FROM {suggested.finding ?? 'A FINDING'}</Badge> : null}
            </div>
            <p className={styles.detail}>{r.summary}</p>
            <div className={styles.row}>
              <button type="button" className={cx(styles.button, r.id === suggested?.runbook && styles.primary)} disabled={start.isPending}
                onClick={() => go(r.id, r.id === suggested?.runbook ? suggested.finding : undefined)}>Start ({r.steps} steps) →</button>
            </div>
          </li>
        ))}
      </ul>
      <section className={styles.panel} aria-labelledby="runs-title">
        <h2 id="runs-title" className={styles.panelTitle}>Runs</h2>
        {data.runs.length ? (
          <table className={styles.table}>
            <thead><tr><th>#</th><th>runbook</th><th>started</th><th>by</th><th>state</th></tr></thead>
            <tbody>{data.runs.map((r) => (
              <tr key={r.id}>
                <td className="num"><a className={styles.link} href={`/clusters/${encodeURIComponent(clusterId)}/runbooks?run=${r.id}`}>#{r.id}</a></td>
                <td>{title(r.runbook)}</td><td className="num">{new Date(r.startedAt).toISOString().slice(0, 10)} {clockUtc(r.startedAt)}</td>
                <td>{r.startedBy || '–'}</td><td>{r.closedAt ? <Badge tone="neutral">closed</Badge> : <Badge tone="warn">open</Badge>}</td>
              </tr>
            ))}</tbody>
          </table>
        ) : <p className={styles.faint}>No runs yet on this cluster.</p>}
      </section>
    </div>
  );
}
