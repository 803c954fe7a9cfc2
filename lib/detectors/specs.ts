/**
 * The detectors, as data. Thresholds and their sources: control-plane-facts §1.7 (etcd FAQ: WAL
 * fsync p99 < 10 ms, backend commit p99 < 25 ms; upstream etcd alert rules: quota > 95%), the first
 * postmortem (fsync past 100 ms broke leader elections), facts §9 (NOSPACE on a real 1.20.2).
 */
import { DEFAULT_AUDIT_DISK_LEVELS } from '../audit/disk';
import type { DetectorSpec } from './types';

const ETCD_FAQ = { title: 'etcd FAQ: what does "failed to send out heartbeat on time" mean', url: 'https://etcd.io/docs/v3.5/faq/' };
const ETCD_MAINT = { title: 'etcd maintenance: space quota, compaction, defragmentation', url: 'https://etcd.io/docs/v3.5/op-guide/maintenance/' };
const NODE_LIFECYCLE = { title: 'Kubernetes: node controller, rate limits and zones (taint-based evictions)', url: 'https://kubernetes.io/docs/concepts/architecture/nodes/#rate-limits-on-eviction' };
const TAINT_EVICTION = { title: 'Kubernetes: taint-based evictions and tolerationSeconds', url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions' };
const HA = { title: 'Kubernetes: options for highly available topology', url: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/ha-topology/' };
const SLO = { title: 'Kubernetes scalability SLOs: API call latency (1 s mutating and single-object, 30 s cluster-scoped LIST)', url: 'https://github.com/kubernetes/community/blob/master/sig-scalability/slos/api_call_latency.md' };
const ETCD_ALERTS = { title: 'etcd alerting rules (etcd3_alert.rules.yml)', url: 'https://github.com/etcd-io/etcd/blob/main/contrib/mixin/mixin.libsonnet' };

export const DETECTORS: DetectorSpec[] = [
  {
    id: 'etcd-fsync-slow', kind: 'threshold', title: 'etcd WAL fsync is slow', panel: 'etcd-wal-fsync', runbook: 'etcd-slow-disk',
    query: { kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.99, legend: 'p99' },
    levels: [{ severity: 'warning', above: 0.01 }, { severity: 'critical', above: 0.1 }],
    sustainedPoints: 2, summary: 'WAL fsync p99 {value}', format: 'seconds',
    explanation: 'etcd persists every write to its WAL before acknowledging it. The etcd FAQ asks for a p99 under 10 ms; past 100 ms heartbeats are late and leader elections fail. Look for a saturated or throttled disk, a noisy neighbour (audit logs on the same disk), or a full disk.',
    references: [ETCD_FAQ],
  },
  {
    id: 'etcd-commit-slow', kind: 'threshold', title: 'etcd backend commits are slow', panel: 'etcd-backend-commit', runbook: 'etcd-slow-disk',
    query: { kind: 'quantile', series: 'etcd_disk_backend_commit_duration_seconds_bucket', q: 0.99, legend: 'p99' },
    levels: [{ severity: 'warning', above: 0.025 }, { severity: 'critical', above: 0.25 }],
    sustainedPoints: 2, summary: 'backend commit p99 {value}', format: 'seconds',
    explanation: 'Commits of the bolt database should take under 25 ms at p99 (etcd FAQ); the upstream alert fires at 250 ms. Slow commits with slow fsync point at the disk.',
    references: [ETCD_FAQ, ETCD_ALERTS],
  },
  {
    id: 'etcd-no-leader', kind: 'threshold', direction: 'below', title: 'etcd has no leader', panel: 'etcd-leader', runbook: 'etcd-slow-disk',
    query: { kind: 'gauge', series: 'etcd_server_has_leader', legend: 'has leader' },
    levels: [{ severity: 'critical', above: 0.5 }],
    sustainedPoints: 1, summary: 'etcd_server_has_leader is {value}: the member cannot commit writes', format: 'count',
    explanation: 'Without a leader etcd commits nothing: every write through the apiserver times out. Leader elections fail when heartbeats are late (slow WAL fsync, a saturated disk, CPU starvation) or when a majority of members is gone.',
    references: [ETCD_FAQ, ETCD_ALERTS],
  },
  {
    id: 'etcd-db-quota', kind: 'db-quota', title: 'etcd database is filling its quota', panel: 'etcd-db-size', runbook: 'etcd-out-of-space',
    warnPercent: 80, critPercent: 95, fullWithinHoursWarn: 48, fullWithinHoursCrit: 6,
    explanation: 'When the database reaches --quota-backend-bytes, etcd raises the NOSPACE alarm and refuses every write: the cluster turns read-only. Find what grows, delete it in batches, then compact, defragment and disarm the alarm.',
    references: [ETCD_MAINT, ETCD_ALERTS],
  },
  {
    id: 'etcd-nospace', kind: 'nospace', title: 'etcd is out of space (NOSPACE): writes fail', panel: 'etcd-db-size', runbook: 'etcd-out-of-space',
    explanation: 'The database has reached its quota. etcd answers every write with "etcdserver: mvcc: database space exceeded", which kube-apiserver passes on as HTTP 500. Reads still work. Deleting objects alone does not help: the space comes back only after compaction and defragmentation, and the alarm must be disarmed.',
    references: [ETCD_MAINT, { title: 'kubernetes#94029: compact failed: etcdserver: mvcc: database space exceeded', url: 'https://github.com/kubernetes/kubernetes/issues/94029' }],
  },
  {
    id: 'resource-growth', kind: 'resource-growth', title: 'One resource is growing abnormally', panel: 'objects', runbook: 'etcd-out-of-space',
    minPerMinute: 20, minShare: 0.5, windowMs: 10 * 60_000,
    explanation: 'A single resource accounts for most of the growth in object count. Runaway controllers and report generators (Kyverno ephemeralreports, Events) fill etcd this way until it hits its quota.',
    references: [{ title: 'Kyverno: ephemeral reports and etcd size', url: 'https://kyverno.io/docs/policy-reports/' }],
  },
  {
    id: 'apiserver-readiness', kind: 'readiness', title: 'kube-apiserver is not ready', runbook: 'apiserver-down',
    explanation: 'The apiserver answers /readyz with failing checks. "[-]etcd failed" means it cannot reach etcd (etcd down, out of disk, or too slow): writes and quorum reads time out. Other failing checks (informer sync, bootstrap) usually clear after a restart.',
    references: [{ title: 'Kubernetes API health endpoints', url: 'https://kubernetes.io/docs/reference/using-api/health-checks/' }],
  },
  {
    id: 'apiserver-endpoints', kind: 'apiserver-endpoints', title: 'A single apiserver endpoint', runbook: 'apiserver-down',
    explanation: 'The default/kubernetes Endpoints lists the apiservers that registered themselves. With one, losing that machine stops every change to the cluster; worse, when a replacement comes up and kubelets cannot reach it, the node controller marks every node unreachable and evicts their pods. Keep kube-controller-manager stopped until kubelets report again.',
    references: [HA],
  },
  {
    id: 'etcd-members', kind: 'etcd-members', title: 'A single etcd member', panel: 'etcd-leader', runbook: 'etcd-slow-disk',
    explanation: 'One etcd member has no quorum to lose but no replica either: its disk is the cluster state, and every slow fsync stalls every write. Three members survive the loss of one.',
    references: [HA, { title: 'etcd: recovering from disaster (snapshot save / restore)', url: 'https://etcd.io/docs/v3.5/op-guide/recovery/' }],
  },
  {
    id: 'node-heartbeats', kind: 'node-heartbeats', title: 'Nodes stopped heartbeating', runbook: 'apiserver-down',
    explanation: 'Kubelets renew a Lease in kube-node-lease every 10 s. After --node-monitor-grace-period (40 s) without one, the node controller marks the node Unknown and taints it unreachable:NoExecute; pods are deleted when the taint is older than their tolerationSeconds (300 s by default). If every node in every zone is down, the controller suspends evictions (master disruption mode) and resumes them as soon as one node is Ready again.',
    references: [NODE_LIFECYCLE, TAINT_EVICTION],
  },
  {
    id: 'apiserver-goroutine-growth', kind: 'steady-growth', title: 'apiserver goroutines keep growing', panel: 'apiserver-goroutines', runbook: 'apiserver-leak',
    series: 'go_goroutines', label: 'goroutines', windowMs: 30 * 60_000, minIncrease: 1000, minRatio: 0.5, format: 'count',
    knownIssues: ['k8s-105606-deletecollection-leak'],
    explanation: 'An idle 1.20 apiserver runs about 1,700 goroutines. A steady climb that load does not explain is a leak: each leaked goroutine pins what it references until the process is OOM-killed. A goroutine dump groups them by stack and names a known issue when one matches.',
    references: [{ title: 'kubernetes#105606: fix goroutine leak in DeleteCollection', url: 'https://github.com/kubernetes/kubernetes/pull/105606' }],
  },
  {
    id: 'apiserver-memory-growth', kind: 'steady-growth', title: 'apiserver memory keeps growing', panel: 'apiserver-memory', runbook: 'apiserver-leak',
    series: 'process_resident_memory_bytes', label: 'resident memory', windowMs: 30 * 60_000, minIncrease: 512 * 1024 ** 2, minRatio: 0.5, format: 'bytes',
    knownIssues: ['k8s-105606-deletecollection-leak'], goroutinesMustGrow: 0.1,
    explanation: 'Resident memory rising steadily ends in an OOM kill, and every client reconnects and relists at once. With goroutines climbing too, suspect a goroutine leak (take a goroutine dump). With goroutines flat, the apiserver is holding data: its watch cache keeps every object of every resource, so a resource growing in count or size (unpruned Helm release Secrets, reports, Events) grows its memory. A heap profile now, and another in a few minutes, show what grows.',
    references: [{ title: 'kubernetes#105606: fix goroutine leak in DeleteCollection', url: 'https://github.com/kubernetes/kubernetes/pull/105606' }],
  },
  {
    id: 'apiserver-5xx', kind: 'error-ratio', title: 'apiserver answers with 5xx', panel: 'apiserver-errors', runbook: 'etcd-slow-disk',
    series: 'apiserver_request_total', minRatePerSecond: 0.05, sustainedPoints: 2,
    levels: [{ severity: 'warning', ratio: 0.01 }, { severity: 'critical', ratio: 0.1 }],
    explanation: 'Server errors are the apiserver failing, not the client: 500 from etcd errors (database space exceeded, timeouts), 503 when it is not ready, 504 when a request outlived its timeout. Look at etcd first.',
    references: [SLO],
  },
  {
    id: 'apiserver-latency-slo', kind: 'threshold', title: 'API calls slower than the SLO', panel: 'apiserver-latency-resource', runbook: 'etcd-slow-disk',
    query: { kind: 'gauge', series: 'kf_request_p99_seconds', by: ['verb', 'resource'], exclude: { verb: ['LIST', 'WATCH', 'CONNECT'] }, legend: '{verb} {resource}' },
    levels: [{ severity: 'warning', above: 1 }, { severity: 'critical', above: 5 }],
    sustainedPoints: 2, summary: 'p99 {value} for non-LIST calls (SLO 1 s)', format: 'seconds',
    explanation: 'The Kubernetes SLO for mutating and single-object calls is p99 ≤ 1 s. Past it controllers fall behind and clients retry, which adds load. When etcd latency rises with it, the disk or etcd is the cause.',
    references: [SLO],
  },
  {
    id: 'apiserver-list-latency-slo', kind: 'threshold', title: 'LIST calls slower than the SLO', panel: 'apiserver-latency-resource', runbook: 'etcd-out-of-space',
    query: { kind: 'gauge', series: 'kf_request_p99_seconds', by: ['verb', 'resource'], match: { verb: 'LIST' }, legend: '{verb} {resource}' },
    levels: [{ severity: 'warning', above: 5 }, { severity: 'critical', above: 30 }],
    sustainedPoints: 2, summary: 'LIST p99 {value}', format: 'seconds',
    explanation: 'LIST SLO: p99 ≤ 5 s namespaced, ≤ 30 s cluster-wide. A slow LIST of one resource usually means too many objects of it (a runaway controller): check the census.',
    references: [SLO],
  },
  {
    id: 'apiserver-etcd-latency', kind: 'threshold', title: 'etcd is slow as the apiserver sees it', panel: 'apiserver-etcd-latency', runbook: 'etcd-slow-disk',
    query: { kind: 'quantile', series: 'etcd_request_duration_seconds_bucket', q: 0.99, by: ['operation'], legend: '{operation}' },
    levels: [{ severity: 'warning', above: 0.5 }, { severity: 'critical', above: 2 }],
    sustainedPoints: 2, summary: 'etcd request p99 {value}', format: 'seconds',
    explanation: 'The apiserver\'s own measurement of etcd calls (etcd_request_duration_seconds), available even where etcd\'s metrics are hidden. Half a second per call eats half the 1 s SLO before any admission or serialisation.',
    references: [ETCD_FAQ, SLO],
  },
  {
    id: 'etcd-leader-changes', kind: 'counter-increase', title: 'etcd leader changes', panel: 'etcd-leader', runbook: 'etcd-slow-disk',
    series: 'etcd_server_leader_changes_seen_total', windowMs: 15 * 60_000, levels: [{ severity: 'warning', atLeast: 4 }],
    summary: '{value} etcd leader changes in 15 min',
    explanation: 'Each election stalls writes for at least an election timeout. Frequent elections mean heartbeats arrive late: slow fsync, a saturated disk or network, or CPU starvation (upstream alert: ≥ 4 in 15 min).',
    references: [ETCD_FAQ, ETCD_ALERTS],
  },
  {
    id: 'etcd-heartbeat-failures', kind: 'counter-increase', title: 'etcd heartbeats fail to send', panel: 'etcd-leader', runbook: 'etcd-slow-disk',
    series: 'etcd_server_heartbeat_send_failures_total', windowMs: 15 * 60_000, levels: [{ severity: 'warning', atLeast: 1 }, { severity: 'critical', atLeast: 20 }],
    summary: '{value} heartbeat send failures in 15 min',
    explanation: 'The leader could not send heartbeats on time, "likely overloaded from slow disk" (etcd\'s own help text). Followers will call elections if it persists.',
    references: [ETCD_FAQ],
  },
  {
    id: 'event-storm', kind: 'event-storm', title: 'Event storm', runbook: 'event-storm', windowMs: 5 * 60_000,
    levels: [{ severity: 'warning', perMinute: 300 }, { severity: 'critical', perMinute: 3000 }],
    explanation: 'Every Event is an etcd write with a TTL lease. A crash-looping workload or a controller retrying in a tight loop can emit thousands a minute, growing etcd and slowing every other write.',
    references: [{ title: 'Kubernetes: Event rate limiting (EventRateLimit admission)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#eventratelimit' }],
  },
  {
    id: 'audit-disk', kind: 'audit-disk', title: 'The audit log\'s disk is filling up', runbook: 'control-plane-disk-full',
    levels: DEFAULT_AUDIT_DISK_LEVELS, growthWindowMs: 10 * 60_000, maxAgeMs: 5 * 60_000,
    explanation: 'The filesystem that holds the apiserver\'s audit log is nearly full, or will be soon at the rate the log grows. In the first postmortem a RequestResponse catch-all filled the disk etcd also wrote to: etcd exited when it could not commit ("no space left on device"), /readyz reported [-]etcd failed and every request timed out. etcd preallocates its WAL in 64 MB files, so it keeps going for a while after df shows 100%, then stops at once.',
    references: [
      { title: 'Kubernetes auditing: log backend, rotation flags', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend' },
      { title: 'etcd hardware: a dedicated disk for the data dir', url: 'https://etcd.io/docs/v3.5/op-guide/hardware/#disks' },
    ],
  },
  {
    id: 'audit-volume', kind: 'audit-volume', title: 'Audit log volume is high', runbook: 'etcd-slow-disk', windowMs: 10 * 60_000,
    levels: [{ severity: 'info', bytesPerMinute: 10 * 1024 ** 2 }, { severity: 'warning', bytesPerMinute: 50 * 1024 ** 2 }],
    explanation: 'A RequestResponse catch-all audit policy writes every response body: on a busy cluster gigabytes an hour. On the disk etcd uses it steals fsync bandwidth and then the space itself (the first postmortem).',
    references: [{ title: 'Kubernetes: auditing (policy levels)', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' }],
  },
];
