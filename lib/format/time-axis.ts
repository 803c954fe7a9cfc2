/**
 * Time-axis ticks on round UTC instants (every 5 minutes on :00, :05, …; days at 00:00 UTC), and
 * their labels. d3's time scale ticks in the browser's local zone; a war room reads UTC.
 */
import { utcClock, utcDate } from './time';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];

/** The smallest round step that gives at most `maxTicks` ticks across [from, to]. */
export function timeStep(from: number, to: number, maxTicks: number): number {
  const span = Math.max(1, to - from);
  return STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? STEPS[STEPS.length - 1]!;
}

/** Round UTC instants within [from, to], at most `maxTicks` of them. */
export function utcTimeTicks(from: number, to: number, maxTicks: number): number[] {
  if (!(to > from)) return [];
  const step = timeStep(from, to, maxTicks);
  // Epoch ms are aligned with UTC midnight, so multiples of a step that divides a day are round times.
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

/** "01:53:20" under a minute's step, "01:55" under a day's, "23 Nov" for days; a midnight tick gives the date. */
export function formatTimeTick(t: number, step: number): string {
  if (step >= D) return utcDate(t).replace(/ \d{4}$/, '');
  if (t % D === 0) return utcDate(t).replace(/ \d{4}$/, '');
  return utcClock(t, step < M);
}
