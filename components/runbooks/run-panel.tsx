'use client';
import Link from 'next/link';
import { useRun, type RunView } from '@/lib/query/runbooks';
import { RunWizard } from './run-wizard';
import styles from './runbooks.module.css';

export interface RunPanelProps {
  clusterId: string;
  runId: number;
  /** The server render's view of this run; absent when the run was chosen after it (fetched here). */
  initial?: RunView;
  onClose: () => void;
}

/**
 * A run's wizard in a side panel (the timeline's `?run=`): the operator follows the steps while
 * watching the charts. Same wizard, same live checks (useRun polls), one narrow column.
 * A run that does not exist shows nothing: a stale link must not cover the charts with an error.
 */
export function RunPanel({ clusterId, runId, initial, onClose }: RunPanelProps) {
  const { data: view, isError } = useRun(clusterId, runId, initial);
  if (!view && isError) return null;
  return (
    <aside className={styles.sidePanel} aria-labelledby="run-panel-title" data-testid="run-panel" data-run={runId}>
      <header className={styles.sideHead}>
        <div className={styles.sideTitleBox}>
          <p className={styles.crumb}>Runbook · run #{runId}</p>
          <h2 id="run-panel-title" className={styles.sideTitle}>{view?.runbook.title ?? 'Loading the run…'}</h2>
        </div>
        <Link href={`/clusters/${encodeURIComponent(clusterId)}/runbooks?run=${runId}`} className={styles.link} data-testid="run-panel-full">Open full page</Link>
        <button type="button" className={styles.closeX} onClick={onClose} aria-label="Close the runbook panel" title="Close (the run stays as it is)">×</button>
      </header>
      <div className={styles.sideBody}>
        {view ? <RunWizard clusterId={clusterId} runId={runId} initial={view} embedded /> : null}
      </div>
    </aside>
  );
}
