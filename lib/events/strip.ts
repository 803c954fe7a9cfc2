/**
 * The timeline strip: events per time bucket, by type and by reason. One minute per bucket up to
 * 6 hours (360 bars); longer ranges use the smallest step in STEPS that keeps ≤ MAX_BUCKETS bars,
 * so the strip stays drawable at 90 days. Events are placed by their last-seen time.
 */
export const MAX_BUCKETS = 360;
const MINUTE = 60_000;
export const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

export function stripStep(from: number, to: number): number {
  const span = Math.max(MINUTE, to - from);
  return STEPS.find((s) => span / s <= MAX_BUCKETS) ?? Math.ceil(span / MAX_BUCKETS / MINUTE) * MINUTE;
}

/** Bucket starts are aligned on the step (UTC), so the same minute is the same bar whatever the range. */
export function bucketOf(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

export interface BucketCount {
  /** Bucket start (ms), aligned on the step. */
  t: number;
  type: string;
  reason: string;
  /** Event objects last seen in the bucket. */
  n: number;
  /** Sum of their counts (occurrences, repeats included). */
  occurrences: number;
}

export interface StripBucket {
  t: number;
  normal: number;
  warning: number;
  /** Types other than Normal and Warning (a controller may write anything). */
  other: number;
  occurrences: number;
  /** The bucket's reasons, most events first, at most TOP_REASONS. */
  reasons: Array<{ reason: string; type: string; n: number }>;
}

export interface EventStrip {
  from: number;
  to: number;
  step: number;
  buckets: StripBucket[];
  /** The most events in one bucket (the strip's y scale). */
  max: number;
}

const TOP_REASONS = 6;

/** Builds the strip from grouped counts; empty buckets are included, so bars line up with the time axis. */
export function buildStrip(rows: Iterable<BucketCount>, from: number, to: number, step = stripStep(from, to)): EventStrip {
  const first = bucketOf(from, step);
  const byT = new Map<number, StripBucket & { all: Map<string, { reason: string; type: string; n: number }> }>();
  for (let t = first; t < to; t += step) byT.set(t, { t, normal: 0, warning: 0, other: 0, occurrences: 0, reasons: [], all: new Map() });
  for (const r of rows) {
    const b = byT.get(bucketOf(r.t, step));
    if (!b) continue;
    if (r.type === 'Normal') b.normal += r.n;
    else if (r.type === 'Warning') b.warning += r.n;
    else b.other += r.n;
    b.occurrences += r.occurrences;
    const key = `${r.type}\u0000${r.reason}`;
    const prev = b.all.get(key);
    if (prev) prev.n += r.n;
    else b.all.set(key, { reason: r.reason, type: r.type, n: r.n });
  }
  let max = 0;
  const buckets: StripBucket[] = [];
  for (const { all, ...b } of byT.values()) {
    b.reasons = [...all.values()].sort((x, y) => y.n - x.n || x.reason.localeCompare(y.reason)).slice(0, TOP_REASONS);
    max = Math.max(max, b.normal + b.warning + b.other);
    buckets.push(b);
  }
  return { from, to, step, buckets, max };
}
