import 'server-only';
import type { Finding } from '@/lib/detectors/types';
import type { VersionInfo } from '../cluster/types';
import { latestObjectCounts } from '@/lib/timeline/special';
import { isStale } from '@/lib/util/staleness';
import { currentFindings } from './findings';
import { storeLoader } from './timeline';
import type { ClusterEntry, Runtime } from '../runtime';

export interface FreshnessRow {
  component: string;
  lastAttempt: number;
  lastOk: number | null;
  ok: boolean;
  lastError: string | null;
  /** Age of the last good scrape, ms (null when never scraped successfully). */
  ageMs: number | null;
  /** `isStale(ageMs, intervalMs)` (lib/util/staleness): older than one interval and a grace. */
  stale: boolean;
}

export interface OverviewData {
  now: number;
  cluster: { id: string; name: string; kind: 'live' | 'bundle'; server: string; context?: string; notes: string[]; error?: string };
  bundle?: ClusterEntry['bundle'];
  version: VersionInfo | null;
  readyz: { t: number; ok: boolean; httpStatus: number; checks: Array<{ name: string; ok: boolean; reason?: string }> } | null;
  freshness: FreshnessRow[];
  intervalMs: number;
  recorder: {
    running: boolean; backoffOpen: boolean; failures: number; nextAttemptAt: number;
    /** `recorder: fill`: where the apiserver's and etcd's series come from, and which it has now. */
    mirror?: { url: string; components: string[]; lastError: string | null };
  } | null;
  /** What the detectors see now, most severe first. */
  findings: Finding[];
  figures: {
    goroutines: number | null;
    residentMemoryBytes: number | null;
    etcdDbBytes: number | null;
    etcdDbInUseBytes: number | null;
    etcdQuotaBytes: number | null;
    objects: Array<{ resource: string; count: number; source: 'metrics' | 'census' }>;
  };
}

/** Everything the overview page shows, from the store only: no upstream request is made here. */
export function overview(rt: Runtime, entry: ClusterEntry, now = Date.now()): OverviewData {
  const { store } = rt;
  const id = entry.id;
  const d = entry.source?.describe();
  const isBundle = entry.kind === 'bundle';
  // A bundle's "now" is the end of its capture: ages are measured against that, not the wall clock.
  const ref = isBundle && entry.bundle ? entry.bundle.to : now;
  const interval = rt.config.intervalMs;
  const freshness: FreshnessRow[] = store.freshness(id).map((f) => {
    const ageMs = f.lastOk === null ? null : Math.max(0, ref - f.lastOk);
    return { ...f, ageMs, stale: !isBundle && isStale(ageMs, interval) };
  });
  const latest = (name: string) => {
    const rows = store.series.latest(id, name);
    return rows.length ? rows.reduce((a, r) => a + r.v, 0) : null;
  };
  const objects = latestObjectCounts(storeLoader(store, id, ref - 15 * 60_000, ref, 0), ref).slice(0, 12);
  const st = entry.recorder?.status();
  const readyz = store.latestHealth(id, 'readyz');
  return {
    now: ref,
    cluster: {
      id, name: entry.name, kind: entry.kind, server: d?.server ?? entry.bundle?.path ?? '', context: d?.context,
      notes: d?.notes ?? [], ...(entry.error ? { error: entry.error } : {}),
    },
    ...(entry.bundle ? { bundle: entry.bundle } : {}),
    version: store.latestSnapshot<VersionInfo>(id, 'version')?.body ?? null,
    readyz: readyz ? { t: readyz.t, ok: readyz.ok, httpStatus: readyz.httpStatus, checks: readyz.checks } : null,
    freshness,
    intervalMs: interval,
    findings: currentFindings(rt, entry),
    recorder: st ? {
      running: st.running, backoffOpen: st.backoff.open, failures: st.backoff.failures, nextAttemptAt: st.backoff.nextAttemptAt,
      ...(st.mirror ? { mirror: { url: st.mirror.url, components: st.mirror.components, lastError: st.mirror.lastError } } : {}),
    } : null,
    figures: {
      goroutines: latest('go_goroutines'),
      residentMemoryBytes: latest('process_resident_memory_bytes'),
      etcdDbBytes: latest('etcd_mvcc_db_total_size_in_bytes') ?? latest('kf_apiserver_etcd_db_bytes'),
      etcdDbInUseBytes: latest('etcd_mvcc_db_total_size_in_use_in_bytes'),
      etcdQuotaBytes: latest('etcd_server_quota_backend_bytes'),
      objects,
    },
  };
}
