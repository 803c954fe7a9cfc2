import 'server-only';
import { bundleId, uploadedBundleFiles, type Runtime } from '../runtime';

export interface ClusterListItem {
  id: string;
  name: string;
  kind: 'live' | 'bundle';
  server: string;
  story?: string;
  range?: { from: number; to: number };
  lastOk: number | null;
  ok: boolean | null;
  error?: string;
  /** An uploaded bundle, which an admin may remove (configured ones come back with the configuration). */
  removable?: boolean;
}

/** The start page's list: live contexts first, then bundles (demo scenarios), from the store only. */
export async function listClusters(rt: Runtime): Promise<ClusterListItem[]> {
  await rt.ready;
  const uploaded = new Set(uploadedBundleFiles(rt.config).map(bundleId));
  return [...rt.clusters.values()].map((c) => {
    const f = rt.store.freshness(c.id).find((x) => x.component === 'kube-apiserver');
    return {
      id: c.id, name: c.name, kind: c.kind,
      server: c.source?.describe().server ?? c.bundle?.path ?? '',
      ...(c.bundle?.story ? { story: c.bundle.story } : {}),
      ...(c.bundle ? { range: { from: c.bundle.from, to: c.bundle.to } } : {}),
      lastOk: f?.lastOk ?? null,
      ok: f ? f.ok : null,
      ...(c.error ? { error: c.error } : {}),
      ...(c.kind === 'bundle' && uploaded.has(c.id) ? { removable: true } : {}),
    };
  }).sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'live' ? -1 : 1));
}
