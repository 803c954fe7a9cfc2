/** One evaluator per detector kind, over recorded series. */
import { evaluateQuery } from '../timeline/evaluate';
import type { Point } from '../analysis/rate';
import { dbUsage, objectSeries, resourceGrowth } from '../timeline/special';
import { auditDisk } from './evaluate-disk';
import { evaluateSignal } from './evaluate-signals';
import { evaluateSnapshot } from './evaluate-snapshots';
import { findingOf, isoSeconds, RANK } from './finding';
import { DETECTORS } from './specs';
import type { DbQuotaDetector, DetectionContext, DetectorSpec, Finding, GrowthDetector, NoSpaceDetector, Severity, ThresholdDetector } from './types';


export function formatValue(v: number, f: ThresholdDetector['format']): string {
  if (f === 'seconds') return v >= 1 ? `${v.toFixed(2)} s` : `${(v * 1000).toFixed(v < 0.01 ? 2 : 0)} ms`;
  if (f === 'bytes') return `${(v / 1024 ** 2).toFixed(1)} MiB`;
  if (f === 'ops') return `${v.toFixed(2)}/s`;
  return v.toFixed(0);
}

const base = findingOf;

function threshold(d: ThresholdDetector, ctx: DetectionContext): Finding | null {
  const series = evaluateQuery(d.query, ctx.load, { from: ctx.from, to: ctx.at, maxPoints: 100_000 });
  let best: Finding | null = null;
  for (const s of series) {
    const pts = s.points.filter((p): p is [number, number] => p[1] !== null);
    // "Below" detectors (has_leader == 0) are evaluated on negated values, so one code path serves both.
    const sign = d.direction === 'below' ? -1 : 1;
    const v = (p: [number, number]) => sign * p[1];
    const levels = d.levels.map((l) => ({ ...l, at: sign * l.above }));
    // The run of consecutive points past the mildest level that ends at the newest point.
    let i = pts.length - 1;
    const mildest = Math.min(...levels.map((l) => l.at));
    while (i >= 0 && v(pts[i]!) > mildest) i--;
    const run = pts.slice(i + 1);
    const need = ctx.sustainedPoints ?? d.sustainedPoints;
    if (run.length < need) continue;
    const byLevel = [...levels].sort((a, b) => b.at - a.at);
    const levelOf = (x: number) => byLevel.find((l) => x > l.at);
    const level = levelOf(Math.min(...run.slice(-need).map(v)));
    if (!level) continue;
    // The worst level held for `need` points anywhere in the run: a condition that was critical and
    // is easing (still past the mildest level) stays critical until it ends, and says it peaked.
    let worst = level;
    let worstAt: [number, number] | null = null;
    for (let k = need; k <= run.length; k++) {
      const l = levelOf(Math.min(...run.slice(k - need, k).map(v)));
      if (l && l.at > worst.at) { worst = l; worstAt = [run[k - need]![0], run[k - 1]![0]]; }
    }
    const peak = sign * Math.max(...run.map(v));
    const last = run[run.length - 1]![1];
    const eased = worst !== level;
    const f = base(d, worst.severity, `${d.summary.replace('{value}', formatValue(last, d.format))}${eased ? ` (${sign > 0 ? 'peak' : 'lowest'} ${formatValue(peak, d.format)})` : ''}${s.name && series.length > 1 ? ` (${s.name})` : ''}`, {
      panel: d.panel, series: [s.name], from: run[0]![0], to: run[run.length - 1]![0],
      facts: [
        `now ${formatValue(last, d.format)}, ${sign > 0 ? 'peak' : 'lowest'} ${formatValue(peak, d.format)} over ${run.length} consecutive scrape${run.length === 1 ? '' : 's'}`,
        `threshold: ${sign > 0 ? 'above' : 'below'} ${formatValue(level.above, d.format)} (${level.severity})`,
        ...(eased && worstAt ? [`${sign > 0 ? 'above' : 'below'} ${formatValue(worst.above, d.format)} (${worst.severity}) from ${isoSeconds(worstAt[0])}; easing since, not over`] : []),
      ],
    });
    if (!best || RANK[f.severity] > RANK[best.severity]) best = f;
  }
  return best;
}

