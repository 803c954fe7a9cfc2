/** Check steps, evaluated against the recording: pass, fail (with the evidence) or unknown (no data). */
import { AUDIT_LOG_BYTES, auditDiskVerdict, auditGrowthPerMinute } from '../audit/disk';
import { formatValue } from '../detectors/evaluate';
import { formatBytes } from '../format/bytes';
import { RANK, clockUtc } from '../detectors/finding';
import { evaluateQuery } from '../timeline/evaluate';
import { dbUsage } from '../timeline/special';
import type { CheckContext, CheckResult, CheckSpec } from './types';

const fmt = (v: number, f: Extract<CheckSpec, { type: 'metric' }>['format']) => (f === 'percent' ? `${v.toFixed(1)}%` : formatValue(v, f));
const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;

function lastAtOrBefore(points: Array<{ t: number; v: number }>, t: number) {
  let out: { t: number; v: number } | undefined;
  for (const p of points) { if (p.t > t) break; out = p; }
  return out;
}

export function evaluateCheck(c: CheckSpec, ctx: CheckContext): CheckResult {
  const at = ctx.at;
  const r = (status: CheckResult['status'], evidence: string[]): CheckResult => ({ status, evidence, at });
  switch (c.type) {
    case 'no-finding': {
      const min = RANK[c.atLeast ?? 'warning'];
      const hits = ctx.findings.filter((f) => c.detectors.includes(f.detector) && RANK[f.severity] >= min);
      if (!hits.length) return r('pass', [`no ${c.detectors.join(' / ')} finding`]);
      return r('fail', hits.flatMap((f) => [`${f.severity}: ${f.summary}`, ...f.evidence.facts.slice(0, 3)]));
    }
    case 'metric': {
      const series = evaluateQuery(c.query, ctx.load, { from: at - (c.windowMs ?? 5 * 60_000), to: at, maxPoints: 10_000 });
      const need = c.points ?? 1;
      const rows = series.map((s) => ({ name: s.name, pts: s.points.filter((p): p is [number, number] => p[1] !== null).slice(-need) })).filter((s) => s.pts.length);
      if (!rows.length) {
        return r(c.whenMissing, [c.whenMissing === 'pass' ? `${c.label}: none recorded in the last ${Math.round((c.windowMs ?? 300_000) / 60_000)} min` : `${c.label}: no data recorded`]);
      }
      const ok = (v: number) => (c.below === undefined || v < c.below) && (c.above === undefined || v > c.above);
      // A limit that rounds to zero ("below 0.001/s") reads as "none".
      const limit = (v: number) => (fmt(v, c.format).replace(/[^1-9]/g, '') === '' ? 'none' : fmt(v, c.format));
      const want = [c.below !== undefined ? (limit(c.below) === 'none' ? 'none' : `< ${limit(c.below)}`) : '', c.above !== undefined ? `> ${limit(c.above)}` : ''].filter(Boolean).join(' and ');
      const bad = rows.filter((s) => s.pts.some((p) => !ok(p[1])));
      const show = (s: (typeof rows)[number]) => { const p = s.pts[s.pts.length - 1]!; return `${c.label}${rows.length > 1 && s.name ? ` (${s.name})` : ''}: ${fmt(p[1], c.format)} at ${clockUtc(p[0])} (want ${want})`; };
      return bad.length ? r('fail', bad.slice(0, 4).map(show)) : r('pass', rows.slice(0, 4).map(show));
    }
    case 'db-usage': {
      const u = dbUsage(ctx.load, at);
      if (u.percent === null || u.sizeBytes === null || u.quotaBytes === null) return r('unknown', ['etcd DB size or quota not recorded (etcd metrics not configured?)']);
      const line = `DB ${mib(u.sizeBytes)} of ${mib(u.quotaBytes)} (${u.percent.toFixed(1)}%; want < ${c.belowPercent}%)${u.inUseBytes !== null ? `, ${mib(u.inUseBytes)} in use` : ''}`;
      return r(u.percent < c.belowPercent ? 'pass' : 'fail', [line]);
    }
    case 'db-shrunk': {
      const pts = ctx.load('etcd_mvcc_db_total_size_in_bytes')[0]?.points ?? [];
      const before = lastAtOrBefore(pts, ctx.runStartedAt);
      const now = lastAtOrBefore(pts, at);
      if (!before || !now) return r('unknown', ['etcd DB size not recorded around the start of this run']);
      const line = `DB ${mib(before.v)} at ${clockUtc(before.t)} → ${mib(now.v)} at ${clockUtc(now.t)}`;
      return r(now.v <= before.v * (1 - c.byFraction) ? 'pass' : 'fail', [line + (now.v > before.v * (1 - c.byFraction) ? ` (want a drop of ${Math.round(c.byFraction * 100)}%: defragment to give the space back)` : '')]);
    }
    case 'compacted': {
      const pts = ctx.load('etcd_debugging_mvcc_compact_revision')[0]?.points ?? [];
      const before = lastAtOrBefore(pts, ctx.runStartedAt);
      const now = lastAtOrBefore(pts, at);
      if (!now) return r('unknown', ['etcd compact revision not recorded']);
      const moved = before ? now.v > before.v : now.v > 0;
      return r(moved ? 'pass' : 'fail', [`compact revision ${now.v < 0 ? 'none yet' : Math.round(now.v)} at ${clockUtc(now.t)}${before ? ` (was ${before.v < 0 ? 'none' : Math.round(before.v)} when the run started)` : ''}`]);
    }
    case 'readyz': {
      const h = ctx.readyz;
      if (!h) return r('unknown', ['/readyz not recorded']);
      const failing = h.checks.filter((x) => !x.ok);
      return r(h.ok ? 'pass' : 'fail', [h.ok ? `/readyz ok at ${clockUtc(h.t)}` : `/readyz at ${clockUtc(h.t)}: ${failing.map((x) => `[-]${x.name} failed`).join(', ') || 'not ready'}`]);
    }
    case 'audit-disk': {
      const snap = ctx.auditDisk;
      if (!snap) return r('unknown', ['the audit log\'s disk is not sampled: give the cluster an audit path in KF_CONFIG (clusters[].audit.path), on the host that writes the log']);
      if (at - snap.t > 5 * 60_000 || snap.t > at) return r('unknown', [`the audit log's disk was last sampled at ${clockUtc(snap.t)}`]);
      const windowMs = c.windowMs ?? 3 * 60_000;
      const pts = (ctx.load(AUDIT_LOG_BYTES)[0]?.points ?? []).filter((p) => p.t >= at - windowMs && p.t <= at);
      const growth = auditGrowthPerMinute(pts);
      const v = auditDiskVerdict(snap.body, growth);
      const roomy = c.belowPercent === undefined || v.usage.usedPercent < c.belowPercent;
      const calm = c.maxGrowthPerMinute === undefined || (growth !== null && growth <= c.maxGrowthPerMinute);
      const want = [
        c.belowPercent !== undefined ? `want under ${c.belowPercent}% used` : '',
        c.maxGrowthPerMinute !== undefined ? `want audit logs growing under ${formatBytes(c.maxGrowthPerMinute)}/min${growth === null ? `; not enough samples in the last ${Math.round(windowMs / 60_000)} min yet` : growth === 0 ? ' (not growing)' : ''}` : '',
      ].filter(Boolean).join('; ');
      if (c.maxGrowthPerMinute !== undefined && growth === null && roomy) return r('unknown', [...v.facts, want]);
      return r(roomy && calm ? 'pass' : 'fail', [...v.facts, want]);
    }
    case 'capture-taken': {
      const taken = ctx.captures.filter((x) => x.kind === c.capture && x.t >= ctx.runStartedAt);
      const last = taken[taken.length - 1];
      return last ? r('pass', [`${c.capture} captured at ${clockUtc(last.t)}${last.id !== undefined ? ` (#${last.id})` : ''}`]) : r('fail', [`no ${c.capture} capture since this run started`]);
    }
  }
}
