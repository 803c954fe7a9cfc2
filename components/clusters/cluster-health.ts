import { formatAgo, formatDuration } from '@/lib/format/duration';
import { formatUtcRange } from '@/lib/format/time';
import type { ClusterSummary } from '@/lib/query/clusters';
import type { Tone } from '@/components/ui/tone';

/**
 * The cluster list carries no scrape interval, so "stale" here uses a fixed bound: a minute
 * without a good scrape is four missed scrapes at the default 15 s interval. The overview page
 * uses the server's own per-interval `stale` flag instead.
 */
export const LIST_STALE_AFTER_MS = 60_000;

export type HealthKind = 'live' | 'stale' | 'unreachable' | 'waiting' | 'recorded' | 'error';

export interface ClusterHealth {
  kind: HealthKind;
  tone: Tone;
  /** One word for the dot: "Live", "Stale", "Unreachable"… */
  label: string;
  /** What the word is based on: "last scrape 4 s ago". */
  detail: string;
}

export function clusterHealth(c: ClusterSummary, now: number): ClusterHealth {
  if (c.error) return { kind: 'error', tone: 'crit', label: 'Error', detail: c.error };
  if (c.kind === 'bundle') {
    const range = c.range ? `${formatUtcRange(c.range.from, c.range.to)} · ${formatDuration(c.range.to - c.range.from)}` : 'time range unknown';
    return { kind: 'recorded', tone: 'bundle', label: 'Recorded', detail: range };
  }
  const age = c.lastOk === null ? null : now - c.lastOk;
  const lastGood = age === null ? 'never reached' : `last good scrape ${formatAgo(age)}`;
  if (c.ok === null) return { kind: 'waiting', tone: 'neutral', label: 'Connecting', detail: 'waiting for the first scrape' };
  if (!c.ok) return { kind: 'unreachable', tone: 'crit', label: 'Unreachable', detail: lastGood };
  if (age !== null && age > LIST_STALE_AFTER_MS) return { kind: 'stale', tone: 'warn', label: 'Stale', detail: lastGood };
  return { kind: 'live', tone: 'ok', label: 'Live', detail: age === null ? 'scraping' : `last scrape ${formatAgo(age)}` };
}
