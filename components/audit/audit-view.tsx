'use client';
import { useCallback, useMemo } from 'react';
import { usePathname, useSearchParams } from 'next/navigation';
import { TimePicker } from '@/components/timeline/time-picker';
import { REFRESH_MS, zoomOut, type RefreshOption } from '@/components/timeline/url-state';
import { Badge } from '@/components/ui/badge';
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import { useAuditSummary, type AuditSummaryData } from '@/lib/query/audit';
import { auditSearch, readAuditState, type AuditUrlState } from './url-state';
import { VolumeCard } from './volume-card';
import { TopCard } from './top-card';
import { ErrorsCard, LatencyCard } from './errors-card';
import { ObjectSearch } from './object-search';
import { UploadCard } from './upload-card';
import { PolicyPanel } from './policy-panel';
import { formatMinute } from './format';
import styles from './audit.module.css';

export interface AuditViewProps {
  clusterId: string;
  clusterName: string;
  kind: 'live' | 'bundle';
  initial: AuditSummaryData;
}

/** Audit logs: who writes how much, what failed, who touched an object, and whether the policy is safe. */
export function AuditView({ clusterId, clusterName, kind, initial }: AuditViewProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => readAuditState((k) => params.get(k)), [params]);
  const navigate = useCallback((next: Partial<AuditUrlState>) => {
    const q = auditSearch({ ...state, ...next });
    window.history.replaceState(null, '', q ? `${pathname}?${q}` : pathname);
  }, [pathname, state]);
  const initialMatches = state.by === 'events' && state.from === undefined;
  const q = useAuditSummary(clusterId, { from: state.from, to: state.to, by: state.by }, initialMatches ? initial : undefined, kind === 'live' ? REFRESH_MS[state.refresh ?? 'off'] : 0);
  const data = q.data;
  const onRange = useCallback((r: { from: string; to: string }) => navigate({ from: r.from, to: r.to }), [navigate]);
  const onRefresh = useCallback((r: RefreshOption) => navigate({ refresh: r === 'off' ? undefined : r }), [navigate]);
  // No range picked: the picker shows the data's own bounds.
  const exprs = state.from !== undefined && state.to !== undefined
    ? { from: state.from, to: state.to }
    : { from: String(data?.range?.from ?? data?.now ?? 0), to: String(data?.range?.to ?? data?.now ?? 0) };

  return (
    <div className={styles.page} data-testid="audit-page">
      <header className={styles.header}>
        <div className={styles.titleRow}>
          {kind === 'live' ? <Badge tone="info" variant="solid">LIVE</Badge> : <Badge tone="bundle" variant="solid">BUNDLE</Badge>}
          <h1 className={styles.title}>{clusterName}<span className={styles.titleSub}>Audit</span></h1>
        </div>
        {data?.range ? (
          <div className={styles.figures} data-testid="audit-figures">
            <div>Events<strong>{formatCount(data.total.events)}</strong></div>
            <div>Bytes<strong>{formatBytes(data.total.bytes)}</strong></div>
            <div>Range (UTC)<strong>{formatMinute(data.range.from)} → {formatMinute(data.range.to).slice(11)}</strong></div>
            {state.from !== undefined ? <button type="button" className={styles.button} onClick={() => navigate({ from: undefined, to: undefined })}>All data</button> : null}
          </div>
        ) : null}
        <TimePicker
          exprs={exprs}
          resolved={data?.range ?? null}
          refresh={state.refresh ?? 'off'}
          live={kind === 'live'}
          busy={q.isFetching}
          onRange={onRange}
          onZoomOut={() => { if (data?.range) onRange(zoomOut(data.range, exprs, data.now)); }}
          onRefresh={onRefresh}
        />
      </header>
      {q.isError ? <p className={styles.alert} role="alert">Audit data unavailable: {q.error.message}</p> : null}
      {data ? (
        <>
          <div className={styles.grid2}>
            <VolumeCard data={data} onZoom={(r) => navigate({ from: String(r.from), to: String(r.to) })} />
            <UploadCard clusterId={clusterId} sources={data.sources} />
          </div>
          <div className={styles.grid2}>
            <TopCard data={data} tab={state.tab} by={state.by} onTab={(tab) => navigate({ tab })} onBy={(by) => navigate({ by })} />
            <ErrorsCard data={data} />
          </div>
          <LatencyCard data={data} />
          <ObjectSearch clusterId={clusterId} value={state.object} onSearch={(object) => navigate({ object })} />
          <PolicyPanel clusterId={clusterId} />
        </>
      ) : <p className={styles.empty}>Loading…</p>}
    </div>
  );
}
