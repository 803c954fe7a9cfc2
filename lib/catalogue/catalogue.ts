// The metric catalogue: which exposed metric (name and labels) carries each logical quantity, by
// Kubernetes and etcd version. ONE table: every rename, label rename and fallback is a row here,
// never an `if (version < …)` elsewhere. Facts and their sources: shared reference
// `control-plane-facts.md` §1 (cited per row as "facts §x.y"), checked against the real 1.20.2 /
// etcd 3.4.23 captures in testdata/metrics/.
import type { PromType } from '../parse/prometheus-text';
import { compareVersions, inRange, parseVersion } from './version';
import type { VersionRange } from './version';

export type LogicalMetric =
  // kube-apiserver
  | 'apiserverEtcdDbSizeBytes' | 'objectCount' | 'requestDuration' | 'requestTotal' | 'etcdRequestDuration' | 'inflight'
  | 'k8sBuildInfo'
  // any Go process (client_golang collectors)
  | 'goroutines' | 'residentMemory' | 'processStartTime'
  // etcd server
  | 'etcdWalFsync' | 'etcdBackendCommit' | 'etcdDbTotalSize' | 'etcdDbInUse' | 'etcdQuota' | 'etcdHasLeader'
  | 'etcdLeaderChanges' | 'etcdProposalsFailed' | 'etcdHeartbeatFailures' | 'etcdSlowApply' | 'etcdKeysTotal' | 'etcdPeerRtt'
  | 'etcdServerVersion' | 'etcdCurrentRevision' | 'etcdCompactRevision';

export interface CatalogueEntry {
  logical: LogicalMetric;
  /** Family name as exposed (for histograms, without `_bucket`/`_sum`/`_count`). */
  metric: string;
  type: PromType;
  /** Logical label name → exposed label name. Extraction requires these labels to be present. */
  labels: Readonly<Record<string, string>>;
  /** Kubernetes versions that expose this row (apiserver metrics). */
  k8s?: VersionRange;
  /** etcd versions that expose this row (etcd metrics). */
  etcd?: VersionRange;
  /** Among rows matching one version, lower is preferred. */
  rank: number;
  /** Emitted by default but deprecated, or only present when re-enabled by a flag. */
  note?: string;
  source: string;
}

const REQUEST_LABELS = { verb: 'verb', dryRun: 'dry_run', group: 'group', version: 'version', resource: 'resource', subresource: 'subresource', scope: 'scope', component: 'component' } as const;