const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;

/**
 * The onset of the condition that holds now: the time of the earliest point of the run of points
 * (up to `at`) that all satisfy `holds`, ending at the newest point. Null when the newest does not.
 */
export function onsetOfRun(points: readonly Point[], at: number, holds: (p: Point, i: number) => boolean): number | null {
  let i = points.length - 1;
  while (i >= 0 && points[i]!.t > at) i--;
  if (i < 0 || !holds(points[i]!, i)) return null;
  while (i > 0 && holds(points[i - 1]!, i - 1)) i--;
  return points[i]!.t;
}

/** DB size points (etcd's own, else the apiserver's) with the quota in force at each. */
function dbSizePoints(ctx: DetectionContext): { size: Point[]; quotaAt: (t: number) => number | null } {
  const etcd = ctx.load('etcd_mvcc_db_total_size_in_bytes');
  const size = (etcd.length ? etcd : ctx.load('kf_apiserver_etcd_db_bytes'))[0]?.points.filter((p) => p.t >= ctx.from && p.t <= ctx.at) ?? [];
  const quota = ctx.load('etcd_server_quota_backend_bytes')[0]?.points ?? [];
  return {
    size,
    quotaAt: (t) => { let q: number | null = null; for (const p of quota) { if (p.t > t) break; q = p.v; } return q ?? quota[0]?.v ?? null; },
  };
}

/** When the DB size first reached `fraction` of the quota, in the run that lasts until now. */
function dbOnset(ctx: DetectionContext, fraction: number, points = dbSizePoints(ctx)): number | null {
  const { size, quotaAt } = points;
  return onsetOfRun(size, ctx.at, (p) => { const q = quotaAt(p.t); return q !== null && p.v >= fraction * q; });
}

/** How far ahead a time-to-full projection reaches, in multiples of the data's span. */
const PROJECTION_REACH = 12;

function dbQuota(d: DbQuotaDetector, ctx: DetectionContext): Finding | null {
  const u = dbUsage(ctx.load, ctx.at);
  if (u.sizeBytes === null || u.quotaBytes === null || u.percent === null) return null;
  // A projection is trusted only as far ahead as 12 times the span of data it is drawn from: five
  // minutes of a burst (an event storm, a one-off import) say nothing about the next two days.
  const windowStart = Math.max(ctx.from, ctx.at - 30 * 60_000);
  const points = dbSizePoints(ctx);
  const recent = points.size.filter((p) => p.t >= windowStart);
  const spanMs = recent.length > 1 ? recent[recent.length - 1]!.t - recent[0]!.t : 0;
  const projected = u.fullAt === null ? null : (u.fullAt - ctx.at) / 3_600_000;
  const hoursToFull = projected !== null && projected * 3_600_000 <= PROJECTION_REACH * spanMs ? projected : null;
  let severity: Severity | null = null;
  if (u.percent >= d.critPercent || (hoursToFull !== null && hoursToFull <= d.fullWithinHoursCrit)) severity = 'critical';
  else if (u.percent >= d.warnPercent || (hoursToFull !== null && hoursToFull <= d.fullWithinHoursWarn)) severity = 'warning';
  if (!severity) return null;
  const facts = [`DB ${mib(u.sizeBytes)} of ${mib(u.quotaBytes)} quota (${u.percent.toFixed(1)}%)`];
  if (u.inUseBytes !== null) facts.push(`in use after compaction: ${mib(u.inUseBytes)}`);
  if (u.growthPerHour !== null) facts.push(`growing ${mib(u.growthPerHour)}/h over the last 30 min`);
  if (hoursToFull !== null) facts.push(`full in ${hoursToFull < 1 ? `${Math.max(1, Math.round(hoursToFull * 60))} min` : `${hoursToFull.toFixed(1)} h`} at this rate (projected from ${Math.max(1, Math.round(spanMs / 60_000))} min of data)`);
  const summary = hoursToFull !== null && u.percent < d.warnPercent
    ? `etcd DB projected full in ${hoursToFull.toFixed(1)} h (${u.percent.toFixed(0)}% now)`
    : `etcd DB at ${u.percent.toFixed(1)}% of its quota`;
  // Evidence starts where the DB crossed the level now reached, or where the projection's window starts.
  const level = u.percent >= d.critPercent ? d.critPercent : u.percent >= d.warnPercent ? d.warnPercent : null;
  const onset = level !== null ? dbOnset(ctx, level / 100, points) : null;
  if (onset !== null) facts.push(`above ${level}% since ${new Date(onset).toISOString().replace('.000Z', 'Z')}`);
  // Without an onset, the projection's window: from its first recorded point, not before the recording.
  const firstRecorded = recent[0]?.t ?? windowStart;
  return base(d, severity, summary, { panel: d.panel, series: ['DB size', 'quota'], from: onset ?? firstRecorded, to: ctx.at, facts });
}

