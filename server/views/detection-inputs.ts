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
 * Event occurrences per minute and the largest (reason, kind) groups, from the events archive: a
 * repeated event adds its rise in count in the minute it was seen again (lib/events/occurrences),
 * so a crash loop folded into one Event's count is a storm too.
 */
export function eventActivity(store: Store, cluster: string, from: number, to: number): EventActivity {
  return store.events.occurrences(cluster, from, to);
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
