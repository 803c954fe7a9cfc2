/** Microseconds as the shortest readable duration: 850 µs, 2.6 ms, 44 ms, 9.9 s. */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return '—';
  if (us >= 1e6) return `${(us / 1e6).toFixed(us >= 1e7 ? 0 : 1)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(us >= 1e5 ? 0 : 1)} ms`;
  return `${Math.round(us)} µs`;
}

/** UTC, minute precision, as the rest of the dashboard shows times. */
export function formatMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
