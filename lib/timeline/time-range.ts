/**
 * Grafana-style time expressions, kept in the URL so a link reproduces the view:
 * `now`, `now-15m`, `now-1h`, `now-7d`, `now-90s`, epoch milliseconds, or an ISO 8601 / RFC 3339 time.
 * "now" is a parameter: for a recorded bundle it is the end of the capture, not the wall clock.
 */
const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseTimeExpr(expr: string, now: number): number | null {
  const e = expr.trim();
  if (e === 'now') return now;
  const rel = /^now-(\d+)([smhdw])$/.exec(e);
  if (rel) return now - Number(rel[1]) * UNIT[rel[2]!]!;
  if (/^\d{10,16}$/.test(e)) return Number(e);
  const t = Date.parse(e);
  return Number.isNaN(t) ? null : t;
}

export interface ResolvedRange { from: number; to: number }

/** Resolves `from`/`to` expressions; defaults to the last hour; refuses inverted or absurd ranges. */
export function resolveRange(from: string | undefined, to: string | undefined, now: number, maxSpanMs = 90 * UNIT.d!): ResolvedRange {
  const f = parseTimeExpr(from ?? 'now-1h', now);
  const t = parseTimeExpr(to ?? 'now', now);
  if (f === null) throw new RangeError(`cannot read the time "${from}" (use now-1h, an epoch in ms, or an ISO time)`);
  if (t === null) throw new RangeError(`cannot read the time "${to}" (use now, an epoch in ms, or an ISO time)`);
  if (f >= t) throw new RangeError('the range must end after it starts');
  if (t - f > maxSpanMs) throw new RangeError(`the range is longer than ${Math.round(maxSpanMs / UNIT.d!)} days`);
  return { from: f, to: t };
}

export const QUICK_RANGES = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
] as const;
