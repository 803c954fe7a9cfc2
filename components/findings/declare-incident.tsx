'use client';
import { useRouter } from 'next/navigation';
import { useIdentity } from '@/components/incidents/use-identity';
import { isApiError } from '@/lib/query/api';
import { useCreateIncident } from '@/lib/query/incidents';
import styles from './findings.module.css';

export interface DeclareIncidentProps { clusterId: string; findingId: string }

/** One click: an incident from this finding (its title, severity and window, the finding linked), then its war room. */
export function DeclareIncident({ clusterId, findingId }: DeclareIncidentProps) {
  const create = useCreateIncident();
  const router = useRouter();
  const me = useIdentity();
  return (
    <span className={styles.declare}>
      <button type="button" className={styles.declareButton} disabled={create.isPending} data-testid="declare-incident"
        onClick={() => create.mutate({ fromFinding: { cluster: clusterId, findingId }, by: me.name }, { onSuccess: (i) => router.push(`/incidents/${encodeURIComponent(i.id)}`) })}>
        {create.isPending ? 'Declaring…' : 'Declare an incident →'}
      </button>
      {create.isError ? <span className={styles.declareError} role="alert">{isApiError(create.error) ? create.error.message : 'could not declare'}</span> : null}
    </span>
  );
}
