import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { EventsResult } from '@/lib/events/types';
import { apiGet, isApiError } from './api';
import { eventsKeys } from './keys';

/**
 * Mirrors `EventsResult` (lib/events/types.ts); the `satisfies` below makes TypeScript report any
 * drift between the server's type and what the browser validates.
 */
const facet = z.array(z.object({ value: z.string(), n: z.number() }));
const severity = z.enum(['info', 'warning', 'critical']);

export const eventsSchema = z.object({
  cluster: z.string(),
  now: z.number(),
  from: z.number(),
  to: z.number(),
  selection: z.object({ from: z.number(), to: z.number() }).nullable(),
  order: z.literal('last-seen-desc'),
  rows: z.array(z.object({
    uid: z.string(), api: z.string(), type: z.string(), reason: z.string(),
    object: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }),
    message: z.string(), component: z.string(), count: z.number(), firstTimestamp: z.number(), lastTimestamp: z.number(),
  })),
  groups: z.array(z.object({
    kind: z.string(), namespace: z.string(), name: z.string(), events: z.number(), occurrences: z.number(), warnings: z.number(),
    firstTimestamp: z.number(), lastTimestamp: z.number(), reasons: z.array(z.string()),
  })).nullable(),
  total: z.number(),
  truncated: z.boolean(),
  strip: z.object({
    from: z.number(), to: z.number(), step: z.number(), max: z.number(),
    buckets: z.array(z.object({
      t: z.number(), normal: z.number(), warning: z.number(), other: z.number(), occurrences: z.number(),
      reasons: z.array(z.object({ reason: z.string(), type: z.string(), n: z.number() })),
    })),
  }),
  facets: z.object({ namespace: facet, kind: facet, reason: facet, type: facet, component: facet }),
  storms: z.array(z.object({
    id: z.string(), title: z.string(), reason: z.string(), severity, explanation: z.string(), next: z.string(), threshold: z.string(),
    from: z.number(), to: z.number(), events: z.number(), objects: z.number(), peak: z.number(),
  })),
  archived: z.number(),
  tookMs: z.number(),
}) satisfies z.ZodType<EventsResult>;

export type Events = z.infer<typeof eventsSchema>;
export type EventRowData = Events['rows'][number];
export type EventGroupData = NonNullable<Events['groups']>[number];
export type StormData = Events['storms'][number];

export function eventsPath(clusterId: string, params: Record<string, string>): string {
  return `/api/clusters/${encodeURIComponent(clusterId)}/events?${new URLSearchParams(params)}`;
}

export interface UseEventsOptions {
  initial?: { params: Record<string, string>; data: Events };
  refreshMs?: number;
  immutable?: boolean;
}

const sameParams = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** One query of the archive; the previous answer stays on screen while the next loads. */
export function useEvents(clusterId: string, params: Record<string, string>, o: UseEventsOptions = {}) {
  return useQuery({
    queryKey: eventsKeys.list(clusterId, params),
    queryFn: ({ signal }) => apiGet(eventsPath(clusterId, params), eventsSchema, signal),
    initialData: o.initial && sameParams(o.initial.params, params) ? o.initial.data : undefined,
    placeholderData: keepPreviousData,
    staleTime: o.immutable ? Infinity : Math.max(2_000, (o.refreshMs || 30_000) - 1_000),
    refetchInterval: o.refreshMs && o.refreshMs > 0 ? o.refreshMs : false,
    refetchOnWindowFocus: !o.immutable,
    retry: (count, e) => count < 1 && !(isApiError(e) && e.status === 400),
  });
}
