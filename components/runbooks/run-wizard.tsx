'use client';
import Link from 'next/link';
import { useState } from 'react';
import { runBesideTimelineHref } from '@/components/timeline/url-state';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/tone';
import { clockUtc } from '@/lib/detectors/finding';
import { isApiError } from '@/lib/query/api';
import { useRun, useRunAction, type RunAction, type RunView, type StepAct } from '@/lib/query/runbooks';
import { StepCard } from './step-card';
import { useOperatorName } from './use-operator-name';
import styles from './runbooks.module.css';

export interface RunWizardProps {
  clusterId: string;
  runId: number;
  initial: RunView;
  /**
   * Beside the timeline's charts (run-panel.tsx): one narrow column, no title (the panel's header
   * has it), the values folded away, no table of contents (the steps are the whole column).
   */
  embedded?: boolean;
}

/** The wizard: every step in order, checks re-evaluated live, progress saved with who and when. */
export function RunWizard({ clusterId, runId, initial, embedded = false }: RunWizardProps) {
  const { data: view = initial, dataUpdatedAt, isError } = useRun(clusterId, runId, initial);
  const action = useRunAction(clusterId, runId);
  const [name, setName] = useOperatorName();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const act = (a: StepAct | { action: 'close' | 'reopen' }) => action.mutate({ ...a, by: name } as RunAction);
  const checks = view.steps.filter((s) => s.check);
  const passing = checks.filter((s) => s.check!.status === 'pass').length;
  const settled = view.steps.filter((s) => s.status !== 'pending').length;
  const closed = view.run.closedAt !== null;
  const valueOf = (n: string) => view.values.find((v) => v.name === n)?.value ?? '';
  const toFill = new Set(view.steps.flatMap((s) => s.command?.missing ?? [])).size;
  const checkedAt = isError ? 'live checks unavailable: retrying' : `checked ${clockUtc(dataUpdatedAt || view.now)}`;

  const meta = (
    <p className={styles.meta}>
      started {clockUtc(view.run.startedAt)}{view.run.startedBy ? ` by ${view.run.startedBy}` : ''}{view.run.finding ? ` from the finding ${view.run.finding}` : ''}
      {closed ? <> · <Badge tone="neutral">closed {clockUtc(view.run.closedAt!)}</Badge></> : null}
    </p>
  );
  const whoInput = <input className={styles.input} value={name} placeholder="your name (kept in this browser)" onChange={(e) => setName(e.target.value)} aria-label="Your name" />;
  const values = (
    <>
      {view.runbook.inputs.map((i) => (
        <label key={i.name} className={styles.field}>
          <span>{i.label}</span>
          <input className={styles.input} placeholder={i.placeholder} value={draft[i.name] ?? view.run.inputs[i.name] ?? i.default ?? ''}
            onChange={(e) => setDraft({ ...draft, [i.name]: e.target.value })}
            onBlur={() => { if (draft[i.name] !== undefined && draft[i.name] !== (view.run.inputs[i.name] ?? i.default ?? '')) action.mutate({ action: 'inputs', inputs: { [i.name]: draft[i.name]! }, by: name }); }}
            disabled={closed} data-input={i.name} />
        </label>
      ))}
      <dl className={styles.values}>
        {view.values.filter((v) => !view.runbook.inputs.some((i) => i.name === v.name)).map((v) => (
          <div key={v.name} title={v.source}><dt>{v.name}</dt><dd className="num">{valueOf(v.name)}</dd><dd className={styles.source}>{v.source}</dd></div>
        ))}
      </dl>
    </>
  );
  const closeButton = (
    <button type="button" className={cx(styles.button, styles.small)} disabled={action.isPending} onClick={() => act({ action: closed ? 'reopen' : 'close' })}>
      {closed ? 'Reopen this run' : 'Close this run'}
    </button>
  );
  const steps = (
    <>
      {action.isError ? <p className={styles.error} role="alert">{isApiError(action.error) ? action.error.message : 'the server did not answer'}</p> : null}
      <ol className={styles.steps}>
        {view.steps.map((s, i) => (
          <StepCard key={s.id} step={s} index={i} clusterId={clusterId} canCapture={view.canCapture} busy={action.isPending} closed={closed} act={act} />
        ))}
      </ol>
      {view.runbook.references.length ? (
        <section className={styles.panel}><h2 className={styles.panelTitle}>References</h2>
          <ul className={styles.refs}>{view.runbook.references.map((r) => <li key={r.url}><a href={r.url} className={styles.link} target="_blank" rel="noreferrer">{r.title}</a></li>)}</ul>
        </section>
      ) : null}
    </>
  );

  if (embedded) {
    return (
      <div className={cx(styles.page, styles.embedded)} data-testid="runbook-run" data-run={view.run.id} data-embedded="">
        <div className={styles.embeddedStatus} aria-label="Progress">
          <span><span className={cx(styles.count, 'num', passing === checks.length ? styles.okText : styles.critText)}>{passing}/{checks.length}</span> checks pass</span>
          <span><span className={cx(styles.count, 'num')}>{settled}/{view.steps.length}</span> steps marked</span>
          <span className={styles.faint}>{checkedAt}</span>
        </div>
        {meta}
        <div className={styles.embeddedRow}>
          <label className={styles.inlineField}><span>You are</span>{whoInput}</label>
          {closeButton}
        </div>
        <details className={cx(styles.panel, styles.fold)}>
          <summary className={styles.panelTitle}>Values in the commands{toFill ? <span className={styles.toFill}> · {toFill} to fill in</span> : null}</summary>
          <div className={styles.foldBody}>{values}</div>
        </details>
        {steps}
      </div>
    );
  }

  return (
    <div className={styles.page} data-testid="runbook-run" data-run={view.run.id}>
      <header className={styles.header}>
        <div>
          <p className={styles.crumb}><Link href={`/clusters/${encodeURIComponent(clusterId)}/runbooks`} className={styles.link}>Runbooks</Link> / run #{view.run.id}</p>
          <h1 className={styles.title}>{view.runbook.title}</h1>
          <p className={styles.summary}>{view.runbook.summary}</p>
          {meta}
        </div>
        <div className={styles.progress} aria-label="Progress">
          <div><span className={cx(styles.big, 'num', passing === checks.length ? styles.okText : styles.critText)}>{passing}/{checks.length}</span> checks pass</div>
          <div><span className={cx(styles.big, 'num')}>{settled}/{view.steps.length}</span> steps marked</div>
          <div className={styles.faint}>{checkedAt}</div>
          {/* Follow the steps while watching the charts they talk about. */}
          <Link href={runBesideTimelineHref(clusterId, view.run.id)} className={styles.link} data-testid="run-beside-timeline">Beside the timeline →</Link>
        </div>
      </header>

      <div className={styles.layout}>
        <aside className={styles.side}>
          <section className={styles.panel} aria-labelledby="who-title">
            <h2 id="who-title" className={styles.panelTitle}>You are</h2>
            {whoInput}
          </section>
          <section className={styles.panel} aria-labelledby="values-title">
            <h2 id="values-title" className={styles.panelTitle}>Values in the commands</h2>
            {values}
          </section>
          <nav className={styles.panel} aria-label="Steps">
            <h2 className={styles.panelTitle}>Steps</h2>
            <ol className={styles.toc}>
              {view.steps.map((s) => (
                <li key={s.id} data-status={s.status}>
                  <a href={`#step-${s.id}`} className={cx(styles.tocItem, s.check && styles[`toc-${s.check.status}`], s.status !== 'pending' && styles.tocSettled)}>{s.title}</a>
                </li>
              ))}
            </ol>
            {closeButton}
          </nav>
        </aside>

        <main className={styles.main}>{steps}</main>
      </div>
    </div>
  );
}