/** The NOSPACE message in the audit log's error responses over the last `windowMs`, if any. */
function nospaceInAudit(ctx: DetectionContext, windowMs: number): { count: number; first: number; last: number } | null {
  const rows = ctx.auditErrors?.errors(ctx.at - windowMs, ctx.at + 60_000).filter((e) => e.message.includes(NOSPACE_TEXT)) ?? [];
  if (!rows.length) return null;
  return { count: rows.reduce((n, r) => n + r.count, 0), first: Math.min(...rows.map((r) => r.first)), last: Math.max(...rows.map((r) => r.last)) };
}

const NOSPACE_TEXT = 'database space exceeded';

function noSpace(d: NoSpaceDetector, ctx: DetectionContext): Finding | null {
  const u = dbUsage(ctx.load, ctx.at);
  const audit = nospaceInAudit(ctx, 5 * 60_000);
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  const auditFact = audit ? `audit log: ${audit.count.toLocaleString('en-US')} responses "etcdserver: mvcc: ${NOSPACE_TEXT}" between ${iso(audit.first)} and ${iso(audit.last + 59_999).replace(/\.\d+Z$/, 'Z')}` : null;
  const atQuota = u.sizeBytes !== null && u.quotaBytes !== null && u.sizeBytes >= 0.99 * u.quotaBytes;
  if (!atQuota) {
    // The apiserver alone (no etcd metrics, no quota known), or the space given back while the
    // alarm is still raised (etcd refuses writes until it is disarmed): the message is the evidence.
    if (!audit) return null;
    const facts = [auditFact!];
    if (u.sizeBytes !== null && u.quotaBytes !== null) facts.push(`DB ${mib(u.sizeBytes)} of ${mib(u.quotaBytes)} (${((100 * u.sizeBytes) / u.quotaBytes).toFixed(1)}%): below the quota, but the NOSPACE alarm stays raised until \`etcdctl alarm disarm\``);
    else facts.push('etcd\'s own metrics are not recorded for this cluster: the DB size and quota are unknown');
    return base(d, 'critical', 'NOSPACE: writes fail with "database space exceeded" (audit log)', { panel: d.panel, series: ['DB size', 'quota'], from: audit.first, to: ctx.at, facts });
  }
  if (u.sizeBytes === null || u.quotaBytes === null) return null;
  // The onset: the first scrape of the run at the quota; the first failed write may come later.
  const onset = dbOnset(ctx, 0.99) ?? Math.max(ctx.from, ctx.at - 5 * 60_000);
  const writes5xx = evaluateQuery({ kind: 'rate', series: 'apiserver_request_total', by: ['verb'], match: { code: '500' }, exclude: { verb: ['GET', 'LIST', 'WATCH'] }, legend: '{verb}' },
    ctx.load, { from: Math.min(onset, ctx.at - 5 * 60_000), to: ctx.at, maxPoints: 10_000 });
  const failing = writes5xx.map((s) => ({
    verb: s.name, rate: Math.max(0, ...s.points.map((p) => p[1] ?? 0)), first: s.points.find((p) => (p[1] ?? 0) > 0)?.[0],
  })).filter((x) => x.rate > 0);
  const facts = [`DB ${mib(u.sizeBytes)} at its ${mib(u.quotaBytes)} quota since ${iso(onset)}`];
  if (auditFact) facts.push(auditFact);
  if (failing.length) {
    facts.push(`writes failing with HTTP 500: ${failing.map((f) => `${f.verb} ${f.rate.toFixed(2)}/s`).join(', ')}`);
    const first = Math.min(...failing.map((f) => f.first ?? Infinity));
    if (Number.isFinite(first)) facts.push(`first failed write recorded at ${iso(first)}`);
  }
  return base(d, 'critical', failing.length || audit
    ? 'NOSPACE: etcd is at its quota and writes fail with "database space exceeded"'
    : 'NOSPACE likely: etcd is at its quota; writes will fail', { panel: d.panel, series: ['DB size', 'quota'], from: onset, to: ctx.at, facts });
}

