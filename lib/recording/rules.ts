/**
 * Recording rules: which series the flight recorder keeps from each scrape, as data.
 *
 * An apiserver scrape holds ~10.5k samples; keeping them all every 15 s would be ~60M rows a day.
 * Like Prometheus recording rules, each rule sums one family by a few labels, so the recorder keeps
 * what the views and detectors use (a few hundred rows per scrape) and the raw scrape every few
 * minutes for forensics. Histograms keep their `le` buckets, so quantiles over any window stay
 * PromQL-faithful (`histogram_quantile(q, sum by (x, le) (rate(h[w])))`).
 *
 * `families` lists candidate names newest first; the first one present in the scrape is used, so a
 * rule works on every Kubernetes/etcd version, even when the version is unknown. Which name exists
 * in which version is documented in lib/catalogue (control-plane-facts §1).
 */
import type { Component } from './types';

export interface RecordingRule {
  /** Name of the recorded series. */
  record: string;
  component: Component;
  families: string[];
  /** For histograms: `_bucket`; for summaries/histograms' totals: `_sum`/`_count`; '' for plain samples. */
  suffix?: '_bucket' | '_sum' | '_count' | '';
  /** Labels to keep (sum over the others). `le` is kept automatically for `_bucket`. */
  by: string[];
  /** Older label names mapped to the kept name, e.g. requestKind → request_kind (1.18). */
  aliases?: Record<string, string>;
  /** Drop samples whose labels match (e.g. long-running verbs, whose durations mean nothing). */
  exclude?: Record<string, string[]>;
  /** Values that mean "unknown" (apiserver_storage_objects reports -1 on a fetch error since 1.29). */
  dropNegative?: boolean;
}

const LONG_RUNNING = { verb: ['WATCH', 'CONNECT'] };

export const RECORDING_RULES: RecordingRule[] = [
  // ---- kube-apiserver
  { record: 'go_goroutines', component: 'kube-apiserver', families: ['go_goroutines'], by: [] },
  { record: 'process_resident_memory_bytes', component: 'kube-apiserver', families: ['process_resident_memory_bytes'], by: [] },
  { record: 'process_start_time_seconds', component: 'kube-apiserver', families: ['process_start_time_seconds'], by: [] },
  { record: 'apiserver_request_total', component: 'kube-apiserver', families: ['apiserver_request_total'], by: ['verb', 'code'] },
  {
    record: 'apiserver_request_duration_seconds_bucket', component: 'kube-apiserver',
    families: ['apiserver_request_duration_seconds'], suffix: '_bucket', by: ['verb'], exclude: LONG_RUNNING,
  },
  {
    record: 'apiserver_current_inflight_requests', component: 'kube-apiserver',
    families: ['apiserver_current_inflight_requests'], by: ['request_kind'], aliases: { requestKind: 'request_kind' },
  },
  {
    record: 'etcd_request_duration_seconds_bucket', component: 'kube-apiserver',
    families: ['etcd_request_duration_seconds'], suffix: '_bucket', by: ['operation'],
  },
  {
    // Objects per resource: 1.34+ apiserver_resource_objects{group,resource}; 1.21–1.33 apiserver_storage_objects;
    // ≤1.24 etcd_object_counts (facts §1.2).
    record: 'kf_objects', component: 'kube-apiserver',
    families: ['apiserver_resource_objects', 'apiserver_storage_objects', 'etcd_object_counts'], by: ['resource', 'group'], dropNegative: true,
  },
  {
    // etcd DB size as the apiserver sees it (facts §1.1): 1.28.10+/1.29.5+ label storage_cluster_id, before it `cluster`; older names use `endpoint`.
    record: 'kf_apiserver_etcd_db_bytes', component: 'kube-apiserver',
    families: ['apiserver_storage_size_bytes', 'apiserver_storage_db_total_size_in_bytes', 'etcd_db_total_size_in_bytes'],
    by: ['storage_cluster_id', 'endpoint'], aliases: { cluster: 'storage_cluster_id' },
  },
  // ---- etcd
  { record: 'etcd:go_goroutines', component: 'etcd', families: ['go_goroutines'], by: [] },
  { record: 'etcd:process_resident_memory_bytes', component: 'etcd', families: ['process_resident_memory_bytes'], by: [] },
  { record: 'etcd_disk_wal_fsync_duration_seconds_bucket', component: 'etcd', families: ['etcd_disk_wal_fsync_duration_seconds'], suffix: '_bucket', by: [] },
  { record: 'etcd_disk_backend_commit_duration_seconds_bucket', component: 'etcd', families: ['etcd_disk_backend_commit_duration_seconds'], suffix: '_bucket', by: [] },
  {
    record: 'etcd_mvcc_db_total_size_in_bytes', component: 'etcd',
    families: ['etcd_mvcc_db_total_size_in_bytes', 'etcd_debugging_mvcc_db_total_size_in_bytes'], by: [],
  },
  { record: 'etcd_mvcc_db_total_size_in_use_in_bytes', component: 'etcd', families: ['etcd_mvcc_db_total_size_in_use_in_bytes'], by: [] },
  { record: 'etcd_server_quota_backend_bytes', component: 'etcd', families: ['etcd_server_quota_backend_bytes'], by: [] },
  { record: 'etcd_server_has_leader', component: 'etcd', families: ['etcd_server_has_leader'], by: [] },
  { record: 'etcd_server_leader_changes_seen_total', component: 'etcd', families: ['etcd_server_leader_changes_seen_total'], by: [] },
  { record: 'etcd_server_proposals_failed_total', component: 'etcd', families: ['etcd_server_proposals_failed_total'], by: [] },
  { record: 'etcd_server_heartbeat_send_failures_total', component: 'etcd', families: ['etcd_server_heartbeat_send_failures_total'], by: [] },
  { record: 'etcd_server_slow_apply_total', component: 'etcd', families: ['etcd_server_slow_apply_total'], by: [] },
  { record: 'etcd_debugging_mvcc_keys_total', component: 'etcd', families: ['etcd_debugging_mvcc_keys_total'], by: [] },
  {
    record: 'etcd_network_peer_round_trip_time_seconds_bucket', component: 'etcd',
    families: ['etcd_network_peer_round_trip_time_seconds'], suffix: '_bucket', by: ['To'],
  },
];
