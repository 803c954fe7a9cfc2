/**
 * Wall-clock times, always in UTC: a war room spans time zones, and UTC matches the timestamps in
 * apiserver and etcd logs. Built from the ISO string, not `toLocaleString`, so the server's render
 * and the browser's hydration produce identical text.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function iso(t: number): string { return new Date(t).toISOString(); }

/** "01:53:25" */
export function utcClock(t: number, seconds = true): string {
  return iso(t).slice(11, seconds ? 19 : 16);
}

/** "23 Nov 2026" */
export function utcDate(t: number): string {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function sameUtcDay(a: number, b: number): boolean { return iso(a).slice(0, 10) === iso(b).slice(0, 10); }

/** "01:53:25 UTC" when `t` is on the same UTC day as `now`, else "22 Nov 2026 23:10:04 UTC". */
export function formatUtc(t: number, now: number = t): string {
  return sameUtcDay(t, now) ? `${utcClock(t)} UTC` : `${utcDate(t)} ${utcClock(t)} UTC`;
}

/**
 * A captured range: "23 Nov 2026, 01:53–02:10 UTC"; across midnight both dates are given:
 * "22 Nov 2026 23:50 – 23 Nov 2026 00:20 UTC". Seconds are kept when the range is under 2 minutes.
 */
export function formatUtcRange(from: number, to: number): string {
  const secs = Math.abs(to - from) < 2 * 60_000;
  if (sameUtcDay(from, to)) return `${utcDate(from)}, ${utcClock(from, secs)}–${utcClock(to, secs)} UTC`;
  return `${utcDate(from)} ${utcClock(from, secs)} – ${utcDate(to)} ${utcClock(to, secs)} UTC`;
}

/** For tight spots: "02:31:38" on the same UTC day as `now`, else "22 Nov 23:10". */
export function formatUtcShort(t: number, now: number = t): string {
  if (sameUtcDay(t, now)) return utcClock(t);
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${utcClock(t, false)}`;
}
