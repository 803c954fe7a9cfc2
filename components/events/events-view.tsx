'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { TimePicker } from '@/components/timeline/time-picker';
import { defaultRefresh, REFRESH_MS, zoomOut, type RefreshOption } from '@/components/timeline/url-state';
import tl from '@/components/timeline/timeline.module.css';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { AlertIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import type { EventFilter } from '@/lib/events/filter';
import { formatCount } from '@/lib/format/number';
import { formatUtc, formatUtcRange } from '@/lib/format/time';
import { useEvents, type Events, type StormData } from '@/lib/query/events';
import { EventStrip } from './event-strip';
import { EventsTable, GroupsTable } from './events-table';
import { FilterBar } from './filter-bar';
import { StormList } from './storm-list';
import { eventsApiParams, eventsSearch, MAX_LIMIT, readEventsParams, type EventsUrlState } from './url-state';
import styles from './events.module.css';

export interface EventsViewProps {
  clusterId: string;
  clusterName: string;
  kind: 'live' | 'bundle';
  initial: Events | null;
  initialParams: Record<string, string>;
  initialError?: string;
  defaults: { from: string; to: string };
}

export function EventsView({ clusterId, clusterName, kind, initial, initialParams, initialError, defaults }: EventsViewProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => readEventsParams((k) => params.get(k), defaults), [params, defaults]);
  const refresh = state.refresh ?? defaultRefresh(kind);
  const apiParams = useMemo(() => eventsApiParams(state), [state]);
  const q = useEvents(clusterId, apiParams, {
    initial: initial ? { params: initialParams, data: initial } : undefined,
    refreshMs: REFRESH_MS[refresh],
    immutable: kind === 'bundle',
  });
  const data = q.data;

  const navigate = useCallback((next: Partial<EventsUrlState>, how: 'push' | 'replace' = 'push') => {
    const url = `${pathname}?${eventsSearch({ ...state, ...next })}`;
    if (how === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, [pathname, state]);

  // A new range or filter drops the strip selection (it may fall outside) and the enlarged limit.
  const onRange = useCallback((r: { from: string; to: string }) => navigate({ ...r, sel: undefined, limit: undefined }), [navigate]);
  const onFilter = useCallback((f: EventFilter) => navigate({ filter: f, limit: undefined }), [navigate]);
  const onObject = useCallback((o: { kind: string; namespace: string; name: string }) =>
    navigate({ filter: { ...state.filter, kind: o.kind, namespace: o.namespace || undefined, name: o.name }, group: false, limit: undefined }), [navigate, state.filter]);
  const onStorm = useCallback((s: StormData) => navigate({ filter: { ...state.filter, reason: s.reason }, sel: { from: s.from, to: s.to }, group: false }), [navigate, state.filter]);
  const onRefresh = useCallback((r: RefreshOption) => navigate({ refresh: r }, 'replace'), [navigate]);

  const atInitial = Object.entries(apiParams).every(([k, v]) => initialParams[k] === v);
  const error = q.isError ? q.error.message : !data && atInitial ? initialError : undefined;
  const shown = data ? (data.groups ? data.groups.length : data.rows.length) : 0;
  const limit = state.limit ?? Number(apiParams.limit);

  return (
    <div className={tl.page} data-testid="events-page">
      <header className={tl.header}>
        <div className={tl.headMain}>
          <div className={tl.titleRow}>
            {kind === 'live' ? <Badge tone="info" variant="solid">LIVE</Badge> : <Badge tone="bundle" variant="solid">BUNDLE</Badge>}
            <h1 className={tl.title}>{clusterName} <span className={tl.titleSub}>Events</span></h1>
          </div>
          {data ? (
            <p className={cx(tl.rangeLine, 'num')} data-testid="range-line" data-from={data.from} data-to={data.to}>
              <span>{formatUtcRange(data.from, data.to)}</span>
              <span className={tl.dotSep} aria-hidden="true">·</span>
              <span>{kind === 'bundle' ? `capture ends ${formatUtc(data.now, data.to)}` : `as of ${formatUtc(data.now, data.to)}`}</span>
              <span className={tl.hint}>
                <span className={tl.dotSep} aria-hidden="true">·</span>
                <span className={tl.faint}>{formatCount(data.archived)} events archived · kept after the apiserver&apos;s --event-ttl</span>
              </span>
            </p>
          ) : null}
        </div>
        <TimePicker
          exprs={state}
          resolved={data ? { from: data.from, to: data.to } : null}
          refresh={refresh}
          live={kind === 'live'}
          busy={q.isFetching}
          onRange={onRange}
          onZoomOut={() => { if (data) onRange(zoomOut(data, state, data.now)); }}
          onRefresh={onRefresh}
        />
      </header>

      {error ? (
        <div className={tl.errorBox} role="alert" data-testid="events-error">
          <AlertIcon size={20} />
          <p><strong>{data ? 'Could not load these events' : 'These events cannot be shown'}:</strong> {error}</p>
          <button type="button" className={tl.toolButton} onClick={() => navigate({ from: 'now-1h', to: 'now', sel: undefined })}>Show the last hour</button>
        </div>
      ) : null}

      {data ? (
        <>
          <StormList storms={data.storms} now={data.now} onShow={onStorm} />
          <EventStrip strip={data.strip} storms={data.storms} selection={data.selection} now={data.now} onSelect={(sel) => navigate({ sel: sel ?? undefined })} />
          <Card id="events" title={data.groups ? 'Objects' : 'Events'} testId="events-card"
            aside={<span className="num" data-testid="events-count">
              {data.groups ? `${formatCount(data.total)} objects` : `${formatCount(data.total)} events`}
              {data.truncated ? ` · newest ${formatCount(shown)} shown` : ''} · newest first
            </span>}>
            <div style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
              <FilterBar filter={state.filter} facets={data.facets} group={state.group} onFilter={onFilter} onGroup={(g) => navigate({ group: g, limit: undefined })} />
              {shown === 0 ? (
                <p className={styles.empty} data-testid="events-empty">
                  {data.archived === 0
                    ? kind === 'live' ? 'No events archived yet: the recorder lists and watches Events as soon as the cluster answers.' : 'This bundle has no events.'
                    : 'No event matches in this range. Widen the range or clear a filter.'}
                </p>
              ) : data.groups ? (
                <GroupsTable groups={data.groups} now={data.now} onObject={onObject} />
              ) : (
                <EventsTable rows={data.rows} storms={data.storms} now={data.now} onObject={onObject} />
              )}
              {data.truncated && limit < MAX_LIMIT ? (
                <p className={styles.more}>
                  <button type="button" className={styles.linkButton} onClick={() => navigate({ limit: Math.min(MAX_LIMIT, limit * 4) }, 'replace')} data-testid="show-more">
                    Show up to {formatCount(Math.min(MAX_LIMIT, limit * 4))}
                  </button>
                  <span className={styles.muted}> or narrow the range, pick minutes in the strip, or filter.</span>
                </p>
              ) : null}
              <p className={cx(styles.foot, 'num')}>answered in {data.tookMs} ms</p>
            </div>
          </Card>
        </>
      ) : !error ? <p className={tl.loading}>Loading events…</p> : null}
    </div>
  );
}
