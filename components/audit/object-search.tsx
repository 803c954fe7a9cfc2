'use client';
import { useState, type FormEvent } from 'react';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { formatCount } from '@/lib/format/number';
import { useAuditTouches } from '@/lib/query/audit';
import styles from './audit.module.css';

export interface ObjectSearchProps {
  clusterId: string;
  value: { resource: string; namespace?: string; name: string } | null;
  onSearch: (v: { resource: string; namespace?: string; name: string } | null) => void;
}

/** Who touched this object: every completed request on it, newest first, write bodies redacted. */
export function ObjectSearch({ clusterId, value, onSearch }: ObjectSearchProps) {
  const [resource, setResource] = useState(value?.resource ?? 'configmaps');
  const [namespace, setNamespace] = useState(value?.namespace ?? '');
  const [name, setName] = useState(value?.name ?? '');
  const q = useAuditTouches(clusterId, value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = resource.trim().toLowerCase();
    onSearch(r && name.trim() ? { resource: r, name: name.trim(), ...(namespace.trim() ? { namespace: namespace.trim() } : {}) } : null);
  };
  return (
    <Card id="audit-object" title="Who touched this object" testId="audit-object" aside={q.data ? `${formatCount(q.data.total)} requests` : undefined}>
      <form className={styles.form} onSubmit={submit} data-testid="audit-object-form">
        <label>Resource<input className={styles.input} value={resource} onChange={(e) => setResource(e.target.value)} placeholder="configmaps" size={16} /></label>
        <label>Namespace<input className={styles.input} value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder="(any)" size={14} /></label>
        <label>Name<input className={styles.input} value={name} onChange={(e) => setName(e.target.value)} placeholder="name" size={22} /></label>
        <button type="submit" className={`${styles.button} ${styles.primary}`}>Search</button>
      </form>
      {!value ? <p className={styles.empty}>Plural resource and name, as in the request path (secrets, leases, pods…).</p>
        : q.isError ? <p className={styles.alert} role="alert">{q.error.message}</p>
          : !q.data ? <p className={styles.empty}>Searching…</p>
            : q.data.rows.length === 0 ? <p className={styles.empty}>No request on {value.resource}/{value.name} in the ingested logs.</p> : (
              <table className={styles.table} data-testid="audit-object-table">
                <thead><tr><th>Time (UTC)</th><th>Verb</th><th>Code</th><th>User</th><th>User agent · IP</th><th>Request body</th></tr></thead>
                <tbody>
                  {q.data.rows.map((r) => (
                    <tr key={`${r.auditID}-${r.t}`}>
                      <td className={styles.num}>{new Date(r.t).toISOString().slice(0, 23).replace('T', ' ')}</td>
                      <td>{r.verb}{r.subresource ? `/${r.subresource}` : ''}</td>
                      <td>{r.code === null ? '—' : <Badge tone={r.code >= 500 ? 'crit' : r.code >= 400 ? 'warn' : 'ok'}>{r.code}</Badge>}</td>
                      <td className={styles.key}>{r.username}</td>
                      <td className={styles.key}>{r.userAgent || '—'}<br /><span className={styles.note}>{r.sourceIP}{r.namespace ? ` · ${r.namespace}` : ''}</span></td>
                      <td className={`${styles.key} ${styles.mono}`}>{r.request ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
    </Card>
  );
}
