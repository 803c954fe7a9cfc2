/** Detectors over recorded signals that need more than a threshold: growth, error ratios, counters, events, audit. */
import { growthVerdict } from '../capture/auto-policy';
import { KNOWN_GOROUTINE_ISSUES, versionStatus } from '../known-issues';
import { evaluateQuery } from '../timeline/evaluate';
import { findingOf, isoSeconds, RANK } from './finding';
import type {
  AuditVolumeDetector, CounterIncreaseDetector, DetectionContext, ErrorRatioDetector, EventStormDetector, Finding, Severity, SteadyGrowthDetector,
} from './types';

type SignalDetector = SteadyGrowthDetector | ErrorRatioDetector | CounterIncreaseDetector | EventStormDetector | AuditVolumeDetector;

const fmt = (v: number, f: 'count' | 'bytes') => (f === 'bytes' ? `${Math.round(v / 1024 ** 2).toLocaleString('en-US')} MiB` : Math.round(v).toLocaleString('en-US'));

function steadyGrowth(d: SteadyGrowthDetector, ctx: DetectionContext): Finding | null {
  const pts = ctx.load(d.series)[0]?.points.filter((p) => p.t >= ctx.from && p.t <= ctx.at) ?? [];
  const v = growthVerdict({ series: d.series, label: d.label, windowMs: d.windowMs, minIncrease: d.minIncrease, minRatio: d.minRatio, format: (x) => fmt(x, d.format) }, pts, ctx.at);
  if (!v) return null;
  const facts = [v.reason, `steady: every third of the run higher than the one before (not a spike, not one step to a new load level)`];
  let leakLike = true;
  if (d.goroutinesMustGrow !== undefined && d.series !== 'go_goroutines') {
    const g = ctx.load('go_goroutines')[0]?.points.filter((p) => p.t >= v.from && p.t <= v.to) ?? [];
    if (g.length >= 2) {
      const first = g[0]!.v;
      const last = g[g.length - 1]!.v;
      leakLike = first > 0 && (last - first) / first >= d.goroutinesMustGrow;
      if (!leakLike) facts.push(`goroutines flat over the same run (${Math.round(first).toLocaleString('en-US')} → ${Math.round(last).toLocaleString('en-US')}): not a goroutine leak; the memory is held by data (the watch cache keeps every object): look for a resource growing in count or size`);
    }
  }
  const hints = leakLike ? KNOWN_GOROUTINE_ISSUES.filter((k) => d.knownIssues.includes(k.id)).map((k) => ({ k, status: versionStatus(k, ctx.version) }))
    .filter((x) => x.status !== 'not-affected') : [];
  for (const { k, status } of hints) {
    facts.push(`${status === 'affected' ? `kube-apiserver ${ctx.version} is affected by` : 'possibly'} ${k.title} (fixed in ${k.fixedIn}); a goroutine dump shows it as goroutines in [chan send] in DeleteCollection.func1`);
  }
  return findingOf(d, 'warning', `apiserver ${v.reason}`, { panel: d.panel, series: [d.series], from: v.from, to: v.to, facts });
}

