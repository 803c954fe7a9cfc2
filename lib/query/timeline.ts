import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiGet, isApiError } from './api';
import { timelineKeys } from './keys';

/**
 * Mirrors `TimelineData` (server/views/timeline.ts), its panels (lib/timeline/types.ts) and the
 * detectors' `Finding` (lib/detectors/types.ts). The timeline page hands the server's value to a
 * prop of this type, so TypeScript reports any drift between the two at build time.
 */
const severitySchema = z.enum(['info', 'warning', 'critical']);

export const findingSchema = z.object({
  id: z.string(),
  detector: z.string(),
  title: z.string(),
  severity: severitySchema,
  summary: z.string(),
  explanation: z.string(),
  evidence: z.object({
    panel: z.string().optional(),
    series: z.array(z.string()).optional(),
    from: z.number(),
    to: z.number(),
    facts: z.array(z.string()),
  }),
  references: z.array(z.object({ title: z.string(), url: z.string() })),
  runbook: z.string().optional(),
});

const seriesSchema = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  style: z.enum(['line', 'reference']),
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});

const statSchema = z.object({ label: z.string(), value: z.string(), severity: z.enum(['ok', 'info', 'warning', 'critical']).optional() });

const panelSchema = z.object({
  id: z.string(),
  group: z.enum(['etcd', 'objects', 'apiserver']),
  title: z.string(),
  explanation: z.string(),
  unit: z.enum(['seconds', 'bytes', 'ops', 'count', 'percent', 'bool', 'per-minute']),
  thresholds: z.array(z.object({ value: z.number(), label: z.string(), severity: severitySchema })).optional(),
  special: z.enum(['objects', 'objects-growth', 'db-usage']).optional(),
  stacked: z.boolean().optional(),
  result: z.object({
    id: z.string(),
    series: z.array(seriesSchema),
    stats: z.array(statSchema),
    empty: z.string().optional(),
  }),
});

const markerSchema = z.object({
  t: z.number(),
  kind: z.enum(['restart', 'finding', 'capture', 'annotation']),
  label: z.string(),
  severity: severitySchema.optional(),
  until: z.number().optional(),
  panels: z.array(z.string()).optional(),
  href: z.string().optional(),
});

export const timelineSchema = z.object({
  cluster: z.string(),
  now: z.number(),
  from: z.number(),
  to: z.number(),
  panels: z.array(panelSchema),
  markers: z.array(markerSchema),
  findings: z.array(findingSchema),
  pointCount: z.number(),
  pointsRead: z.number(),
  history: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('recorder') }),
    z.object({ kind: z.literal('prometheus'), url: z.string(), stepSeconds: z.number(), queries: z.number(), error: z.string().optional() }),
  ]).optional(),
});

export type Timeline = z.infer<typeof timelineSchema>;
export type TimelinePanel = Timeline['panels'][number];
export type TimelineSeries = TimelinePanel['result']['series'][number];
export type TimelineStat = TimelinePanel['result']['stats'][number];
export type TimelineMarker = z.infer<typeof markerSchema>;
export type TimelineThreshold = NonNullable<TimelinePanel['thresholds']>[number];
export type Finding = z.infer<typeof findingSchema>;
export type FindingSeverity = Finding['severity'];

export interface TimelineRangeParams { from: string; to: string; /** Only this incident's annotation markers. */ incident?: string }

export function timelinePath(clusterId: string, range: TimelineRangeParams, width?: number): string {
  const q = new URLSearchParams({ from: range.from, to: range.to });
  if (width) q.set('width', String(Math.round(Math.min(4000, Math.max(100, width)))));
  if (range.incident) q.set('incident', range.incident);
  return `/api/clusters/${encodeURIComponent(clusterId)}/timeline?${q}`;
}

export function fetchTimeline(clusterId: string, range: TimelineRangeParams, width?: number, signal?: AbortSignal): Promise<Timeline> {
  return apiGet(timelinePath(clusterId, range, width), timelineSchema, signal);
}

export interface UseTimelineOptions {
  /** The server render's answer, for the range it was rendered with. */
  initial?: { range: TimelineRangeParams; data: Timeline };
  /** Auto-refresh period (ms); 0 or undefined: off. */
  refreshMs?: number;
  /** Returns the chart width (px) at fetch time: the server downsamples to about two points per pixel. */
  width?: () => number | undefined;
  /** A bundle never changes: its data never goes stale. */
  immutable?: boolean;
}

/**
 * One range of the timeline. The key is the range as written in the URL, so "now-1h" refetches on
 * every refresh while an absolute range is fetched once. The previous range stays on screen while
 * the next one loads (zooming must not blank the charts).
 */
export function useTimeline(clusterId: string, range: TimelineRangeParams, o: UseTimelineOptions = {}) {
  const matchesInitial = o.initial && o.initial.range.from === range.from && o.initial.range.to === range.to;
  return useQuery({
    queryKey: timelineKeys.range(clusterId, range),
    queryFn: ({ signal }) => fetchTimeline(clusterId, range, o.width?.(), signal),
    initialData: matchesInitial ? o.initial!.data : undefined,
    placeholderData: keepPreviousData,
    staleTime: o.immutable ? Infinity : Math.max(2_000, (o.refreshMs || 30_000) - 1_000),
    refetchInterval: o.refreshMs && o.refreshMs > 0 ? o.refreshMs : false,
    refetchOnWindowFocus: !o.immutable,
    // A range the server refuses (400) will not read better the second time.
    retry: (count, e) => count < 1 && !(isApiError(e) && e.status === 400),
  });
}
