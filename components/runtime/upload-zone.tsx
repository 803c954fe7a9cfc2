'use client';
import { useRef, useState, type DragEvent } from 'react';
import { AlertIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { useUploadCapture, type CaptureSummary } from '@/lib/query/runtime';
import styles from './runtime.module.css';

export interface UploadZoneProps { clusterId: string; onUploaded: (c: CaptureSummary) => void }

/** Drop (or pick) goroutine dumps (debug=1 or 2) and heap profiles (gzip or raw proto), up to 128 MiB each. */
export function UploadZone({ clusterId, onUploaded }: UploadZoneProps) {
  const upload = useUploadCapture(clusterId);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      try { onUploaded(await upload.mutateAsync(f)); } catch { /* shown below from the mutation's state */ }
    }
    if (input.current) input.current.value = '';
  };
  const onDrop = (e: DragEvent) => { e.preventDefault(); setOver(false); void send(e.dataTransfer.files); };

  return (
    <div>
      <label
        className={cx(styles.drop, over && styles.dropActive)}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="upload-zone"
      >
        <strong>{upload.isPending ? 'Uploading and parsing…' : 'Drop a goroutine dump or heap profile here'}</strong>
        <span>or click to choose · /debug/pprof/goroutine?debug=1|2 text, /debug/pprof/heap (.pb.gz) · up to 128 MiB</span>
        <input ref={input} type="file" multiple className="visually-hidden" data-testid="upload-input" onChange={(e) => void send(e.target.files)} />
      </label>
      {upload.isError ? (
        <p className={styles.alert} role="alert" data-testid="upload-error" style={{ marginTop: 'var(--space-2)' }}>
          <AlertIcon size={18} /> <span>Upload refused: {upload.error.message}</span>
        </p>
      ) : null}
    </div>
  );
}
