/**
 * When to take a goroutine dump and a heap profile without anyone pressing a button: on a schedule,
 * and when goroutines or resident memory grow steadily (the DeleteCollection leak grew by one
 * goroutine per failed call for hours before the OOM kill; by then nobody had a dump). Pure
 * decisions over recorded series; the server takes the captures.
 */
import type { Point } from '../analysis/rate';
import { slope } from '../timeline/evaluate';

export interface GrowthRule {
  /** Recorded series to watch, e.g. go_goroutines. */
  series: string;
  label: string;
  /** Over this window, the value rose by at least `minIncrease` and by `minRatio` of its minimum … */
  windowMs: number;
  minIncrease: number;
  minRatio: number;
  /** … and kept rising (see growthVerdict). */
  format: (v: number) => string;
}

export interface AutoCapturePolicy {
  /** Scheduled captures (a dump and a profile), or null for none. */
  everyMs: number | null;
  /** Growth triggers, or [] for none. */
  growth: GrowthRule[];
  /** After a growth-triggered capture, the next one waits at least this long. */
  cooldownMs: number;
}

const mib = (v: number) => `${(v / 1024 ** 2).toFixed(0)} MiB`;

export const DEFAULT_GROWTH_RULES: GrowthRule[] = [
  // An idle 1.20 apiserver sits near 1,700 goroutines; 1,000 more in 30 min that keep coming is not load noise.
  { series: 'go_goroutines', label: 'goroutines', windowMs: 30 * 60_000, minIncrease: 1000, minRatio: 0.5, format: (v) => Math.round(v).toLocaleString('en-US') },
  { series: 'process_resident_memory_bytes', label: 'resident memory', windowMs: 30 * 60_000, minIncrease: 512 * 1024 ** 2, minRatio: 0.5, format: mib },
];

export const DEFAULT_AUTO_CAPTURE: AutoCapturePolicy = { everyMs: null, growth: DEFAULT_GROWTH_RULES, cooldownMs: 60 * 60_000 };

export interface GrowthVerdict { rule: GrowthRule; reason: string; from: number; to: number }

/** A growth rule's verdict on the points up to `now` (oldest first), or null when it does not fire. */
export function growthVerdict(rule: GrowthRule, points: readonly Point[], now: number): GrowthVerdict | null {
  const w = points.filter((p) => p.t >= now - rule.windowMs && p.t <= now && Number.isFinite(p.v));
  if (w.length < 4) return null;
  let min = w[0]!;
  for (const p of w) if (p.v < min.v) min = p;
  const last = w[w.length - 1]!;
  const rise = last.v - min.v;
  if (rise < rule.minIncrease || last.v < min.v * (1 + rule.minRatio) || last.t <= min.t) return null;
  // Steady: a positive trend, and the medians of the thirds after the minimum strictly rising (a
  // spike that fell back, or one step up to a new level of load, is not a leak).
  const k = slope([...w], min.t);
  const after = w.filter((p) => p.t >= min.t).map((p) => p.v);
  if (k === null || k <= 0 || after.length < 6) return null;
  const third = Math.floor(after.length / 3);
  const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
  const [a, b, c] = [med(after.slice(0, third)), med(after.slice(third, 2 * third)), med(after.slice(2 * third))];
  if (!(a < b && b < c)) return null;
  const minutes = Math.max(1, Math.round((last.t - min.t) / 60_000));
  return { rule, from: min.t, to: last.t, reason: `${rule.label} rose from ${rule.format(min.v)} to ${rule.format(last.v)} in ${minutes} min` };
}

export type AutoCaptureDecision = { trigger: 'schedule'; reason: string } | { trigger: 'threshold'; reason: string; from: number; to: number };

/**
 * What to capture now, if anything. `lastScheduled` / `lastTriggered`: times of the previous
 * captures of each trigger (persisted, so a restart neither repeats nor forgets them).
 */
export function decideAutoCapture(policy: AutoCapturePolicy, now: number, load: (series: string) => readonly Point[], state: { lastScheduled?: number; lastTriggered?: number }): AutoCaptureDecision | null {
  if (state.lastTriggered === undefined || now - state.lastTriggered >= policy.cooldownMs) {
    for (const rule of policy.growth) {
      const v = growthVerdict(rule, load(rule.series), now);
      if (v) return { trigger: 'threshold', reason: v.reason, from: v.from, to: v.to };
    }
  }
  if (policy.everyMs !== null && (state.lastScheduled === undefined || now - state.lastScheduled >= policy.everyMs)) {
    return { trigger: 'schedule', reason: `scheduled (every ${Math.round(policy.everyMs / 60_000)} min)` };
  }
  return null;
}
