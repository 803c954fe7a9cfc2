import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiGet } from './api';
import { queryKeys } from './keys';
import { findingSchema } from './timeline';

/**
 * Mirrors `OverviewData` (server/views/overview.ts). The overview page hands the server's value to
 * a prop of this type, so TypeScript reports any drift between the two at build time.
 */
const freshnessRowSchema = z.object({
  component: z.string(),
  lastAttempt: z.number(),
  lastOk: z.number().nullable(),
  ok: z.boolean(),
  lastError: z.string().nullable(),
  ageMs: z.number().nullable(),
  stale: z.boolean(),
});

export const overviewSchema = z.object({
  now: z.number(),
  cluster: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['live', 'bundle']),
    server: z.string(),
    context: z.string().optional(),
    notes: z.array(z.string()),
    error: z.string().optional(),
  }),
  bundle: z.object({
    path: z.string(),
    story: z.string().optional(),
    title: z.string().optional(),
    from: z.number(),
    to: z.number(),
    warnings: z.array(z.string()),
  }).optional(),
  version: z.object({
    gitVersion: z.string(),
    major: z.string(),
    minor: z.string(),
    platform: z.string().optional(),
    goVersion: z.string().optional(),
  }).nullable(),
  readyz: z.object({
    t: z.number(),
    ok: z.boolean(),
    httpStatus: z.number(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), reason: z.string().optional() })),
  }).nullable(),
  freshness: z.array(freshnessRowSchema),
  intervalMs: z.number(),
  recorder: z.object({
    running: z.boolean(), backoffOpen: z.boolean(), failures: z.number(), nextAttemptAt: z.number(),
    mirror: z.object({ url: z.string(), components: z.array(z.string()), lastError: z.string().nullable() }).optional(),
  }).nullable(),
  /** What the detectors see now (the last hour; a bundle's last hour), most severe first. */
  findings: z.array(findingSchema),
  figures: z.object({
    goroutines: z.number().nullable(),
    residentMemoryBytes: z.number().nullable(),
    etcdDbBytes: z.number().nullable(),
    etcdDbInUseBytes: z.number().nullable(),
    etcdQuotaBytes: z.number().nullable(),
    objects: z.array(z.object({ resource: z.string(), count: z.number(), source: z.enum(['metrics', 'census']) })),
  }),
});

export type Overview = z.infer<typeof overviewSchema>;
export type FreshnessRow = z.infer<typeof freshnessRowSchema>;
export type ReadyzReport = NonNullable<Overview['readyz']>;
export type OverviewFigures = Overview['figures'];

export function fetchOverview(clusterId: string, signal?: AbortSignal): Promise<Overview> {
  return apiGet(`/api/clusters/${encodeURIComponent(clusterId)}/overview`, overviewSchema, signal);
}

export const OVERVIEW_REFRESH_MS = 5_000;

/**
 * The overview, seeded by the server render and refreshed every 5 s. A bundle never changes, so it
 * is not polled. A failed refresh keeps the last data on screen (the view says how old it is).
 */
export function useOverview(clusterId: string, initialData: Overview) {
  return useQuery({
    queryKey: queryKeys.overview(clusterId),
    queryFn: ({ signal }) => fetchOverview(clusterId, signal),
    initialData,
    staleTime: OVERVIEW_REFRESH_MS - 1_000,
    refetchInterval: (q) => (q.state.data?.cluster.kind === 'bundle' ? false : OVERVIEW_REFRESH_MS),
    retry: 1,
  });
}
