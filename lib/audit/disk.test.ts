// Hand-made inputs (labelled as such): the figures of the first postmortem's disk as the audit
// follower samples it. The real thing runs in test/integration/disk-full.test.ts.
import { describe, expect, it } from 'vitest';
import { detect } from '../detectors/evaluate';
import type { DetectionContext } from '../detectors/types';
import type { SeriesData } from '../timeline/types';
import { evaluateCheck } from '../runbooks/checks';
import { AUDIT_LOG_BYTES, auditDiskUsage, auditDiskVerdict, auditGrowthPerMinute, isAuditLogFile, type AuditDiskInput } from './disk';

const MiB = 1024 ** 2;
const T = Date.parse('2026-11-23T03:00:00Z');

/** A 190 MiB ext4 (as mkfs.ext4 makes of 200 MB: 5 % reserved for root) holding the log and etcd's data dir. */
const disk = (o: { log: number; free: number; avail: number; backups?: number[] }): AuditDiskInput => ({
  path: '/var/log/kubernetes/audit.log',
  files: [{ name: 'audit.log', bytes: o.log }, ...(o.backups ?? []).map((b, i) => ({ name: `audit-2026-11-23T02-0${i}-00.000.log`, bytes: b }))],
  logBytes: o.log + (o.backups ?? []).reduce((s, b) => s + b, 0),
  fs: { sizeBytes: 190 * MiB, freeBytes: o.free, availBytes: o.avail },
  etcdDataDir: '/var/lib/etcd', sharesEtcdDisk: true,
});

describe('lumberjack backups', () => {
  it('are the log and its timestamped renames, gzipped or not; nothing else', () => {
    expect(isAuditLogFile('audit.log', 'audit.log')).toBe(true);
    expect(isAuditLogFile('audit.log', 'audit-2026-11-23T02-00-00.000.log')).toBe(true);
    expect(isAuditLogFile('audit.log', 'audit-2026-11-23T02-00-00.000.log.gz')).toBe(true);
    expect(isAuditLogFile('kube-apiserver-audit.log', 'kube-apiserver-audit-2026-11-23T02-00-00.000.log')).toBe(true);
    expect(isAuditLogFile('audit.log', 'audit.log.1')).toBe(false);
    expect(isAuditLogFile('audit.log', 'audit-policy.yaml')).toBe(false);
    expect(isAuditLogFile('audit.log', 'other-2026-11-23T02-00-00.000.log')).toBe(false);
  });
});

describe('usage and growth', () => {
  it('computes Use% as df does (used over used + available), and the logs\' share of what is used', () => {
    const u = auditDiskUsage(disk({ log: 120 * MiB, free: 10 * MiB, avail: 0 }));
    expect(u.usedBytes).toBe(180 * MiB);
    expect(u.usedPercent).toBe(100);
    expect(u.logShare).toBeCloseTo(120 / 180);
    expect(auditDiskUsage(disk({ log: 1 * MiB, free: 150 * MiB, avail: 140 * MiB })).usedPercent).toBe(22.3);
  });
  it('grows from the last drop (a truncation) on, and needs 30 s of samples', () => {
    const pts = [0, 15, 30, 45, 60].map((s, i) => ({ t: T + s * 1000, v: [100, 110, 1, 6, 11][i]! * MiB }));
    expect(auditGrowthPerMinute(pts)).toBeCloseTo(20 * MiB); // 1 → 11 MiB in the 30 s after the drop
    expect(auditGrowthPerMinute(pts.slice(0, 2))).toBeNull();
    expect(auditGrowthPerMinute([{ t: T, v: 5 }, { t: T + 60_000, v: 5 }])).toBe(0);
  });
});

