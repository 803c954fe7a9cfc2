'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { csrfHeaders } from '@/lib/auth/constants';
import type { ClusterSummary } from '@/lib/query/clusters';
import { queryKeys } from '@/lib/query/keys';
import styles from './clusters.module.css';

/**
 * Removing an uploaded bundle (admins; it is gone for everyone): a second click confirms, naming
 * what goes. The server refuses while an incident uses the bundle, and says which.
 */
export function RemoveBundle({ cluster }: { cluster: ClusterSummary }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/bundles/${encodeURIComponent(cluster.id)}`, { method: 'DELETE', headers: csrfHeaders() });
      if (!res.ok) {
        const j = (await res.json().catch(() => null)) as { error?: string } | null;
        setError(j?.error ?? `could not remove it (HTTP ${res.status})`);
        setConfirming(false);
        return;
      }
      qc.setQueryData<ClusterSummary[]>(queryKeys.clusters(), (l) => l?.filter((c) => c.id !== cluster.id));
      await qc.invalidateQueries({ queryKey: queryKeys.clusters() });
    } catch {
      setError('no answer from the server');
    } finally { setBusy(false); }
  };
  return (
    <div className={styles.cardActions} data-testid={`remove-bundle-${cluster.id}`}>
      {error ? <p className={styles.actionError} role="alert">{error}</p> : null}
      {confirming ? (
        <>
          <span className={styles.confirmText}>Remove {cluster.name} and all its data, for everyone?</span>
          <button type="button" className={styles.dangerButton} onClick={() => void remove()} disabled={busy}>{busy ? 'Removing…' : 'Remove'}</button>
          <button type="button" className={styles.actionButton} onClick={() => setConfirming(false)} disabled={busy}>Keep</button>
        </>
      ) : (
        <button type="button" className={styles.actionButton} onClick={() => setConfirming(true)}>Remove…</button>
      )}
    </div>
  );
}
