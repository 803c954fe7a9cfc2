'use client';
import Link from 'next/link';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { AlertIcon, CheckIcon, CrossIcon } from '@/components/ui/icons';
import { cx, type Tone } from '@/components/ui/tone';
import { clockUtc } from '@/lib/detectors/finding';
import type { RunStep, StepAct } from '@/lib/query/runbooks';
import styles from './runbooks.module.css';

export interface StepCardProps {
  step: RunStep;
  index: number;
  clusterId: string;
  canCapture: boolean;
  busy: boolean;
  closed: boolean;
  act: (a: StepAct) => void;
}

const CHECK_TONE: Record<string, Tone> = { pass: 'ok', fail: 'crit', unknown: 'neutral' };
const STATUS_TONE: Record<string, Tone> = { done: 'ok', skipped: 'neutral', failed: 'crit', pending: 'neutral' };
const KIND_LABEL: Record<RunStep['kind'], string> = { check: 'Check', command: 'Command', capture: 'Capture', decide: 'Decide', note: 'Note' };

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" className={cx(styles.button, styles.small)} onClick={() => {
      void navigator.clipboard?.writeText(text).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500); });
    }}>{copied ? 'Copied' : 'Copy'}</button>
  );
}

/** One step: what to do, its live state (checks), and who marked it done, skipped or failed, when. */
export function StepCard({ step: s, index, clusterId, canCapture, busy, closed, act }: StepCardProps) {
  const checkTone = s.check ? CHECK_TONE[s.check.status] : undefined;
  const edge = s.kind === 'check' ? checkTone : s.kind === 'note' && s.tone === 'critical' ? 'crit' : s.kind === 'note' && s.tone === 'warning' ? 'warn' : undefined;
  return (
    <li className={cx(styles.step, edge && styles[`edge-${edge}`], s.status !== 'pending' && styles.stepSettled)} id={`step-${s.id}`} data-testid="runbook-step" data-step={s.id} data-kind={s.kind} data-status={s.status} data-check={s.check?.status}>
      <div className={styles.stepHead}>
        <span className={cx(styles.stepNo, 'num')}>{index + 1}</span>
        <Badge tone="neutral" variant="outline">{KIND_LABEL[s.kind]}</Badge>
        <h3 className={styles.stepTitle}>{s.title}</h3>
        {s.check ? (
          <Badge tone={checkTone} variant="solid" className={styles.checkBadge}>
            {s.check.status === 'pass' ? <CheckIcon size={12} /> : s.check.status === 'fail' ? <CrossIcon size={12} /> : null}
            {s.check.status === 'pass' ? 'PASS' : s.check.status === 'fail' ? 'FAIL' : 'NO DATA'}
          </Badge>
        ) : null}
      </div>
      {s.detail ? <div className={styles.detail}>{s.detail.split('\n\n').map((p) => <p key={p}>{p}</p>)}</div> : null}
      {s.check ? (
        <ul className={cx(styles.evidence, styles[`ev-${checkTone}`])} aria-label="Check evidence">
          {s.check.evidence.map((e) => <li key={e} className="num">{e}</li>)}
          <li className={styles.faint}>evaluated {clockUtc(s.check.at)} · re-checked every 10 s</li>
        </ul>
      ) : null}
      {s.command ? (
        <div className={styles.command}>
          <div className={styles.commandBar}>
            <span>run on: <strong>{s.command.where}</strong></span>
            {s.command.mutating ? <Badge tone="warn"><AlertIcon size={12} /> changes the cluster</Badge> : <Badge tone="info">read-only</Badge>}
            <CopyButton text={s.command.text} />
          </div>
          <pre className={styles.pre}><code>{s.command.text}</code></pre>
          {s.command.missing.length ? <p className={styles.missing}>Fill in first: {s.command.missing.map((m) => <code key={m}>{`<${m}>`}</code>)}</p> : null}
        </div>
      ) : null}
      {s.capture ? (
        <div className={styles.row}>
          <button type="button" className={cx(styles.button, styles.primary)} disabled={!canCapture || busy || closed} onClick={() => act({ action: 'capture', step: s.id })}>
            {s.capture.kind === 'goroutine' ? 'Take a goroutine dump now' : s.capture.kind === 'heap' ? 'Take a heap profile now' : 'Count objects now'}
          </button>
          {s.capture.captureId !== undefined ? (
            <Link href={`/clusters/${encodeURIComponent(clusterId)}/runtime?${s.capture.kind === 'heap' ? 'h' : 'g'}=${s.capture.captureId}`} className={styles.link}>Open capture #{s.capture.captureId} →</Link>
          ) : null}
          {!canCapture ? <span className={styles.faint}>a bundle: captures come from live clusters</span> : null}
        </div>
      ) : null}
      {s.options ? (
        <div className={styles.row} role="group" aria-label="Choose">
          {s.options.map((o) => (
            <button key={o.goto} type="button" className={cx(styles.button, s.decision === o.goto && styles.primary)} disabled={busy || closed}
              onClick={() => { act({ action: 'step', step: s.id, status: 'done', goto: o.goto }); document.getElementById(`step-${o.goto}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' }); }}>
              {o.label} →
            </button>
          ))}
        </div>
      ) : null}
      <div className={styles.stepFoot}>
        <div className={styles.marks} role="group" aria-label="Mark this step">
          {(['done', 'skipped', 'failed'] as const).map((st) => (
            <button key={st} type="button" className={cx(styles.button, styles.small, s.status === st && styles[`mark-${st}`])} disabled={busy || closed}
              aria-pressed={s.status === st} onClick={() => act({ action: 'step', step: s.id, status: s.status === st ? 'pending' : st })}>
              {st === 'done' ? 'Done' : st === 'skipped' ? 'Skip' : 'Failed'}
            </button>
          ))}
        </div>
        {s.status !== 'pending' && s.t ? (
          <span className={styles.who}>
            <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge> by <strong>{s.by || 'someone'}</strong> at <span className="num">{clockUtc(s.t)}</span>
            {s.note ? <> · {s.note}</> : null}
          </span>
        ) : null}
      </div>
    </li>
  );
}