function growth(d: GrowthDetector, ctx: DetectionContext): Finding | null {
  const g = resourceGrowth(ctx.load, ctx.at, d.windowMs).filter((x) => (x.perMinute ?? 0) > 0);
  const top = g[0];
  if (!top || (top.perMinute ?? 0) < d.minPerMinute) return null;
  const total = g.reduce((a, x) => a + (x.perMinute ?? 0), 0);
  const share = total > 0 ? top.perMinute! / total : 1;
  if (share < d.minShare) return null;
  // Onset: where the resource's current run of growth began (counts polled as flat in between do not end it).
  const pts = objectSeries(ctx.load).find((x) => x.resource === top.resource)?.points.filter((p) => p.t >= ctx.from && p.t <= ctx.at) ?? [];
  let start = pts.length - 1;
  while (start > 0 && pts[start - 1]!.v <= pts[start]!.v) start--;
  while (start < pts.length - 1 && pts[start + 1]!.v === pts[start]!.v) start++; // skip the flat lead-in
  const from = pts.length > 1 && start < pts.length - 1 ? pts[start]!.t : ctx.at - d.windowMs;
  return base(d, top.perMinute! > 10 * d.minPerMinute ? 'warning' : 'info',
    `${top.resource} is growing by ${Math.round(top.perMinute!)} objects/min (${Math.round(top.count)} now)`,
    { panel: d.panel, series: [top.resource], from, to: ctx.at, facts: [
      `from ${Math.round(pts[start]?.v ?? 0)} to ${Math.round(top.count)} objects since ${new Date(from).toISOString().replace('.000Z', 'Z')}`,
      `${Math.round(share * 100)}% of all object growth in the last ${Math.round(d.windowMs / 60_000)} min`,
      `count from ${top.source === 'census' ? 'the census (a one-item LIST, a consistent read)' : 'the apiserver\'s polled object-count metric'}`,
    ] });
}

export function evaluateDetector(d: DetectorSpec, ctx: DetectionContext): Finding | null {
  switch (d.kind) {
    case 'threshold': return threshold(d, ctx);
    case 'db-quota': return dbQuota(d, ctx);
    case 'nospace': return noSpace(d, ctx);
    case 'resource-growth': return growth(d, ctx);
    case 'audit-disk': return auditDisk(d, ctx);
    case 'apiserver-endpoints': case 'etcd-members': case 'node-heartbeats': case 'readiness': return evaluateSnapshot(d, ctx);
    case 'steady-growth': case 'error-ratio': case 'counter-increase': case 'event-storm': case 'audit-volume': return evaluateSignal(d, ctx);
  }
}

/** Every detector, most severe first. NOSPACE supersedes the quota warning it implies. */
export function detect(ctx: DetectionContext, detectors: DetectorSpec[] = DETECTORS): Finding[] {
  const out = detectors.map((d) => evaluateDetector(d, ctx)).filter((f): f is Finding => f !== null);
  const nospace = out.some((f) => f.detector === 'etcd-nospace');
  return out.filter((f) => !(nospace && f.detector === 'etcd-db-quota'))
    .sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.title.localeCompare(b.title));
}
