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

/** A timeline view: keyed by the range as written in the URL ("now-1h"), so a relative range refetches as time moves. */
export const timelineKeys = {
  range: (id: string, range: { from: string; to: string }) => [...queryKeys.cluster(id), 'timeline', range] as const,
};

/** The runtime page: captures list, one capture's analysis (per sample type) and diffs. */
export const runtimeKeys = {
  captures: (id: string) => [...queryKeys.cluster(id), 'captures'] as const,
  capture: (id: string, capture: number, sampleIndex?: string, sort?: string) => [...runtimeKeys.captures(id), capture, sampleIndex ?? '', sort ?? ''] as const,
  diff: (id: string, base: number, next: number, sampleIndex?: string) => [...runtimeKeys.captures(id), 'diff', base, next, sampleIndex ?? ''] as const,
  trend: (id: string) => [...queryKeys.cluster(id), 'runtime-trend'] as const,
};

/** The events page: keyed by the range as written in the URL plus the filter, grouping and selection. */
export const eventsKeys = {
  list: (id: string, params: Record<string, string>) => [...queryKeys.cluster(id), 'events', params] as const,
};

/** Incidents: the list, and one incident's dossier (kept current by the live feed). */
export const incidentKeys = {
  all: () => [...queryKeys.all, 'incidents'] as const,
  list: () => [...incidentKeys.all(), 'list'] as const,
  dossier: (id: string) => [...incidentKeys.all(), 'dossier', id] as const,
};
