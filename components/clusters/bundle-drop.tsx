'use client';
import Link from 'next/link';
import { useRef, useState, type DragEvent } from 'react';
import { clusterHref } from '@/components/app/cluster-nav';
import { AlertIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { useUploadBundle } from '@/lib/query/bundles';
import styles from './clusters.module.css';

/** Drop (or pick) a capture bundle (.tar.gz from `kube-forensics capture` or an export): it is imported and listed. */
export function BundleDrop() {
  const upload = useUploadBundle();
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const send = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      try { await upload.mutateAsync(f); } catch { /* shown below from the mutation's state */ }
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
        data-testid="bundle-drop"
      >
        <strong>{upload.isPending ? 'Uploading and importing…' : 'Drop a capture bundle here to replay it'}</strong>
        <span>or click to choose · a .tar.gz from <code>kube-forensics capture</code> or an export · up to 512 MiB</span>
        <input ref={input} type="file" accept=".gz,.tgz,application/gzip" className="visually-hidden" data-testid="bundle-input" onChange={(e) => void send(e.target.files)} />
      </label>
      {upload.isError ? (
        <p className={styles.fetchError} role="alert" data-testid="bundle-upload-error"><AlertIcon size={16} /> Bundle refused: {upload.error.message}</p>
      ) : null}
      {upload.isSuccess ? (
        <p className={styles.hint} role="status" data-testid="bundle-uploaded">Imported <Link href={clusterHref(upload.data.id)}>{upload.data.name}</Link>.</p>
      ) : null}
    </div>
  );
}