function errorRatio(d: ErrorRatioDetector, ctx: DetectionContext): Finding | null {
  const byCode = evaluateQuery({ kind: 'rate', series: d.series, by: ['code'], legend: '{code}' }, ctx.load, { from: ctx.from, to: ctx.at, maxPoints: 100_000 });
  const perT = new Map<number, { err: number; all: number; codes: Map<string, number> }>();
  for (const s of byCode) {
    const code = s.labels.code ?? s.name;
    for (const [t, v] of s.points) {
      if (v === null) continue;
      const e = perT.get(t) ?? { err: 0, all: 0, codes: new Map<string, number>() };
      e.all += v;
      if (/^5\d\d$/.test(code)) { e.err += v; e.codes.set(code, (e.codes.get(code) ?? 0) + v); }
      perT.set(t, e);
    }
  }
  const rows = [...perT.entries()].sort((a, b) => a[0] - b[0]);
  const mildest = Math.min(...d.levels.map((l) => l.ratio));
  const bad = (r: (typeof rows)[number][1]) => r.err >= d.minRatePerSecond && r.all > 0 && r.err / r.all >= mildest;
  let i = rows.length - 1;
  while (i >= 0 && bad(rows[i]![1])) i--;
  const run = rows.slice(i + 1);
  const need = ctx.sustainedPoints ?? d.sustainedPoints;
  if (run.length < need) return null;
  const tail = run.slice(-need).map(([, r]) => r.err / r.all);
  const sustained = Math.min(...tail);
  const level = [...d.levels].sort((a, b) => b.ratio - a.ratio).find((l) => sustained >= l.ratio);
  if (!level) return null;
  const last = run[run.length - 1]![1];
  const codes = [...last.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c} ${v.toFixed(2)}/s`).join(', ');
  return findingOf(d, level.severity, `${(100 * last.err / last.all).toFixed(1)}% of apiserver requests fail with 5xx (${last.err.toFixed(2)}/s)`, {
    panel: d.panel, series: [...last.codes.keys()], from: run[0]![0], to: run[run.length - 1]![0],
    facts: [`now: ${codes} of ${last.all.toFixed(2)} requests/s`, `over ${run.length} consecutive scrapes since ${isoSeconds(run[0]![0])}`, `threshold: ${(level.ratio * 100).toFixed(0)}% (${level.severity})`],
  });
}

function counterIncrease(d: CounterIncreaseDetector, ctx: DetectionContext): Finding | null {
  const from = Math.max(ctx.from, ctx.at - d.windowMs);
  const inc = evaluateQuery({ kind: 'increase', series: d.series, legend: 'increase' }, ctx.load, { from, to: ctx.at, maxPoints: 100_000 });
  const pts = (inc[0]?.points ?? []).filter((p): p is [number, number] => p[1] !== null && p[1] > 0 && p[0] > from);
  const total = pts.reduce((a, p) => a + p[1], 0);
  const level = [...d.levels].sort((a, b) => b.atLeast - a.atLeast).find((l) => total >= l.atLeast);
  if (!level || !pts.length) return null;
  return findingOf(d, level.severity, d.summary.replace('{value}', String(Math.round(total))), {
    panel: d.panel, from: pts[0]![0], to: ctx.at,
    facts: [`${Math.round(total)} in the last ${Math.round(d.windowMs / 60_000)} min, first at ${isoSeconds(pts[0]![0])}, last at ${isoSeconds(pts[pts.length - 1]![0])}`, `threshold: ${level.atLeast} (${level.severity})`],
  });
}

function perMinuteLevel<L extends { severity: Severity }>(levels: L[], value: (l: L) => number, observed: number): L | undefined {
  return [...levels].sort((a, b) => RANK[b.severity] - RANK[a.severity]).find((l) => observed >= value(l));
}

function eventStorm(d: EventStormDetector, ctx: DetectionContext): Finding | null {
  if (!ctx.events) return null;
  const from = Math.max(ctx.from, ctx.at - d.windowMs);
  const a = ctx.events.activity(from, ctx.at);
  if (!a.perMinute.length) return null;
  const minutes = Math.max(1, (ctx.at - from) / 60_000);
  const rate = a.perMinute.reduce((s, p) => s + p.v, 0) / minutes;
  const peak = Math.max(...a.perMinute.map((p) => p.v));
  const level = perMinuteLevel(d.levels, (l) => l.perMinute, rate);
  if (!level) return null;
  const top = a.top.slice(0, 3).map((x) => `${x.reason} on ${x.kind}${x.namespace ? ` in ${x.namespace}` : ''} (${x.type}): ${x.count}`);
  return findingOf(d, level.severity, `Event storm: ${Math.round(rate)} events/min${a.top[0] ? `, mostly ${a.top[0].reason} on ${a.top[0].kind}` : ''}`, {
    panel: d.panel, from, to: ctx.at,
    facts: [`${Math.round(rate)}/min over the last ${Math.round(minutes)} min (peak ${peak}/min); threshold ${level.perMinute}/min (${level.severity})`, ...top,
      'every Event is a write to etcd (kept for --event-ttl, 1 h by default)'],
  });
}

function auditVolume(d: AuditVolumeDetector, ctx: DetectionContext): Finding | null {
  if (!ctx.audit) return null;
  const from = Math.max(ctx.from, ctx.at - d.windowMs);
  const rows = ctx.audit.perMinute(from, ctx.at);
  if (!rows.length) return null;
  const minutes = Math.max(1, (ctx.at - from) / 60_000);
  const bytes = rows.reduce((s, r) => s + r.bytes, 0) / minutes;
  const events = rows.reduce((s, r) => s + r.events, 0) / minutes;
  const level = perMinuteLevel(d.levels, (l) => l.bytesPerMinute, bytes);
  if (!level) return null;
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return findingOf(d, level.severity, `Audit log writing ${mib(bytes)}/min (${Math.round(events).toLocaleString('en-US')} events/min)`, {
    panel: d.panel, from, to: ctx.at,
    facts: [`${mib(bytes)}/min = ${mib(bytes * 60 * 24)}/day at this rate; threshold ${mib(level.bytesPerMinute)}/min (${level.severity})`,
      'a RequestResponse catch-all policy on the disk etcd writes to filled the disk in the first postmortem: check the policy and where the log lives'],
  });
}

export function evaluateSignal(d: SignalDetector, ctx: DetectionContext): Finding | null {
  switch (d.kind) {
    case 'steady-growth': return steadyGrowth(d, ctx);
    case 'error-ratio': return errorRatio(d, ctx);
    case 'counter-increase': return counterIncrease(d, ctx);
    case 'event-storm': return eventStorm(d, ctx);
    case 'audit-volume': return auditVolume(d, ctx);
  }
}
