/**
 * Links from a finding into the timeline: its evidence with some context before it (how it
 * started) and a little after it, reaching "now" when the evidence is recent (it is still going on).
 */
import { timelineSearch } from '@/components/timeline/url-state';
import { formatUtcShort } from '@/lib/format/time';
import type { Finding } from '@/lib/query/timeline';

const MIN = 60_000;

export interface LinkRange { from: string; to: string }

/** `before` ms before the evidence, `after` ms past its end, or "now" when that is in the future. */
export function evidenceRange(f: Finding, now: number, before = 15 * MIN, after = 5 * MIN): LinkRange {
  const from = Math.round(f.evidence.from - before);
  const to = Math.round(f.evidence.to + after);
  return { from: String(from), to: to >= now ? 'now' : String(to) };
}

/**
 * The range the timeline zooms to when a finding is clicked: the evidence filling most of the
 * view, padded by a sixth of its length (at least a minute) on each side.
 */
export function zoomToEvidence(f: Finding, now: number): LinkRange {
  const pad = Math.max(MIN, (f.evidence.to - f.evidence.from) / 6);
  return evidenceRange(f, now, pad, pad);
}

/** `/clusters/<id>/timeline?from=…&to=…&panel=…` for the overview's "open in timeline". */
export function findingTimelineHref(clusterId: string, f: Finding, now: number): string {
  const r = evidenceRange(f, now);
  return `/clusters/${encodeURIComponent(clusterId)}/timeline?${timelineSearch({ ...r, ...(f.evidence.panel ? { panel: f.evidence.panel } : {}) })}`;
}

/** "since 01:53:10 UTC" while the evidence lasts (up to now), else "01:53:10–02:05:00 UTC". */
export function evidenceWhen(f: Finding, now: number): string {
  const { from, to } = f.evidence;
  if (now - to < 60_000) return `since ${formatUtcShort(from, now)} UTC`;
  return `${formatUtcShort(from, now)}–${formatUtcShort(to, now)} UTC`;
}