export const CATALOGUE: readonly CatalogueEntry[] = [
  // etcd DB size seen by the apiserver (facts §1.1). `storage` is the series identity: an etcd
  // endpoint URL until 1.27, then a storage cluster id ("etcd-0", one per --etcd-servers-overrides split).
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'etcd_db_total_size_in_bytes', type: 'gauge', labels: { storage: 'endpoint' }, k8s: { from: '1.19.0', until: '1.26.0' }, rank: 0, source: 'facts §1.1; added by commit 9303178e2' },
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'apiserver_storage_db_total_size_in_bytes', type: 'gauge', labels: { storage: 'endpoint' }, k8s: { from: '1.26.0', until: '1.37.0' }, rank: 1, note: 'deprecated 1.28.0; hidden from 1.29 unless --show-hidden-metrics-for-version; deleted 1.37', source: 'facts §1.1; rename commit e9f139f16' },
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'apiserver_storage_size_bytes', type: 'gauge', labels: { storage: 'cluster' }, k8s: { from: '1.28.0', until: '1.28.10' }, rank: 0, source: 'facts §1.1' },
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'apiserver_storage_size_bytes', type: 'gauge', labels: { storage: 'storage_cluster_id' }, k8s: { from: '1.28.10', until: '1.29.0' }, rank: 0, source: 'facts §1.1; label rename commit a22f7973b' },
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'apiserver_storage_size_bytes', type: 'gauge', labels: { storage: 'cluster' }, k8s: { from: '1.29.0', until: '1.29.5' }, rank: 0, source: 'facts §1.1' },
  { logical: 'apiserverEtcdDbSizeBytes', metric: 'apiserver_storage_size_bytes', type: 'gauge', labels: { storage: 'storage_cluster_id' }, k8s: { from: '1.29.5' }, rank: 0, note: 'STABLE from 1.30', source: 'facts §1.1; label rename commit a22f7973b' },

  // Stored objects per resource (facts §1.2). `resource` is the GroupResource string
  // ("deployments.apps") until apiserver_resource_objects splits group and resource (1.34).
  { logical: 'objectCount', metric: 'etcd_object_counts', type: 'gauge', labels: { resource: 'resource' }, k8s: { until: '1.25.0' }, rank: 1, note: 'deprecated 1.22.0, hidden 1.23–1.24, removed 1.25; omits custom resources (facts §9)', source: 'facts §1.2' },
  { logical: 'objectCount', metric: 'apiserver_storage_objects', type: 'gauge', labels: { resource: 'resource' }, k8s: { from: '1.21.0', until: '1.34.0' }, rank: 0, note: '-1 means the count could not be fetched (1.29+)', source: 'facts §1.2; added as STABLE by commit 4ac82c26c' },
  { logical: 'objectCount', metric: 'apiserver_storage_objects', type: 'gauge', labels: { resource: 'resource' }, k8s: { from: '1.34.0' }, rank: 1, note: 'deprecated in favour of apiserver_resource_objects; -1 means fetch error', source: 'facts §1.2; commit 3218fe46f' },
  { logical: 'objectCount', metric: 'apiserver_resource_objects', type: 'gauge', labels: { group: 'group', resource: 'resource' }, k8s: { from: '1.34.0' }, rank: 0, note: '-1 means fetch error', source: 'facts §1.2; commits e1b2eb304, b64541f9b' },

  // Request latency and volume (facts §1.3). Same name and labels 1.18–1.36; buckets changed
  // in 1.23 and 1.25, which quantile math does not care about.
  { logical: 'requestDuration', metric: 'apiserver_request_duration_seconds', type: 'histogram', labels: REQUEST_LABELS, rank: 0, source: 'facts §1.3' },
  { logical: 'requestTotal', metric: 'apiserver_request_total', type: 'counter', labels: { ...REQUEST_LABELS, code: 'code' }, rank: 0, source: 'k8s pkg/endpoints/metrics/metrics.go' },

  // apiserver → etcd latency (facts §1.4).
  { logical: 'etcdRequestDuration', metric: 'etcd_request_duration_seconds', type: 'histogram', labels: { operation: 'operation', type: 'type' }, k8s: { until: '1.34.0' }, rank: 0, note: 'type: Go type name ≤1.25, GroupResource 1.26–1.33', source: 'facts §1.4' },
  { logical: 'etcdRequestDuration', metric: 'etcd_request_duration_seconds', type: 'histogram', labels: { operation: 'operation', group: 'group', resource: 'resource' }, k8s: { from: '1.34.0' }, rank: 0, source: 'facts §1.4; commit a559cb8be' },

  // Inflight limit usage (facts §1.5): label renamed requestKind → request_kind in 1.19.
  { logical: 'inflight', metric: 'apiserver_current_inflight_requests', type: 'gauge', labels: { requestKind: 'requestKind' }, k8s: { until: '1.19.0' }, rank: 0, source: 'facts §1.5' },
  { logical: 'inflight', metric: 'apiserver_current_inflight_requests', type: 'gauge', labels: { requestKind: 'request_kind' }, k8s: { from: '1.19.0' }, rank: 0, source: 'facts §1.5' },

  { logical: 'k8sBuildInfo', metric: 'kubernetes_build_info', type: 'gauge', labels: { gitVersion: 'git_version' }, rank: 0, source: 'k8s component-base/metrics/prometheus/version' },

  // Go process collectors, registered raw in every component (facts §1.0, §1.5).
  { logical: 'goroutines', metric: 'go_goroutines', type: 'gauge', labels: {}, rank: 0, source: 'client_golang prometheus/go_collector.go' },
  { logical: 'residentMemory', metric: 'process_resident_memory_bytes', type: 'gauge', labels: {}, rank: 0, source: 'client_golang prometheus/process_collector.go' },
  { logical: 'processStartTime', metric: 'process_start_time_seconds', type: 'gauge', labels: {}, rank: 0, source: 'client_golang prometheus/process_collector.go' },

  // etcd server (facts §1.6). Histogram buckets: ExponentialBuckets(0.001, 2, 14).
  { logical: 'etcdWalFsync', metric: 'etcd_disk_wal_fsync_duration_seconds', type: 'histogram', labels: {}, rank: 0, source: 'facts §1.6; etcd server/storage/wal/metrics.go' },
  { logical: 'etcdBackendCommit', metric: 'etcd_disk_backend_commit_duration_seconds', type: 'histogram', labels: {}, rank: 0, source: 'facts §1.6; etcd server/storage/backend/metrics.go' },
  { logical: 'etcdDbTotalSize', metric: 'etcd_mvcc_db_total_size_in_bytes', type: 'gauge', labels: {}, etcd: { from: '3.3.9' }, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdDbTotalSize', metric: 'etcd_debugging_mvcc_db_total_size_in_bytes', type: 'gauge', labels: {}, etcd: { until: '3.5.0' }, rank: 1, note: 'the only name in 3.3.0–3.3.8; alias in 3.4; gone in 3.5', source: 'facts §1.6' },
  { logical: 'etcdDbInUse', metric: 'etcd_mvcc_db_total_size_in_use_in_bytes', type: 'gauge', labels: {}, etcd: { from: '3.3.9' }, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdQuota', metric: 'etcd_server_quota_backend_bytes', type: 'gauge', labels: {}, etcd: { from: '3.3.9' }, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdHasLeader', metric: 'etcd_server_has_leader', type: 'gauge', labels: {}, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdLeaderChanges', metric: 'etcd_server_leader_changes_seen_total', type: 'counter', labels: {}, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdProposalsFailed', metric: 'etcd_server_proposals_failed_total', type: 'counter', labels: {}, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdHeartbeatFailures', metric: 'etcd_server_heartbeat_send_failures_total', type: 'counter', labels: {}, rank: 0, source: 'facts §1.6' },
  { logical: 'etcdSlowApply', metric: 'etcd_server_slow_apply_total', type: 'counter', labels: {}, etcd: { from: '3.4.0' }, rank: 0, source: 'etcd server/etcdserver/metrics.go ("took too long" applies)' },
  { logical: 'etcdKeysTotal', metric: 'etcd_debugging_mvcc_keys_total', type: 'gauge', labels: {}, rank: 0, note: 'a debugging metric: may vanish in a later etcd', source: 'facts §1.6; etcd server/storage/mvcc/metrics.go' },
  { logical: 'etcdPeerRtt', metric: 'etcd_network_peer_round_trip_time_seconds', type: 'histogram', labels: { to: 'To' }, rank: 0, source: 'facts §1.6 (label `To`, capital T)' },
  { logical: 'etcdCurrentRevision', metric: 'etcd_debugging_mvcc_current_revision', type: 'gauge', labels: {}, rank: 0, note: 'a debugging metric (3.4); the revision `etcdctl compact` takes', source: 'etcd server/storage/mvcc/metrics.go' },
  { logical: 'etcdCompactRevision', metric: 'etcd_debugging_mvcc_compact_revision', type: 'gauge', labels: {}, rank: 0, note: 'a debugging metric (3.4); -1 before the first compaction', source: 'etcd server/storage/mvcc/metrics.go' },
  { logical: 'etcdServerVersion', metric: 'etcd_server_version', type: 'gauge', labels: { version: 'server_version' }, rank: 0, source: 'etcd server/etcdserver/metrics.go' },
];

export interface VersionContext { k8sVersion?: string; etcdVersion?: string }

/** One way to read a logical metric: the family to look up and how its labels map. */
export interface Candidate {
  metric: string;
  type: PromType;
  labels: Readonly<Record<string, string>>;
  /** False when listed only because the version was unknown. */
  versionMatched: boolean;
  entry: CatalogueEntry;
}

function fromOf(e: CatalogueEntry): readonly [number, number, number] {
  return parseVersion(e.k8s?.from ?? e.etcd?.from) ?? [0, 0, 0];
}

const sameShape = (a: CatalogueEntry, b: CatalogueEntry) =>
  a.metric === b.metric && JSON.stringify(Object.entries(a.labels).sort()) === JSON.stringify(Object.entries(b.labels).sort());

/**
 * Candidates for `logical` in preference order. With a known version: the rows whose range holds
 * it, by rank. Rows whose version is unknown (e.g. an apiserver row without k8sVersion) are
 * all candidates, newest first, so a scrape from any release resolves. Duplicate (metric, labels)
 * pairs are listed once.
 */
export function resolve(logical: LogicalMetric, ctx: VersionContext = {}): Candidate[] {
  const k8s = parseVersion(ctx.k8sVersion);
  const etcd = parseVersion(ctx.etcdVersion);
  const rows: Array<{ e: CatalogueEntry; matched: boolean }> = [];
  for (const e of CATALOGUE) {
    if (e.logical !== logical) continue;
    if (e.k8s) {
      if (k8s) { if (inRange(k8s, e.k8s)) rows.push({ e, matched: true }); } else rows.push({ e, matched: false });
    } else if (e.etcd) {
      if (etcd) { if (inRange(etcd, e.etcd)) rows.push({ e, matched: true }); } else rows.push({ e, matched: false });
    } else {
      rows.push({ e, matched: true });
    }
  }
  rows.sort((a, b) => {
    // Known version: rank decides. Unknown: newest row first, then rank.
    if (a.matched && b.matched) return a.e.rank - b.e.rank || compareVersions(fromOf(b.e), fromOf(a.e));
    if (a.matched !== b.matched) return a.matched ? -1 : 1;
    return compareVersions(fromOf(b.e), fromOf(a.e)) || a.e.rank - b.e.rank;
  });
  const out: Candidate[] = [];
  for (const { e, matched } of rows) {
    if (out.some((c) => sameShape(c.entry, e))) continue;
    out.push({ metric: e.metric, type: e.type, labels: e.labels, versionMatched: matched, entry: e });
  }
  return out;
}

/** Every row, for candidates outside the version's range: the last-resort fallback list. */
export function resolveAnyVersion(logical: LogicalMetric): Candidate[] {
  return resolve(logical, {}).map((c) => ({ ...c, versionMatched: false }));
}

/** All family names the catalogue can read: a ready-made `keep` set for the recorder. */
export function catalogueFamilies(logicals?: readonly LogicalMetric[]): Set<string> {
  return new Set(CATALOGUE.filter((e) => !logicals || logicals.includes(e.logical)).map((e) => e.metric));
}
