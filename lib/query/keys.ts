/**
 * The one query-key factory (TanStack Query "effective query keys"): every key starts with 'kf',
 * and a cluster's keys nest under ['kf', 'cluster', id] so a whole cluster can be invalidated at once.
 */
export const queryKeys = {
  all: ['kf'] as const,
  clusters: () => [...queryKeys.all, 'clusters'] as const,
  cluster: (id: string) => [...queryKeys.all, 'cluster', id] as const,
  overview: (id: string) => [...queryKeys.cluster(id), 'overview'] as const,
};
