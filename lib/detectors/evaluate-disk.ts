/** The audit log's disk: the first postmortem's root cause, seen from the host the log is written on. */
import { AUDIT_LOG_BYTES, auditDiskVerdict, auditGrowthPerMinute } from '../audit/disk';
import { findingOf } from './finding';
import type { AuditDiskDetector, DetectionContext, Finding } from './types';

export function auditDisk(d: AuditDiskDetector, ctx: DetectionContext): Finding | null {
  const snap = ctx.auditDisk;
  // A sample that old means the follower stopped (or this is a past view with none near it).
  if (!snap || snap.t > ctx.at || ctx.at - snap.t > d.maxAgeMs) return null;
  const from = Math.max(ctx.from, ctx.at - d.growthWindowMs);
  const pts = (ctx.load(AUDIT_LOG_BYTES)[0]?.points ?? []).filter((p) => p.t >= from && p.t <= ctx.at);
  const v = auditDiskVerdict(snap.body, auditGrowthPerMinute(pts), d.levels);
  if (!v.severity) return null;
  return findingOf(d, v.severity, v.summary, { panel: d.panel, from: pts[0]?.t ?? snap.t, to: ctx.at, facts: v.facts });
}
