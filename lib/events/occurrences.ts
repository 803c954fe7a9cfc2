/**
 * Event occurrences over time: what an event storm is made of.
 *
 * An Event is one object that stands for many occurrences. The legacy recorder (client-go
 * tools/record) folds a repeat of the same event into `count` and `lastTimestamp`; events.k8s.io/v1
 * does the same with `series.count` and `series.lastObservedTime` (facts §4). A crash-looping pod
 * with BackOff 600 times a minute is one row whose count climbs 600 a minute: counting rows would
 * call that one event. So the archive keeps the occurrences each observation adds, at their time:
 *
 * - seen before (watch MODIFIED, a relist, the other API's copy): the rise in count since the copy
 *   kept, at its new last sighting. A copy whose count is not higher adds nothing, so relists, both
 *   APIs and re-imports count each occurrence once;
 * - first seen with count 1: one, when it was last (and first) seen;
 * - first seen with count n > 1 (repeats that happened before the recorder saw it: its first list,
 *   or a bundle): when between first and last sighting is not recorded anywhere, so the n are
 *   spread evenly over that span (at most 60 slices), one at the first sighting. An old series
 *   does not then show as a spike in the minute the recorder started.
 *
 * Times stay exact (not rounded to minutes), so a question about a past moment (a bundle, a
 * timeline scrolled back) never counts what came after it.
 */
export const MINUTE = 60_000;
const MAX_SLICES = 60;

export interface Sighting { count: number; firstTimestamp: number; lastTimestamp: number }

/** Occurrences this observation adds, as [time, n] pairs (times distinct and ascending, n > 0). */
export function newOccurrences(before: { count: number; lastTimestamp: number } | undefined, e: Sighting): Array<[number, number]> {
  const count = Math.max(1, Math.floor(e.count));
  if (before) {
    const delta = count - before.count;
    return delta > 0 ? [[Math.max(e.lastTimestamp, before.lastTimestamp), delta]] : [];
  }
  const last = e.lastTimestamp;
  const first = Math.min(e.firstTimestamp > 0 ? e.firstTimestamp : last, last);
  if (count === 1 || last - first < MINUTE) return [[last, count]];
  const out = new Map<number, number>([[first, 1]]);
  const rest = count - 1;
  const slices = Math.min(MAX_SLICES, Math.ceil((last - first) / MINUTE));
  for (let i = 0; i < slices; i++) {
    const n = Math.floor((rest * (i + 1)) / slices) - Math.floor((rest * i) / slices);
    if (n <= 0) continue;
    const t = i === slices - 1 ? last : first + Math.round(((last - first) * (i + 1)) / slices);
    out.set(t, (out.get(t) ?? 0) + n);
  }
  return [...out];
}
