'use client';
import { useState } from 'react';
import { isApiError } from '@/lib/query/api';
import { useCaptureNow, type CaptureKind, type CaptureSummary } from '@/lib/query/runtime';
import styles from './runtime.module.css';

export interface CaptureActionsProps {
  clusterId: string;
  canCapture: boolean;
  /** Why capturing is off (a bundle is read-only). */
  reason?: string;
  /** Components with a pprof endpoint (kube-apiserver, and etcd where an endpoint is configured). */
  components: string[];
  onCaptured: (c: CaptureSummary) => void;
}

/** "Capture goroutines" / "Capture heap" against the live apiserver; the server single-flights and rate-limits. */
export function CaptureActions({ clusterId, canCapture, reason, components, onCaptured }: CaptureActionsProps) {
  const m = useCaptureNow(clusterId);
  const [component, setComponent] = useState(components[0] ?? 'kube-apiserver');
  const run = (kind: CaptureKind) => m.mutate({ kind, component }, { onSuccess: onCaptured });
  const busy = m.isPending ? m.variables?.kind : undefined;
  return (
    <div className={styles.actions}>
      {!canCapture && reason ? <span className={styles.note} data-testid="capture-disabled-note">{reason}</span> : null}
      {m.isError ? (
        <span className={styles.note} role="alert" data-testid="capture-error" style={{ color: isApiError(m.error) && m.error.status === 429 ? 'var(--warn-text)' : 'var(--crit-text)' }}>
          {m.error.message}
        </span>
      ) : null}
      {canCapture && components.length > 1 ? (
        <label className={styles.note}>
          from{' '}
          <select value={component} onChange={(e) => setComponent(e.target.value)} disabled={m.isPending} aria-label="Component to capture from" data-testid="capture-component">
            {components.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
      ) : null}
      <button type="button" className={`${styles.button} ${styles.primary}`} disabled={!canCapture || m.isPending} onClick={() => run('goroutine')}>
        {busy === 'goroutine' ? 'Capturing goroutines…' : 'Capture goroutines'}
      </button>
      <button type="button" className={`${styles.button} ${styles.primary}`} disabled={!canCapture || m.isPending} onClick={() => run('heap')}>
        {busy === 'heap' ? 'Capturing heap…' : 'Capture heap'}
      </button>
    </div>
  );
}
