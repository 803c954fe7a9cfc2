import 'server-only';
import { AUDIT_DISK_SNAPSHOT, type AuditDiskInput } from '@/lib/audit/disk';
import type { DetectionContext, EndpointsInput, EventActivity, LeaseInput, NodeInput, NodeLifecycleSettings, PodTolerationInput, Timed } from '@/lib/detectors/types';
import { AuditStore } from '../audit/store';
import type { Store } from '../store/store';

/** The newest snapshot of `kind` at or before `at` (a bundle's or a past view's time, not only the latest). */
function snapshotAt<T>(store: Store, cluster: string, kind: string, at: number, maxAgeMs = 10 * 60_000): Timed<T> | null {
  const rows = store.snapshots<T>(cluster, kind, at - maxAgeMs, at);
  return rows[rows.length - 1] ?? null;
}

/**
 * Events recorded per minute and the largest (reason, kind) groups, from the events archive. A row
 * counts in the minute it was last seen (a repeated event is one row whose count and last_ts move).
 */
export function eventActivity(store: Store, cluster: string, from: number, to: number): EventActivity {
  const perMinute = store.db.prepare<[string, number, number], { m: number; n: number }>(
    'SELECT (last_ts / 60000) * 60000 AS m, COUNT(*) AS n FROM events WHERE cluster_id = ? AND last_ts BETWEEN ? AND ? GROUP BY m ORDER BY m',
  ).all(cluster, from, to).map((r) => ({ t: r.m, v: r.n }));
  const top = store.db.prepare<[string, number, number], { reason: string; kind: string; type: string; namespace: string; n: number }>(
    `SELECT reason, kind, type, namespace, COUNT(*) AS n FROM events WHERE cluster_id = ? AND last_ts BETWEEN ? AND ?
     GROUP BY reason, kind, type, namespace ORDER BY n DESC LIMIT 5`,
  ).all(cluster, from, to).map((r) => ({ reason: r.reason, kind: r.kind, type: r.type, namespace: r.namespace, count: r.n }));
  return { perMinute, top };
}

/** Snapshot and side inputs of the detectors, as of `at`. */
export function detectionInputs(store: Store, cluster: string, at: number, nodeLifecycle?: Partial<NodeLifecycleSettings>): Omit<DetectionContext, 'load' | 'at' | 'from'> {
  const health = store.latestHealth(cluster, 'readyz');
  const version = snapshotAt<{ gitVersion?: string }>(store, cluster, 'version', at, 7 * 24 * 3600_000)?.body.gitVersion;
  const nodes = snapshotAt<NodeInput[]>(store, cluster, 'nodes', at);
  // The pods of the down nodes, listed in the same recorder round as the nodes snapshot (or later).
  const pods = nodes ? snapshotAt<{ nodes: string[]; pods: PodTolerationInput[] }>(store, cluster, 'pods', at) : null;
  const podsFit = pods && nodes && pods.t >= nodes.t && Array.isArray(pods.body.nodes) && Array.isArray(pods.body.pods);
  return {
    endpoints: snapshotAt<EndpointsInput>(store, cluster, 'endpoints', at),
    nodes,
    ...(podsFit ? { pods: pods.body.pods, podNodes: pods.body.nodes } : {}),
    ...(nodeLifecycle ? { nodeLifecycle } : {}),
    leases: snapshotAt<LeaseInput[]>(store, cluster, 'leases', at),
    readyz: health && health.t <= at ? { t: health.t, ok: health.ok, checks: health.checks } : null,
    ...(version ? { version } : {}),
    events: { activity: (from, to) => eventActivity(store, cluster, from, to) },
    audit: { perMinute: (from, to) => new AuditStore(store.db).volume(cluster, from, to, 60_000) },
    auditErrors: { errors: (from, to) => new AuditStore(store.db).errors(cluster, from, to, 50).list },
    auditDisk: snapshotAt<AuditDiskInput>(store, cluster, AUDIT_DISK_SNAPSHOT, at, 5 * 60_000),
  };
}