describe('verdict', () => {
  it('a full disk is critical and names the audit log, its share, the backups and etcd', () => {
    const v = auditDiskVerdict(disk({ log: 100 * MiB, backups: [20 * MiB], free: 9 * MiB, avail: 0 }), 50 * MiB);
    expect(v.severity).toBe('critical');
    expect(v.summary).toBe('The audit log\'s filesystem (/var/log/kubernetes) is full; audit logs take 66% of it (120 MiB)');
    expect(v.facts[0]).toBe('/var/log/kubernetes/audit.log: audit logs 120 MiB in 2 files (the log and 1 rotated) = 66% of the 181 MiB used on this filesystem');
    expect(v.facts[1]).toBe('filesystem 190 MiB: 0 B available (df 100%), 9 MiB free for root');
    expect(v.facts.join('\n')).toContain('etcd\'s data dir /var/lib/etcd is on the same filesystem');
  });
  it('a disk with room but a log that fills it within the hour is critical too; within 6 h, a warning', () => {
    const d = disk({ log: 40 * MiB, free: 110 * MiB, avail: 100 * MiB });
    expect(auditDiskVerdict(d, 50 * MiB)).toMatchObject({ severity: 'critical', fullInMinutes: 2 });
    expect(auditDiskVerdict(d, 50 * MiB).summary).toContain('full in 2 min');
    expect(auditDiskVerdict(d, 1 * MiB).severity).toBe('warning');
    expect(auditDiskVerdict(d, 0.1 * MiB).severity).toBeNull();
    expect(auditDiskVerdict(d, null).severity).toBeNull();
  });
  it('85 % used warns, 95 % is critical, whatever the growth', () => {
    expect(auditDiskVerdict(disk({ log: 10 * MiB, free: 30 * MiB, avail: 25 * MiB }), 0).severity).toBe('warning');
    expect(auditDiskVerdict(disk({ log: 10 * MiB, free: 12 * MiB, avail: 6 * MiB }), 0).severity).toBe('critical');
  });
});

describe('the audit-disk detector and the runbook check', () => {
  const samples = (values: number[]): SeriesData[] => [{ labels: {}, points: values.map((v, i) => ({ t: T + i * 15_000, v })) }];
  const at = T + 4 * 15_000;
  const ctx = (d: AuditDiskInput, values: number[], t = at): DetectionContext => ({
    load: (n) => (n === AUDIT_LOG_BYTES ? samples(values) : []), at, from: at - 3600_000, auditDisk: { t, body: d },
  });
  const full = disk({ log: 120 * MiB, free: 9 * MiB, avail: 0 });
  const roomy = disk({ log: 1 * MiB, free: 150 * MiB, avail: 140 * MiB });

  it('fires on the full disk with its runbook, and is silent on a roomy one, a stale sample or none', () => {
    const f = detect(ctx(full, [60, 75, 90, 105, 120].map((m) => m * MiB))).find((x) => x.detector === 'audit-disk')!;
    expect(f.severity).toBe('critical');
    expect(f.runbook).toBe('control-plane-disk-full');
    expect(f.evidence.facts.join('\n')).toContain('audit logs growing 60 MiB/min');
    expect(detect(ctx(roomy, [1, 1, 1, 1, 1].map((m) => m * MiB))).find((x) => x.detector === 'audit-disk')).toBeUndefined();
    expect(detect(ctx(full, [], at - 10 * 60_000)).find((x) => x.detector === 'audit-disk')).toBeUndefined();
    expect(detect({ load: () => [], at, from: at - 3600_000 }).find((x) => x.detector === 'audit-disk')).toBeUndefined();
  });

  it('checks room and growth, naming the audit log; unknown without a sample', () => {
    const base = { at, findings: [], runStartedAt: T, captures: [] };
    const room = { type: 'audit-disk' as const, belowPercent: 85 };
    const calm = { type: 'audit-disk' as const, maxGrowthPerMinute: 10 * MiB };
    const c = (d: AuditDiskInput | null, values: number[]) => ({ ...base, load: ctx(roomy, values).load, auditDisk: d ? { t: at, body: d } : null });
    const failed = evaluateCheck(room, c(full, [120 * MiB]));
    expect(failed.status).toBe('fail');
    expect(failed.evidence[0]).toMatch(/^\/var\/log\/kubernetes\/audit\.log: audit logs 120 MiB = 66% of the/);
    expect(failed.evidence.at(-1)).toBe('want under 85% used');
    expect(evaluateCheck(room, c(roomy, [MiB])).status).toBe('pass');
    expect(evaluateCheck(calm, c(roomy, [60, 75, 90, 105, 120].map((m) => m * MiB))).status).toBe('fail');
    expect(evaluateCheck(calm, c(roomy, [1, 1, 1.1, 1.1, 1.2].map((m) => m * MiB))).status).toBe('pass');
    expect(evaluateCheck(calm, c(roomy, [MiB])).status).toBe('unknown');
    expect(evaluateCheck(room, c(null, [])).status).toBe('unknown');
  });
});
