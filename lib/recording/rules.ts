/**
 * Recording rules: which series the flight recorder keeps from each scrape, as data.
 *
 * An apiserver scrape holds ~10.5k samples; keeping them all every 15 s would be ~60M rows a day.
 * Like Prometheus recording rules, each rule sums one family by a few labels, so the recorder keeps
 * what the views and detectors use (a few hundred rows per scrape) and the raw scrape every few
 * minutes for forensics. Histograms keep their `le` buckets, so quantiles over any window stay
 * PromQL-faithful (`histogram_quantile(q, sum by (x, le) (rate(h[w])))`).
 *
 * A rule names a *logical* metric of lib/catalogue, never an exposed name: the catalogue says which
 * family and which label names carry it in each Kubernetes/etcd version (control-plane-facts §1),
 * and the recorded series use the catalogue's logical label names (`requestKind`, `storage`, `to`),
 * so one recorded series spans an upgrade that renamed the metric or its labels.
 */
import type { LogicalMetric } from '../catalogue/catalogue';
import type { Component } from './types';

export interface RecordingRule {
  /** Name of the recorded series. */
  record: string;
  component: Component;
  /** What to read, resolved through the catalogue (newest name present in the scrape wins). */
  logical: LogicalMetric;
  /** For histograms: `_bucket`; for summaries/histograms' totals: `_sum`/`_count`; '' for plain samples. */
  suffix?: '_bucket' | '_sum' | '_count' | '';
  /** Logical labels to keep (sum over the others). `le` is kept automatically for `_bucket`. */
  by: string[];
  /** Drop samples whose (logical) labels match (e.g. long-running verbs, whose durations mean nothing). */
  exclude?: Record<string, string[]>;
  /** Values that mean "unknown" (apiserver_storage_objects reports -1 on a fetch error since 1.29). */
  dropNegative?: boolean;
  /**
   * Gauges only: how the values of several scraped instances (apiservers, etcd members) combine
   * when Prometheus is the source (lib/prometheus). The recorder reads one instance; a sum of three
   * members' quotas or revisions would be no member's value, so such gauges take the worst
   * instance. Counters and buckets add up (default `sum`), as `sum(rate())` does.
   */
  across?: 'sum' | 'max' | 'min';
}

export const LONG_RUNNING = { verb: ['WATCH', 'CONNECT'] };

export const RECORDING_RULES: RecordingRule[] = [
  // ---- kube-apiserver
  { record: 'go_goroutines', component: 'kube-apiserver', logical: 'goroutines', by: [], across: 'max' },
  { record: 'process_resident_memory_bytes', component: 'kube-apiserver', logical: 'residentMemory', by: [], across: 'max' },
  { record: 'process_start_time_seconds', component: 'kube-apiserver', logical: 'processStartTime', by: [], across: 'max' },
  { record: 'apiserver_request_total', component: 'kube-apiserver', logical: 'requestTotal', by: ['verb', 'code'] },
  { record: 'apiserver_request_duration_seconds_bucket', component: 'kube-apiserver', logical: 'requestDuration', suffix: '_bucket', by: ['verb'], exclude: LONG_RUNNING },
  { record: 'apiserver_current_inflight_requests', component: 'kube-apiserver', logical: 'inflight', by: ['requestKind'], across: 'max' },
  { record: 'etcd_request_duration_seconds_bucket', component: 'kube-apiserver', logical: 'etcdRequestDuration', suffix: '_bucket', by: ['operation'] },
  // Objects per resource (1.34+ splits group and resource; before, `resource` is "deployments.apps").
  { record: 'kf_objects', component: 'kube-apiserver', logical: 'objectCount', by: ['resource', 'group'], dropNegative: true, across: 'max' },
  // etcd DB size as the apiserver sees it, per storage (an etcd endpoint, or a storage cluster id).
  { record: 'kf_apiserver_etcd_db_bytes', component: 'kube-apiserver', logical: 'apiserverEtcdDbSizeBytes', by: ['storage'], across: 'max' },
  // ---- etcd
  { record: 'etcd:go_goroutines', component: 'etcd', logical: 'goroutines', by: [], across: 'max' },
  { record: 'etcd:process_resident_memory_bytes', component: 'etcd', logical: 'residentMemory', by: [], across: 'max' },
  { record: 'etcd_disk_wal_fsync_duration_seconds_bucket', component: 'etcd', logical: 'etcdWalFsync', suffix: '_bucket', by: [] },
  { record: 'etcd_disk_backend_commit_duration_seconds_bucket', component: 'etcd', logical: 'etcdBackendCommit', suffix: '_bucket', by: [] },
  { record: 'etcd_mvcc_db_total_size_in_bytes', component: 'etcd', logical: 'etcdDbTotalSize', by: [], across: 'max' },
  { record: 'etcd_mvcc_db_total_size_in_use_in_bytes', component: 'etcd', logical: 'etcdDbInUse', by: [], across: 'max' },
  { record: 'etcd_server_quota_backend_bytes', component: 'etcd', logical: 'etcdQuota', by: [], across: 'min' },
  { record: 'etcd_server_has_leader', component: 'etcd', logical: 'etcdHasLeader', by: [], across: 'min' },
  { record: 'etcd_server_leader_changes_seen_total', component: 'etcd', logical: 'etcdLeaderChanges', by: [] },
  { record: 'etcd_server_proposals_failed_total', component: 'etcd', logical: 'etcdProposalsFailed', by: [] },
  { record: 'etcd_server_heartbeat_send_failures_total', component: 'etcd', logical: 'etcdHeartbeatFailures', by: [] },
  { record: 'etcd_server_slow_apply_total', component: 'etcd', logical: 'etcdSlowApply', by: [] },
  { record: 'etcd_debugging_mvcc_keys_total', component: 'etcd', logical: 'etcdKeysTotal', by: [], across: 'max' },
  // The runbooks template `etcdctl compact <revision>` with the current one, and check that compaction happened.
  { record: 'etcd_debugging_mvcc_current_revision', component: 'etcd', logical: 'etcdCurrentRevision', by: [], across: 'max' },
  { record: 'etcd_debugging_mvcc_compact_revision', component: 'etcd', logical: 'etcdCompactRevision', by: [], across: 'max' },
  { record: 'etcd_network_peer_round_trip_time_seconds_bucket', component: 'etcd', logical: 'etcdPeerRtt', suffix: '_bucket', by: ['to'] },
];
