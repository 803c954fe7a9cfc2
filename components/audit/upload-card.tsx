'use client';
import { useRef, useState, type DragEvent } from 'react';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { formatBytes, formatPercent } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import { useAuditUpload, type AuditSource } from '@/lib/query/audit';
import { cx } from '@/components/ui/tone';
import styles from './audit.module.css';

export interface UploadCardProps { clusterId: string; sources: AuditSource[] }

const TONE = { ingesting: 'info', following: 'ok', done: 'neutral', failed: 'crit' } as const;

/** Upload an audit log (JSON lines, plain or .gz) and watch ingestion progress; lists the sources. */
export function UploadCard({ clusterId, sources }: UploadCardProps) {
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const upload = useAuditUpload(clusterId, (s, t) => setSent({ sent: s, total: t }));
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const send = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      try { await upload.mutateAsync(f); } catch { /* shown from the mutation state */ }
    }
    setSent(null);
    if (input.current) input.current.value = '';
  };
  return (
    <Card id="audit-sources" title="Audit logs" testId="audit-sources">
      <label className={cx(styles.drop, over && styles.dropActive)} data-testid="audit-upload"
        onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)}
        onDrop={(e: DragEvent) => { e.preventDefault(); setOver(false); void send(e.dataTransfer.files); }}>
        <strong>{upload.isPending ? 'Uploading…' : 'Drop a kube-apiserver audit log here'}</strong>
        <span>or click to choose · JSON lines (--audit-log-format=json), plain or .gz</span>
        <input ref={input} type="file" className="visually-hidden" data-testid="audit-upload-input" onChange={(e) => void send(e.target.files)} />
      </label>
      {sent ? <div className={styles.progress} aria-label="upload progress"><div className={styles.progressFill} style={{ width: `${sent.total ? (sent.sent / sent.total) * 100 : 0}%` }} /></div> : null}
      {upload.isError ? <p className={styles.alert} role="alert" style={{ marginTop: 'var(--space-2)' }}>Upload refused: {upload.error.message}</p> : null}
      <ul className={styles.sources}>
        {sources.map((s) => {
          const pct = s.totalBytes ? Math.min(1, s.readBytes / s.totalBytes) : null;
          return (
            <li key={s.id} data-testid="audit-source">
              <Badge tone={TONE[s.status]}>{s.status}</Badge> <strong className={styles.key}>{s.name}</strong>{' '}
              <span className={styles.note}>{s.kind} · {formatCount(s.events)} events · {formatBytes(s.bytes)}{s.damaged ? ` · ${formatCount(s.damaged)} damaged lines` : ''}</span>
              {s.status === 'ingesting' && pct !== null ? <div className={styles.progress}><div className={styles.progressFill} style={{ width: `${pct * 100}%` }} /></div> : null}
              {s.status === 'ingesting' && pct !== null ? <span className={styles.note}> {formatPercent(pct)} of {formatBytes(s.totalBytes)}</span> : null}
              {s.error ? <div className={styles.note}>{s.error}</div> : null}
              {s.damage && s.damage.first.length > 0 ? (
                <details><summary className={styles.note}>damaged lines (a full disk cuts events short)</summary>
                  <ul>{s.damage.first.slice(0, 10).map((d) => <li key={d.line} className={styles.mono}>line {d.line}: {d.message}</li>)}</ul>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      {sources.length === 0 ? <p className={styles.note}>No audit log yet. Upload one, or set <code>audit: {'{ path: … }'}</code> for this cluster in the server config.</p> : null}
    </Card>
  );
}
