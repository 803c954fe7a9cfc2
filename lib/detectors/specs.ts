/**
 * The detectors, as data. Thresholds and their sources: control-plane-facts §1.7 (etcd FAQ: WAL
 * fsync p99 < 10 ms, backend commit p99 < 25 ms; upstream etcd alert rules: quota > 95%), the first
 * postmortem (fsync past 100 ms broke leader elections), facts §9 (NOSPACE on a real 1.20.2).
 */
import type { DetectorSpec } from './types';

const ETCD_FAQ = { title: 'etcd FAQ: what does "failed to send out heartbeat on time" mean', url: 'https://etcd.io/docs/v3.5/faq/' };
const ETCD_MAINT = { title: 'etcd maintenance: space quota, compaction, defragmentation', url: 'https://etcd.io/docs/v3.5/op-guide/maintenance/' };
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
];
