import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiGet } from './api';
import { queryKeys } from './keys';

/** Mirrors `ClusterListItem` (server/views/clusters.ts); the server page checks the two agree. */
export const clusterListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['live', 'bundle']),
  server: z.string(),
  story: z.string().optional(),
  range: z.object({ from: z.number(), to: z.number() }).optional(),
  lastOk: z.number().nullable(),
  ok: z.boolean().nullable(),
  error: z.string().optional(),
  removable: z.boolean().optional(),
});
export const clusterListSchema = z.array(clusterListItemSchema);

export type ClusterSummary = z.infer<typeof clusterListItemSchema>;

export function fetchClusters(signal?: AbortSignal): Promise<ClusterSummary[]> {
  return apiGet('/api/clusters', clusterListSchema, signal);
}

/** The cluster list, refreshed every 5 s so health dots follow the recorder. */
export function useClusters(initialData?: ClusterSummary[]) {
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => fetchClusters(signal),
    initialData,
    refetchInterval: 5_000,
    staleTime: 4_000,
  });
}
