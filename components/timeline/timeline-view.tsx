'use client';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { findingRunbookHref, openRunFor } from '@/components/findings/runbook-link';
import { zoomToEvidence } from '@/components/findings/timeline-link';
import { eventsHref } from '@/components/events/url-state';
import { RunPanel } from '@/components/runbooks/run-panel';
import { Badge } from '@/components/ui/badge';
import { AlertIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { formatCount } from '@/lib/format/number';
import { formatUtc, formatUtcRange } from '@/lib/format/time';
import { useRunbooksIndex, type RunbooksIndex, type RunView } from '@/lib/query/runbooks';
import { useTimeline, type Finding, type Timeline } from '@/lib/query/timeline';
import { emptyMessage, markersInRange } from './chart-data';
import { FindingsStrip } from './findings-strip';
import { PanelCard, panelDomId } from './panel-card';
import type { ChartFrame } from './panel-chart';
import { TimePicker } from './time-picker';
import { useElementHeight, useElementWidth, useRootFontSize } from './use-element-width';
import {
  defaultRefresh, dragRange, readTimelineParams, REFRESH_MS, timelineSearch, zoomOut, type RefreshOption, type TimelineUrlState,
} from './url-state';
import styles from './timeline.module.css';

export interface TimelineViewProps {
  clusterId: string;
  clusterName: string;
  kind: 'live' | 'bundle';
  /** The server render's answer for `initialRange`, or null when the range could not be read. */
  initial: Timeline | null;
  initialRange: { from: string; to: string };
  initialError?: string;
  /** The range when the URL names none (url-state.ts `defaultRange`). */
  defaults: { from: string; to: string };
  /**
   * The run of the URL's `?run=` as the server render found it: `view` null when there is no such
   * run on this cluster (then no panel, and no second lookup from the browser).
   */
  initialRun?: { id: number; view: RunView | null };
  /** This cluster's runs, so a finding whose runbook is already open resumes it beside the charts. */
  runbooks?: RunbooksIndex;
}

const GROUPS = [
  { id: 'etcd', title: 'etcd', blurb: 'The database under the cluster: disk latency, leadership, and its size against the quota.' },
  { id: 'objects', title: 'Objects', blurb: 'What fills etcd, by resource.' },
  { id: 'apiserver', title: 'kube-apiserver', blurb: 'What users see: requests, errors, latency, and the wait on etcd.' },
] as const;

export function TimelineView({ clusterId, clusterName, kind, initial, initialRange, initialError, defaults, initialRun, runbooks }: TimelineViewProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => readTimelineParams((k) => params.get(k), defaults), [params, defaults]);
  const refresh = state.refresh ?? defaultRefresh(kind);
  const chartWidth = useRef<number | undefined>(undefined);
  const onWidth = useCallback((w: number) => { chartWidth.current = Math.max(chartWidth.current ?? 0, w); }, []);

  const q = useTimeline(clusterId, { from: state.from, to: state.to, ...(state.incident ? { incident: state.incident } : {}) }, {
    initial: initial ? { range: initialRange, data: initial } : undefined,
    refreshMs: REFRESH_MS[refresh],
    width: () => chartWidth.current,
    immutable: kind === 'bundle',
  });
  const data = q.data;

  // The URL is the state: history entries (Back undoes a zoom) without a server render per change.
  const navigate = useCallback((next: Partial<TimelineUrlState>, how: 'push' | 'replace' = 'push') => {
    const url = `${pathname}?${timelineSearch({ ...state, ...next })}`;
    if (how === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, [pathname, state]);

  const onZoom = useCallback((a: number, b: number) => { const r = dragRange(a, b); if (r) navigate(r); }, [navigate]);
  // A click on any chart picks a minute: what the cluster said then is one link away (the events page).
  const [picked, setPicked] = useState<number | null>(null);
  const onZoomOut = useCallback(() => { if (data) navigate(zoomOut(data, state, data.now)); }, [data, navigate, state]);
  const onRefresh = useCallback((r: RefreshOption) => navigate({ refresh: r }, 'replace'), [navigate]);
  const onObjectsView = useCallback((v: 'lines' | 'multiples') => navigate({ objects: v === 'multiples' ? 'multiples' : undefined }, 'replace'), [navigate]);
  const onFinding = useCallback((f: Finding) => {
    if (!data) return;
    navigate({ ...zoomToEvidence(f, data.now), ...(f.evidence.panel ? { panel: f.evidence.panel } : {}) });
  }, [data, navigate]);

  // The runbook beside the charts (`?run=`). The server render looked the run up; one chosen since
  // (a finding's link, Back) is fetched by the panel itself.
  const runInitial = state.run !== undefined && initialRun?.id === state.run ? initialRun.view : undefined;
  const run = state.run !== undefined && runInitial !== null ? state.run : undefined;
  const onCloseRun = useCallback(() => navigate({ run: undefined }), [navigate]);
  // A finding whose runbook already has an open run resumes it here; otherwise the runbooks page
  // offers to start one, and brings the new run back beside these charts.
  const { data: index } = useRunbooksIndex(clusterId, runbooks);
  const runs = index?.runs;
  const runbookLink = useCallback((f: Finding) => {
    const open = runs ? openRunFor(runs, f) : undefined;
    if (open !== undefined) return { href: `${pathname}?${timelineSearch({ ...state, run: open })}`, label: `Open the runbook (run #${open})` };
    const href = findingRunbookHref(clusterId, f, timelineSearch({ ...state, run: undefined }));
    return href ? { href } : undefined;
  }, [runs, pathname, state, clusterId]);

  // Bring the focused panel into view (from a finding, or a link with `panel=`).
  const hasData = data !== undefined;
  useEffect(() => {
    if (!state.panel || !hasData) return;
    document.getElementById(panelDomId(state.panel))?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [state.panel, hasData]);

  const rootPx = useRootFontSize();
  const fontPx = Math.round(rootPx * 0.78);
  // Charts are in two columns above 1100 px (timeline.module.css), unless a runbook beside them
  // leaves their area under 60rem: ticks sized for one column.
  const chartsArea = useRef<HTMLDivElement>(null);
  const areaWidth = useElementWidth(chartsArea);
  const header = useRef<HTMLElement>(null);
  const headerHeight = useElementHeight(header);
  const yAxisWidth = Math.round(fontPx * 6.4);
  const sideBySide = run !== undefined && areaWidth > 0 && window.matchMedia('(min-width: 1200px)').matches;
  const twoColumns = areaWidth > 0 && window.matchMedia('(min-width: 1101px)').matches && (!sideBySide || areaWidth > 60 * rootPx);
  const columnWidth = twoColumns ? (areaWidth - rootPx) / 2 : areaWidth;
  const timeTicks = Math.max(2, Math.floor((columnWidth - 2.5 * rootPx - yAxisWidth) / (fontPx * 7.5)));
  const frame = useMemo<ChartFrame | null>(() => data ? {
    from: data.from, to: data.to, fontPx, syncId: `timeline-${clusterId}`, timeTicks,
    yAxisWidth, height: Math.round(rootPx * 12.5),
  } : null, [data, fontPx, rootPx, clusterId, timeTicks, yAxisWidth]);
  const markers = useMemo(() => data ? markersInRange(data.markers, data.from, data.to) : [], [data]);
  // Markers that name their panels (captures: goroutines and memory) go only there.
  const markersByPanel = useMemo(() => new Map((data?.panels ?? []).map((p) => [p.id, markers.filter((m) => !m.panels || m.panels.includes(p.id))])), [data, markers]);

  // The server render's complaint holds for the range it was given, not for the next one.
  const atInitialRange = state.from === initialRange.from && state.to === initialRange.to;
  const error = q.isError ? q.error.message : !data && atInitialRange ? initialError : undefined;

  return (
    <div className={styles.page} style={headerHeight ? { '--tl-head': `${headerHeight}px` } as CSSProperties : undefined}>
      <header className={styles.header} ref={header}>
        <div className={styles.headMain}>
          <div className={styles.titleRow}>
            {kind === 'live' ? <Badge tone="info" variant="solid">LIVE</Badge> : <Badge tone="bundle" variant="solid">BUNDLE</Badge>}
            <h1 className={styles.title}>{clusterName} <span className={styles.titleSub}>Timeline</span></h1>
          </div>
          {data ? (
            <p className={cx(styles.rangeLine, 'num')} data-testid="range-line" data-from={data.from} data-to={data.to} data-stale={q.isPlaceholderData || undefined}>
              <span>{formatUtcRange(data.from, data.to)}</span>
              <span className={styles.dotSep} aria-hidden="true">·</span>
              <span>{kind === 'bundle' ? `capture ends ${formatUtc(data.now, data.to)}` : `as of ${formatUtc(data.now, data.to)}`}</span>
              <span className={styles.hint}>
                <span className={styles.dotSep} aria-hidden="true">·</span>
                <span className={styles.faint}>{formatCount(data.pointCount)} points · drag across a chart to zoom, click it for that minute&apos;s events</span>
              </span>
              {data.history?.kind === 'prometheus' ? (
                <span data-testid="history-source" title={data.history.error ?? `${data.history.queries} queries, one point per ${data.history.stepSeconds} s`}>
                  <span className={styles.dotSep} aria-hidden="true">·</span>
                  {data.history.error
                    ? <>Prometheus <span className="mono">{data.history.url}</span> did not answer: showing the recorder&apos;s own series</>
                    : <>history from Prometheus <span className="mono">{data.history.url}</span></>}
                </span>
              ) : null}
              <span className={styles.dotSep} aria-hidden="true">·</span>
              {/* The same range on the events page: drag-zoom to a minute here, then read what the cluster said in it. */}
              <Link href={`/clusters/${encodeURIComponent(clusterId)}/events?${new URLSearchParams({ from: state.from, to: state.to })}`} data-testid="events-link">Events in this range →</Link>
            </p>
          ) : null}
        </div>
        <TimePicker
          exprs={state}
          resolved={data ? { from: data.from, to: data.to } : null}
          refresh={refresh}
          live={kind === 'live'}
          busy={q.isFetching}
          onRange={(r) => navigate(r)}
          onZoomOut={onZoomOut}
          onRefresh={onRefresh}
        />
      </header>

      {error ? (
        <div className={styles.errorBox} role="alert" data-testid="timeline-error">
          <AlertIcon size={20} />
          <p><strong>{data ? 'Could not load this range' : 'This range cannot be shown'}:</strong> {error}</p>
          <button type="button" className={styles.toolButton} onClick={() => navigate({ from: 'now-1h', to: 'now' })}>Show the last hour</button>
        </div>
      ) : null}

      <div className={cx(styles.body, run !== undefined && styles.bodyWithRun)}>
        {data ? (
          <div className={styles.stripArea}>
            <FindingsStrip findings={data.findings} at={data.to} now={data.now} onOpen={onFinding} clusterId={clusterId} runbookLink={runbookLink} />
          </div>
        ) : null}
        {run !== undefined ? (
          <div className={styles.runArea}>
            <RunPanel key={run} clusterId={clusterId} runId={run} initial={runInitial ?? undefined} onClose={onCloseRun} />
          </div>
        ) : null}
        <div className={styles.chartsArea} ref={chartsArea}>
          {data && frame ? (
            <>
              {GROUPS.map((g) => {
                const panels = data.panels.filter((p) => p.group === g.id);
                if (!panels.length) return null;
                return (
                  <section key={g.id} className={styles.group} aria-labelledby={`group-${g.id}`} data-testid={`group-${g.id}`}>
                    <h2 id={`group-${g.id}`} className={styles.groupTitle}>
                      {g.title}<span className={styles.groupBlurb}>{g.blurb}</span>
                    </h2>
                    <div className={styles.grid}>
                      {panels.map((p) => (
                        <PanelCard
                          key={p.id}
                          panel={p}
                          frame={frame}
                          markers={markersByPanel.get(p.id) ?? markers}
                          focused={state.panel === p.id}
                          wide={p.special !== undefined}
                          stale={q.isPlaceholderData}
                          empty={emptyMessage(p, data.panels)}
                          onZoom={onZoom}
                          onPick={setPicked}
                          onWidth={onWidth}
                          {...(p.special === 'objects' ? { view: state.objects ?? 'lines', onView: onObjectsView } : {})}
                        />
                      ))}
                    </div>
                  </section>
                );
              })}
            </>
          ) : !error ? <p className={styles.loading}>Loading the timeline…</p> : null}
        </div>
      </div>
      {picked !== null ? (
        <div className={cx(styles.pickedBar, sideBySide && styles.pickedBesideRun)} role="status" data-testid="picked-time">
          <span className="num">{formatUtc(picked, picked)}</span>
          <Link href={eventsHref(clusterId, { from: picked, to: picked })} data-testid="picked-events">Events in that minute →</Link>
          <button type="button" className={styles.pickedClose} onClick={() => setPicked(null)} aria-label="Forget the picked time">×</button>
        </div>
      ) : null}
    </div>
  );
}
