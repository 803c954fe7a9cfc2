/**
 * Durations for people reading a screen across a room: at most two units, largest first.
 *   4 s · 59 s · 3m 12s · 3m · 1h 05m · 2d 3h
 * A single unit of seconds keeps a space ("40 s"), compound forms are compact ("3m 12s").
 * Negative durations (clock skew between browser and server) read as zero.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m < 60) return s ? `${m}m ${s}s` : `${m}m`;
  const h = Math.floor(m / 60);
  const mm = m % 60;
  if (h < 24) return mm ? `${h}h ${String(mm).padStart(2, '0')}m` : `${h}h`;
  const d = Math.floor(h / 24);
  const hh = h % 24;
  return hh ? `${d}d ${hh}h` : `${d}d`;
}

/** "4 s ago", "3m 12s ago"; under a second, and for times in the future (skew), "just now". */
export function formatAgo(ms: number): string {
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** "in 40 s"; a moment already passed reads "now". */
export function formatIn(ms: number): string {
  return ms < 1000 ? 'now' : `in ${formatDuration(ms)}`;
}
