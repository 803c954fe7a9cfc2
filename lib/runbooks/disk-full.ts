/**
 * The first postmortem, end to end: a RequestResponse catch-all audit policy filled the filesystem
 * that held the audit log and etcd's data dir. etcd exited when it could not commit (facts §9:
 * "mvcc/backend: cannot commit tx … no space left on device"), /readyz said [-]etcd failed, and
 * every request timed out. Free what the log took, keep a copy, stop it refilling, then restart etcd
 * and the apiserver, in that order.
 */
import { SUGGESTED_POLICY } from '../audit/suggested-policy';
import { ETCDCTL } from './etcd';
import type { Runbook } from './types';

/** Under this share of the filesystem the audit log's disk has room again (the detector warns at 85 %). */
const ROOM_PERCENT = 85;
/** The audit-volume detector's first level: a Metadata policy on a busy cluster stays far below it. */
const CALM_BYTES_PER_MINUTE = 10 * 1024 ** 2;

export const CONTROL_PLANE_DISK_FULL: Runbook = {
  id: 'control-plane-disk-full',
  title: 'Control-plane disk full (the audit log)',
  summary: 'The filesystem that holds the apiserver\'s audit log is full or filling fast. When etcd\'s data dir is on it too, etcd exits as soon as it cannot commit, /readyz reports [-]etcd failed and every request times out. Keep a copy of the log elsewhere, free the space it took, stop it refilling (a Metadata-level policy, rotation, another disk), then start etcd and restart the apiserver.',
  detectors: ['audit-disk'],
  inputs: [
    { name: 'auditLogPath', label: 'apiserver audit log', placeholder: '/var/log/kubernetes/audit.log', default: '/var/log/kubernetes/audit.log' },
    { name: 'auditPolicyPath', label: 'audit policy file (--audit-policy-file)', placeholder: '/etc/kubernetes/audit-policy.yaml', default: '/etc/kubernetes/audit-policy.yaml' },
    { name: 'etcdDataDir', label: 'etcd data dir', placeholder: '/var/lib/etcd', default: '/var/lib/etcd' },
    { name: 'keepDir', label: 'Where to keep a copy of the log (another disk)', placeholder: '/mnt/evidence', default: '/root/audit-evidence' },
  ],
  steps: [
    { id: 'room', kind: 'check', title: 'The audit log\'s disk has room', check: { type: 'audit-disk', belowPercent: ROOM_PERCENT },
      detail: 'Sampled on this host every few seconds (statfs of the log\'s directory, the log and its rotated backups). The evidence names what fills the disk and whether etcd\'s data dir shares it.' },
    { id: 'etcd-ready', kind: 'check', title: 'The apiserver reaches etcd (/readyz)', check: { type: 'readyz' },
      detail: '"[-]etcd failed" once etcd has exited. etcd preallocates its WAL in 64 MB files, so it keeps running for a while after df shows 100 %, then stops at the first commit that needs a new page.' },
    { id: 'look', kind: 'command', where: 'control-plane host', title: 'Look at the disk and at etcd',
      command: 'df -h "$(dirname {{auditLogPath}})" {{etcdDataDir}}\ndu -h --apparent-size {{auditLogPath}}*; du -h {{auditLogPath}}*\nsudo du -xsh "$(dirname {{auditLogPath}})" {{etcdDataDir}} 2>/dev/null\nsudo journalctl -u etcd --since "1 hour ago" 2>/dev/null | grep -m5 "no space left"',
      detail: 'Same filesystem for both when df prints the same line twice. etcd\'s last words are "cannot commit tx … no space left on device" (systemd) or in the static pod\'s previous log (crictl logs).' },
    { id: 'keep-first', kind: 'note', tone: 'warning', title: 'Keep the log before you free it',
      detail: 'The audit log is the record of what happened: the postmortem needs it. Copy it (compressed) to another disk first. Truncate rather than delete: the apiserver keeps the file open, so a deleted log frees nothing until it restarts.' },
    { id: 'free', kind: 'command', where: 'control-plane host', mutating: true, title: 'Keep a compressed copy elsewhere, then free the log and its backups',
      command: 'mkdir -p {{keepDir}}\nfor f in {{auditLogPath}}*; do gzip -c "$f" > {{keepDir}}/"$(basename "$f")"-$(date +%Y%m%dT%H%M%S).gz; done\ntruncate -s 0 {{auditLogPath}}\nfind "$(dirname {{auditLogPath}})" -maxdepth 1 -name "$(basename {{auditLogPath}} .log)-*" -delete\ndf -h "$(dirname {{auditLogPath}})"',
      detail: 'The backups matched are lumberjack\'s (audit-2006-01-02T15-04-05.000.log). The last line should show room again.\n\nAfter a rotation the apiserver\'s log writer (lumberjack) does not open the file for appending: it keeps writing at its old offset, so ls -l soon shows the old size again, as a sparse file. The space is freed all the same: du and df show what is really used, and the restart below reopens the log properly.' },
    { id: 'policy', kind: 'command', where: 'control-plane host', mutating: true, title: 'Switch the audit policy to the safer one',
      command: `cp {{auditPolicyPath}} {{auditPolicyPath}}.before-incident\ncat > {{auditPolicyPath}} <<'POLICY'\n${SUGGESTED_POLICY.trim()}\nPOLICY`,
      detail: 'Metadata for most requests, None for the high-volume reads the upstream example policy drops, no RequestReceived stage, and no bodies of Secrets, ConfigMaps or TokenReviews. The Audit page\'s policy review estimates what it saves on your own log.' },
    { id: 'rotation', kind: 'note', tone: 'warning', title: 'Bound the log, and move it off etcd\'s disk',
      detail: 'Add --audit-log-maxsize=100 --audit-log-maxbackup=5 (MB per file, files kept) to kube-apiserver, and put --audit-log-path on a different filesystem from etcd\'s data dir. etcd wants a dedicated disk.' },
    { id: 'room-now', kind: 'check', title: 'The disk has room again', check: { type: 'audit-disk', belowPercent: ROOM_PERCENT } },
    { id: 'start-etcd', kind: 'command', where: 'etcd host', mutating: true, title: 'Start etcd again',
      command: `sudo systemctl restart etcd        # static pod (kubeadm): the kubelet restarts it once the disk has room\n${ETCDCTL} endpoint health`,
      detail: 'etcd replays its WAL on start: nothing acknowledged is lost. On several members, check each one\'s disk and start them one at a time.' },
    { id: 'restart-apiserver', kind: 'command', where: 'control-plane host', mutating: true, title: 'Restart the apiserver with the new policy and rotation',
      command: 'sudo systemctl restart kube-apiserver        # systemd\n# static pod: edit /etc/kubernetes/manifests/kube-apiserver.yaml (policy, rotation flags); the kubelet restarts it',
      detail: 'The apiserver reads its audit policy only at start. On several apiservers, one at a time, waiting for /readyz between them.' },
    { id: 'ready', kind: 'check', title: 'The apiserver is ready', check: { type: 'readyz' } },
    { id: 'calm', kind: 'check', title: 'The audit log grows slowly now', check: { type: 'audit-disk', maxGrowthPerMinute: CALM_BYTES_PER_MINUTE },
      detail: 'Measured on the file itself over the last 3 minutes: under 10 MiB a minute, where the catch-all wrote tens.' },
    { id: 'no-5xx', kind: 'check', title: 'No 5xx from the apiserver', check: { type: 'no-finding', detectors: ['apiserver-5xx', 'apiserver-etcd-latency', 'apiserver-readiness'] } },
  ],
  references: [
    { title: 'Kubernetes auditing: policy levels, log backend and rotation flags', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' },
    { title: 'etcd hardware recommendations: disks', url: 'https://etcd.io/docs/v3.5/op-guide/hardware/#disks' },
    { title: 'GCE\'s upstream audit policy (configure-helper.sh)', url: 'https://github.com/kubernetes/kubernetes/blob/master/cluster/gce/gci/configure-helper.sh' },
  ],
};
