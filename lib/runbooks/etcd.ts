/**
 * etcd runbooks, from the first two postmortems and control-plane-facts §1.7 and §9: slow disk
 * (the audit log on etcd's disk), and out of space (a runaway resource; delete in batches with
 * `limit`, compact, defragment member by member, disarm).
 */
import type { Query } from '../timeline/types';
import type { Runbook } from './types';

export const ETCDCTL = 'ETCDCTL_API=3 etcdctl --endpoints={{etcdEndpoint}} {{etcdCerts}}';
const K = 'kubectl --context {{context}}';
const WRITE_500: Query = { kind: 'rate', series: 'apiserver_request_total', match: { code: '500' }, exclude: { verb: ['GET', 'LIST', 'WATCH'] }, legend: 'writes failing' };

export const ETCD_OUT_OF_SPACE: Runbook = {
  id: 'etcd-out-of-space',
  title: 'etcd out of space (NOSPACE)',
  summary: 'etcd reached --quota-backend-bytes and raised the NOSPACE alarm: every write fails with "database space exceeded" and the cluster is read-only. Stop what grows, delete it in batches, give the space back (compact, defragment) and disarm the alarm, in that order.',
  detectors: ['etcd-nospace', 'etcd-db-quota', 'resource-growth'],
  inputs: [
    { name: 'namespace', label: 'Namespace of the objects to delete', placeholder: 'from the count per namespace' },
    { name: 'batchSize', label: 'Objects per delete call', placeholder: '500', default: '500' },
  ],
  steps: [
    { id: 'at-quota', kind: 'check', title: 'etcd is below its quota', check: { type: 'no-finding', detectors: ['etcd-nospace', 'etcd-db-quota'] },
      detail: 'Fails while the database is at (or near) its quota. It turns green once the space is given back.' },
    { id: 'alarm', kind: 'command', where: 'workstation', title: 'Confirm the alarm and the DB size',
      command: `${ETCDCTL} alarm list\n${ETCDCTL} endpoint status --write-out=table`,
      detail: '"alarm:NOSPACE" confirms it. DB SIZE is the file size, including free pages that only defragmentation returns.' },
    { id: 'census', kind: 'capture', capture: 'census', title: 'Count objects per resource now',
      detail: 'A one-item LIST per resource (remainingItemCount): custom resources included, which kube-apiserver ≤ 1.20 leaves out of its object counts.' },
    { id: 'top-consumer', kind: 'command', where: 'workstation', title: 'Find where the top consumer lives ({{resourceName}})',
      command: `${K} get {{resourceName}} --all-namespaces --chunk-size=500 --no-headers -o custom-columns=NS:.metadata.namespace | sort | uniq -c | sort -rn | head`,
      detail: 'The recording names the fastest-growing resource. Type the namespace with the most objects in the field above: the delete command needs it.' },
    { id: 'stop-producer', kind: 'note', tone: 'warning', title: 'Stop what creates them first',
      detail: 'Scale the controller that writes these objects to zero (for Kyverno reports: the reports controller), or it refills the space as fast as you free it.\n\nReads still work: you can list and describe everything while writes fail.' },
    { id: 'delete', kind: 'command', where: 'workstation', mutating: true, title: 'Delete in batches with limit ({{batchSize}} a call)',
      command: `while [ -n "$(${K} get --raw '{{resourcePath}}?limit=1' | jq -r '.items[0].metadata.name // empty')" ]; do\n  ${K} delete --raw '{{resourcePath}}?limit={{batchSize}}' > /dev/null || break\ndone`,
      detail: 'etcd accepts deletes while the alarm is raised. Without limit one DELETE lists and deletes the whole collection in one request, which times out on a large collection (seven hours of retries in the second postmortem). Objects with finalizers need an update and stay until the alarm is disarmed.' },
    { id: 'compact', kind: 'command', where: 'workstation', mutating: true, title: 'Compact at the current revision ({{revision}})',
      command: `${ETCDCTL} compact {{revision}}`,
      detail: 'Deleting only adds revisions. Compaction drops the history before the revision, so the deleted objects\' pages become free. The revision shown is the last one recorded; any revision newer than the previous compaction works.' },
    { id: 'defrag', kind: 'command', where: 'workstation', mutating: true, title: 'Defragment, member by member',
      command: `${ETCDCTL} defrag --command-timeout=120s`,
      detail: 'Defragmentation rewrites the database file and returns the free pages to the filesystem. It blocks the member while it runs: on a multi-member cluster run it against one endpoint at a time, followers first, the leader last.' },
    { id: 'db-down', kind: 'check', title: 'The DB is back under 80 % of its quota', check: { type: 'db-usage', belowPercent: 80 } },
    { id: 'disarm', kind: 'command', where: 'workstation', mutating: true, title: 'Disarm the alarm',
      command: `${ETCDCTL} alarm disarm\n${ETCDCTL} alarm list`,
      detail: 'etcd keeps refusing writes until the alarm is disarmed, whatever the size. The second command should print nothing.' },
    { id: 'writes-ok', kind: 'check', title: 'Writes succeed again', check: { type: 'metric', label: 'writes failing with 500', query: WRITE_500, below: 0.001, format: 'ops', points: 2, whenMissing: 'pass', windowMs: 2 * 60_000 } },
    { id: 'compacted', kind: 'check', title: 'A compaction ran', check: { type: 'compacted' } },
    { id: 'shrunk', kind: 'check', title: 'The DB file shrank', check: { type: 'db-shrunk', byFraction: 0.3 } },
    { id: 'after', kind: 'note', title: 'Before closing the incident',
      detail: 'Scale the producer back up only with a limit on what it keeps (Kyverno: report cleanup). Keep --auto-compaction-retention set (the apiserver compacts every 5 min, but defragmentation is never automatic), and alert at 80 % of the quota, not at 100 %.' },
  ],
  references: [
    { title: 'etcd maintenance: space quota, compaction, defragmentation', url: 'https://etcd.io/docs/v3.5/op-guide/maintenance/' },
    { title: 'kubernetes#94029: database space exceeded', url: 'https://github.com/kubernetes/kubernetes/issues/94029' },
  ],
};

