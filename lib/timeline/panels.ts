/**
 * The timeline's panels, as data. Thresholds are the documented ones (control-plane-facts §1.7):
 * WAL fsync p99 < 10 ms (etcd FAQ), 100 ms is where heartbeats and leader elections fail (the
 * first postmortem); backend commit p99 < 25 ms (etcd FAQ).
 */
import type { PanelSpec } from './types';

const LONG_RUNNING = { verb: ['WATCH', 'CONNECT'] };

export const PANELS: PanelSpec[] = [
  {
    id: 'etcd-wal-fsync', group: 'etcd', title: 'etcd WAL fsync latency', unit: 'seconds',
    explanation: 'How long etcd waits for the disk to persist its write-ahead log. Slow fsync delays heartbeats: past ~100 ms, leader elections fail.',
    queries: [
      { kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.99, legend: 'p99' },
      { kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.5, legend: 'p50' },
    ],
    thresholds: [
      { value: 0.01, label: '10 ms: recommended p99', severity: 'warning' },
      { value: 0.1, label: '100 ms: leader elections at risk', severity: 'critical' },
    ],
  },
  {
    id: 'etcd-backend-commit', group: 'etcd', title: 'etcd backend commit latency', unit: 'seconds',
    explanation: 'Time to commit a batch to the bolt database on disk; a slow disk shows here and in WAL fsync together.',
    queries: [{ kind: 'quantile', series: 'etcd_disk_backend_commit_duration_seconds_bucket', q: 0.99, legend: 'p99' }],
    thresholds: [{ value: 0.025, label: '25 ms: recommended p99', severity: 'warning' }],
  },
  {
    id: 'etcd-leader', group: 'etcd', title: 'etcd leadership', unit: 'count',
    explanation: 'has_leader must stay 1. Leader changes and failed proposals mean the Raft cluster is unstable (slow disk, slow network, overload).',
    queries: [
      { kind: 'gauge', series: 'etcd_server_has_leader', legend: 'has leader' },
      { kind: 'increase', series: 'etcd_server_leader_changes_seen_total', legend: 'leader changes' },
      { kind: 'increase', series: 'etcd_server_proposals_failed_total', legend: 'failed proposals' },
      { kind: 'increase', series: 'etcd_server_heartbeat_send_failures_total', legend: 'heartbeat send failures' },
    ],
  },
  {
    id: 'etcd-peer-rtt', group: 'etcd', title: 'etcd peer round-trip', unit: 'seconds',
    explanation: 'Network round-trip to each peer (p99). A single-member etcd has none: that is itself a single point of failure.',
    queries: [{ kind: 'quantile', series: 'etcd_network_peer_round_trip_time_seconds_bucket', q: 0.99, by: ['to'], legend: 'p99 to {to}' }],
    thresholds: [{ value: 0.15, label: '150 ms: member communication slow', severity: 'warning' }],
  },
  {
    id: 'etcd-db-size', group: 'etcd', title: 'etcd database size vs quota', unit: 'bytes', special: 'db-usage',
    explanation: 'At the quota etcd raises NOSPACE and the cluster turns read-only. "In use" is what remains after compaction; the rest awaits defrag.',
    queries: [
      { kind: 'gauge', series: ['etcd_mvcc_db_total_size_in_bytes', 'kf_apiserver_etcd_db_bytes'], legend: 'DB size' },
      { kind: 'gauge', series: 'etcd_mvcc_db_total_size_in_use_in_bytes', legend: 'in use' },
      { kind: 'gauge', series: 'etcd_server_quota_backend_bytes', legend: 'quota', style: 'reference' },
    ],
  },
  {
    id: 'objects', group: 'objects', title: 'Objects per resource', unit: 'count', special: 'objects',
    explanation: 'What fills etcd. Counts come from a census (a one-item LIST per resource, a consistent read), with the apiserver\'s own counts, polled about once a minute, where the census has none.',
    queries: [],
  },
  {
    id: 'objects-growth', group: 'objects', title: 'Object growth per minute', unit: 'per-minute', special: 'objects-growth',
    explanation: 'Objects created minus deleted each minute, by resource: a flood shows here however small the resource is beside the largest; deletes go below zero.',
    queries: [],
  },
  {
    id: 'apiserver-requests', group: 'apiserver', title: 'API requests by verb', unit: 'ops',
    explanation: 'Requests per second the apiserver answered, by verb.',
    queries: [{ kind: 'rate', series: 'apiserver_request_total', by: ['verb'], legend: '{verb}' }],
  },
  {
    id: 'apiserver-latency', group: 'apiserver', title: 'API request latency (p99)', unit: 'seconds',
    explanation: 'p99 latency by verb, long-running WATCH and CONNECT left out. The upstream SLO is 1 s for single-object calls.',
    queries: [{ kind: 'quantile', series: 'apiserver_request_duration_seconds_bucket', q: 0.99, by: ['verb'], exclude: LONG_RUNNING, legend: 'p99 {verb}' }],
    thresholds: [{ value: 1, label: '1 s: SLO for single-object calls', severity: 'warning' }],
  },
  {
    id: 'apiserver-latency-resource', group: 'apiserver', title: 'Slowest resources (p99 by verb and resource)', unit: 'seconds',
    explanation: 'The verb and resource pairs with the worst p99 in the range, each recorded per scrape interval: which API is slow, not just which verb.',
    queries: [{ kind: 'gauge', series: 'kf_request_p99_seconds', by: ['verb', 'resource'], legend: '{verb} {resource}', topK: 8 }],
    thresholds: [{ value: 1, label: '1 s: SLO for single-object calls', severity: 'warning' }],
  },
  {
    id: 'apiserver-errors', group: 'apiserver', title: 'API 5xx errors', unit: 'ops',
    explanation: 'Server errors per second, by code. A NOSPACE etcd answers every write with 500 "etcdserver: mvcc: database space exceeded".',
    queries: [
      { kind: 'rate', series: 'apiserver_request_total', by: ['code'], match: { code: '500' }, legend: '500' },
      { kind: 'rate', series: 'apiserver_request_total', by: ['code'], match: { code: '503' }, legend: '503' },
      { kind: 'rate', series: 'apiserver_request_total', by: ['code'], match: { code: '504' }, legend: '504' },
    ],
  },
  {
    id: 'apiserver-inflight', group: 'apiserver', title: 'In-flight requests', unit: 'count',
    explanation: 'Requests being served right now, read-only and mutating, against the --max-requests-inflight limits.',
    queries: [{ kind: 'gauge', series: 'apiserver_current_inflight_requests', by: ['requestKind'], legend: '{requestKind}' }],
  },
  {
    id: 'apiserver-etcd-latency', group: 'apiserver', title: 'etcd latency seen by the apiserver (p99)', unit: 'seconds',
    explanation: 'How long the apiserver waits on etcd, by operation: where a slow or full etcd reaches users.',
    queries: [{ kind: 'quantile', series: 'etcd_request_duration_seconds_bucket', q: 0.99, by: ['operation'], legend: 'p99 {operation}' }],
  },
  {
    id: 'apiserver-goroutines', group: 'apiserver', title: 'apiserver goroutines', unit: 'count',
    explanation: 'Steady growth with no matching load is a leak (the DeleteCollection bug leaks one per failed call).',
    queries: [{ kind: 'gauge', series: 'go_goroutines', legend: 'goroutines' }],
  },
  {
    id: 'apiserver-memory', group: 'apiserver', title: 'apiserver resident memory', unit: 'bytes',
    explanation: 'RSS of kube-apiserver. Restarts (markers) after a climb usually mean an OOM kill.',
    queries: [{ kind: 'gauge', series: 'process_resident_memory_bytes', legend: 'RSS' }],
  },
];

export function panelById(id: string): PanelSpec | undefined {
  return PANELS.find((p) => p.id === id);
}
