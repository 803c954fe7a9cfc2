/**
 * The audit log's disk (the first postmortem): a RequestResponse catch-all filled the filesystem that
 * held both the audit log and etcd's data dir; etcd exited when it could not commit, and the apiserver
 * answered 500s and timeouts. The audit follower (server/audit/service.ts) samples the log, its
 * rotated backups and the filesystem under them (statfs); this module words what it saw.
 */
import type { Severity } from '../detectors/types';
import { formatBytes } from '../format/bytes';

/** The snapshot kind the audit follower saves its samples under. */
export const AUDIT_DISK_SNAPSHOT = 'audit-disk';
/** The series it records: the log and its rotated backups, in bytes (the growth the detector projects). */
export const AUDIT_LOG_BYTES = 'kf_audit_log_bytes';

export interface AuditDiskInput {
  /** The followed log (KF_CONFIG clusters[].audit.path). */
  path: string;
  /**
   * The log and its rotated backups (lumberjack's names), largest first; at most 20. Bytes on disk
   * (allocated blocks): a truncated log can be sparse.
   */
  files: Array<{ name: string; bytes: number }>;
  /** All of them together. */
  logBytes: number;
  /** statfs of the log's directory: size, free (root may write) and available (df's Avail). */
  fs: { sizeBytes: number; freeBytes: number; availBytes: number };
  /** etcd's data dir on this host (KF_CONFIG clusters[].audit.etcdDataDir), when given. */
  etcdDataDir?: string;
  /** Whether etcd's data dir is on the same filesystem (same st_dev); null when it cannot be read. */
  sharesEtcdDisk?: boolean | null;
}

/**
 * lumberjack (the apiserver's log rotation) renames `audit.log` to `audit-2006-01-02T15-04-05.000.log`,
 * gzipped as `….log.gz` with --audit-log-compress. True for the log itself and for its backups.
 */
export function isAuditLogFile(logName: string, candidate: string): boolean {
  if (candidate === logName) return true;
  const dot = logName.lastIndexOf('.');
  const stem = dot > 0 ? logName.slice(0, dot) : logName;
  const ext = dot > 0 ? logName.slice(dot) : '';
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc(stem)}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}${esc(ext)}(\\.gz)?$`).test(candidate);
}

export interface AuditDiskUsage {
  usedBytes: number;
  /** As df prints Use%: used / (used + available), rounded up. */
  usedPercent: number;
  /** The audit logs' share of what is used on the filesystem. */
  logShare: number;
}

export function auditDiskUsage(d: AuditDiskInput): AuditDiskUsage {
  const usedBytes = Math.max(0, d.fs.sizeBytes - d.fs.freeBytes);
  const denom = usedBytes + Math.max(0, d.fs.availBytes);
  const usedPercent = denom > 0 ? Math.ceil((usedBytes / denom) * 1000) / 10 : 0;
  return { usedBytes, usedPercent: Math.min(100, usedPercent), logShare: usedBytes > 0 ? Math.min(1, d.logBytes / usedBytes) : 0 };
}

/**
 * Bytes per minute the audit logs grew over the points given (oldest first), from the last drop
 * (a truncation or a deleted backup) on; null without two points 30 s apart.
 */
export function auditGrowthPerMinute(points: ReadonlyArray<{ t: number; v: number }>): number | null {
  let start = 0;
  for (let i = 1; i < points.length; i++) if (points[i]!.v < points[i - 1]!.v) start = i;
  const run = points.slice(start);
  if (run.length < 2) return null;
  const a = run[0]!;
  const b = run[run.length - 1]!;
  if (b.t - a.t < 30_000) return null;
  return Math.max(0, ((b.v - a.v) / (b.t - a.t)) * 60_000);
}

export interface AuditDiskVerdict {
  severity: Severity | null;
  summary: string;
  /** Evidence lines: the consumer, the filesystem, the growth, etcd. */
  facts: string[];
  usage: AuditDiskUsage;
  /** Minutes until df's Avail reaches 0 at the recent growth, when it grows. */
  fullInMinutes: number | null;
}

export interface AuditDiskLevels {
  warnPercent: number;
  critPercent: number;
  /** Projected full within this many minutes: warning / critical. */
  warnFullInMinutes: number;
  critFullInMinutes: number;
}

export const DEFAULT_AUDIT_DISK_LEVELS: AuditDiskLevels = { warnPercent: 85, critPercent: 95, warnFullInMinutes: 6 * 60, critFullInMinutes: 60 };

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** How full the audit log's filesystem is, who fills it, and how soon it is full. */
export function auditDiskVerdict(d: AuditDiskInput, growthPerMinute: number | null, levels: AuditDiskLevels = DEFAULT_AUDIT_DISK_LEVELS): AuditDiskVerdict {
  const usage = auditDiskUsage(d);
  const growing = growthPerMinute !== null && growthPerMinute > 0;
  const fullInMinutes = growing ? Math.max(0, d.fs.availBytes) / growthPerMinute : null;
  const files = d.files.length;
  const facts = [
    `${d.path}: audit logs ${formatBytes(d.logBytes)}${files > 1 ? ` in ${files} files (the log and ${files - 1} rotated)` : ''} = ${pct(usage.logShare)} of the ${formatBytes(usage.usedBytes)} used on this filesystem`,
    `filesystem ${formatBytes(d.fs.sizeBytes)}: ${formatBytes(Math.max(0, d.fs.availBytes))} available (df ${usage.usedPercent.toFixed(0)}%)${d.fs.freeBytes > d.fs.availBytes ? `, ${formatBytes(d.fs.freeBytes)} free for root` : ''}`,
  ];
  if (growing) facts.push(`audit logs growing ${formatBytes(growthPerMinute)}/min${fullInMinutes !== null && d.fs.availBytes > 0 ? `: full in ${fullInMinutes < 1 ? 'under a minute' : `${Math.round(fullInMinutes)} min`}` : ''}`);
  if (d.sharesEtcdDisk === true) facts.push(`etcd's data dir ${d.etcdDataDir} is on the same filesystem: etcd exits when it cannot commit ("mvcc/backend: cannot commit tx … no space left on device")`);
  else if (d.sharesEtcdDisk === false) facts.push(`etcd's data dir ${d.etcdDataDir} is on another filesystem`);

  let severity: Severity | null = null;
  if (usage.usedPercent >= levels.critPercent || (fullInMinutes !== null && fullInMinutes <= levels.critFullInMinutes)) severity = 'critical';
  else if (usage.usedPercent >= levels.warnPercent || (fullInMinutes !== null && fullInMinutes <= levels.warnFullInMinutes)) severity = 'warning';
  const full = d.fs.availBytes <= 0 || usage.usedPercent >= 100;
  const where = d.path.replace(/\/[^/]*$/, '') || '/';
  const summary = full
    ? `The audit log's filesystem (${where}) is full; audit logs take ${pct(usage.logShare)} of it (${formatBytes(d.logBytes)})`
    : `The audit log's filesystem (${where}) is ${usage.usedPercent.toFixed(0)}% used${fullInMinutes !== null && severity ? `, full in ${fullInMinutes < 1 ? 'under a minute' : `${Math.round(fullInMinutes)} min`}` : ''}; audit logs take ${pct(usage.logShare)} (${formatBytes(d.logBytes)})`;
  return { severity, summary, facts, usage, fullInMinutes };
}