export const ETCD_SLOW_DISK: Runbook = {
  id: 'etcd-slow-disk',
  title: 'etcd slow disk (WAL fsync, commits, leader elections)',
  summary: 'etcd acknowledges a write only after its WAL is fsynced. When fsync slows past ~100 ms, heartbeats go out late, leaders change, and the apiserver times out and answers 500. Find what is using or throttling the disk: most often the apiserver\'s own audit log on the same disk.',
  detectors: ['etcd-fsync-slow', 'etcd-commit-slow', 'etcd-no-leader', 'etcd-leader-changes', 'etcd-heartbeat-failures', 'apiserver-etcd-latency', 'apiserver-5xx', 'apiserver-latency-slo', 'audit-volume', 'etcd-members'],
  inputs: [
    { name: 'etcdDataDir', label: 'etcd data dir', placeholder: '/var/lib/etcd', default: '/var/lib/etcd' },
    { name: 'auditLogPath', label: 'apiserver audit log', placeholder: '/var/log/kubernetes/audit.log', default: '/var/log/kubernetes/audit.log' },
  ],
  steps: [
    { id: 'fsync', kind: 'check', title: 'WAL fsync p99 is under 10 ms', check: { type: 'metric', label: 'WAL fsync p99', query: { kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.99, legend: 'p99' }, below: 0.01, format: 'seconds', points: 2, whenMissing: 'unknown' },
      detail: 'The etcd FAQ asks for under 10 ms; past 100 ms leader elections fail.' },
    { id: 'commit', kind: 'check', title: 'Backend commit p99 is under 25 ms', check: { type: 'metric', label: 'commit p99', query: { kind: 'quantile', series: 'etcd_disk_backend_commit_duration_seconds_bucket', q: 0.99, legend: 'p99' }, below: 0.025, format: 'seconds', points: 2, whenMissing: 'unknown' } },
    { id: 'leader', kind: 'check', title: 'etcd has a stable leader', check: { type: 'no-finding', detectors: ['etcd-no-leader', 'etcd-leader-changes', 'etcd-heartbeat-failures'] } },
    { id: 'disk', kind: 'command', where: 'etcd host', title: 'Look at the disk etcd writes to',
      command: 'df -h {{etcdDataDir}}\niostat -x 1 5\nls -lh {{auditLogPath}}*\nsudo du -xsh {{etcdDataDir}} /var/log 2>/dev/null',
      detail: 'A full or nearly full filesystem, %util near 100 or w_await in tens of ms on etcd\'s device, and a large audit log on the same filesystem are the usual answers.' },
    { id: 'cause', kind: 'decide', title: 'What is slowing the disk?', options: [
      { label: 'The audit log (same disk, growing fast)', goto: 'audit-truncate' },
      { label: 'Something else: another process, a throttled or burst-limited volume', goto: 'throttle' },
    ] },
    { id: 'audit-truncate', kind: 'command', where: 'control-plane host', mutating: true, title: 'Free the audit log',
      command: 'cp --sparse=always {{auditLogPath}} /other-disk/audit-$(date +%s).log   # keep it for the postmortem, on another disk\ntruncate -s 0 {{auditLogPath}}',
      detail: 'Truncate rather than delete: the apiserver keeps the file open, so deleting it frees nothing until a restart.' },
    { id: 'audit-policy', kind: 'note', tone: 'warning', title: 'Fix the audit policy and its rotation',
      detail: 'A RequestResponse catch-all writes every response body, LIST responses included. Log Metadata for most requests, None for events, leases and endpoints reads, Request only for writes to the resources you must trace.\n\nAdd --audit-log-maxsize=100 --audit-log-maxbackup=5 (MB, files), and put the log on a different disk from etcd.' },
    { id: 'audit-restart', kind: 'command', where: 'control-plane host', mutating: true, title: 'Restart the apiserver with the new policy',
      command: 'sudo systemctl restart kube-apiserver        # systemd\n# static pod: edit /etc/kubernetes/manifests/kube-apiserver.yaml; the kubelet restarts it',
      detail: 'On several apiservers, one at a time, waiting for /readyz between them.' },
    { id: 'throttle', kind: 'command', where: 'etcd host', title: 'Look for throttling and neighbours',
      command: 'cat /proc/$(pgrep -x etcd)/cgroup\nfind /sys/fs/cgroup/blkio -name blkio.throttle.write_iops_device -exec grep -H . {} \\; 2>/dev/null\nsudo iotop -obn 3 | head -30',
      detail: 'A blkio throttle on etcd\'s group, a cloud volume out of burst credits, or a backup job on the same device. etcd wants a dedicated SSD.' },
    { id: 'health', kind: 'command', where: 'workstation', title: 'etcd health and members',
      command: `${ETCDCTL} endpoint health\n${ETCDCTL} endpoint status --write-out=table\n${ETCDCTL} member list --write-out=table` },
    { id: 'fsync-ok', kind: 'check', title: 'WAL fsync p99 back under 10 ms', check: { type: 'metric', label: 'WAL fsync p99', query: { kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.99, legend: 'p99' }, below: 0.01, format: 'seconds', points: 3, whenMissing: 'unknown' } },
    { id: 'ready', kind: 'check', title: 'The apiserver is ready', check: { type: 'readyz' } },
    { id: 'no-5xx', kind: 'check', title: 'No 5xx from the apiserver', check: { type: 'no-finding', detectors: ['apiserver-5xx', 'apiserver-etcd-latency'] } },
  ],
  references: [
    { title: 'etcd FAQ: "failed to send out heartbeat on time"', url: 'https://etcd.io/docs/v3.5/faq/' },
    { title: 'etcd hardware recommendations: disks', url: 'https://etcd.io/docs/v3.5/op-guide/hardware/#disks' },
    { title: 'Kubernetes auditing: policy levels and log rotation', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' },
  ],
};
