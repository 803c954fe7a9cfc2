/**
 * When recorded data stops being "live": one rule, used by the server (overview API, page render)
 * and by the browser (ages grow between refreshes), so both always agree.
 *
 * The recorder asks for /metrics once per interval, and a scrape is timestamped when its response
 * is complete. On a healthy cluster the newest scrape is therefore never older than one interval
 * plus the time a scrape takes. Past that, the scrape that was due has not arrived: the data is
 * stale. The grace (half an interval, between 1 s and 5 s) covers the scrape's own duration and
 * timer jitter, and nothing more.
 */
export function staleGraceMs(intervalMs: number): number {
  return Math.min(5000, Math.max(1000, intervalMs / 2));
}

/** Age past which the newest scrape is stale: one interval and the grace. */
export function staleAfterMs(intervalMs: number): number {
  return intervalMs + staleGraceMs(intervalMs);
}

/** `ageMs` null: nothing was ever scraped successfully, which is stale too. */
export function isStale(ageMs: number | null, intervalMs: number): boolean {
  return ageMs === null || ageMs > staleAfterMs(intervalMs);
}
