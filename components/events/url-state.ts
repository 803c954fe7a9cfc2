/**
 * The events page's state, all in the URL (the timeline's convention), so a link reproduces the view:
 * `?from=now-1h&to=now&reason=FailedScheduling&group=object&sel=<ms>-<ms>`.
 * The range and refresh are the timeline's (components/timeline/url-state), the filter is lib/events/filter.
 */
import { filterEntries, readFilter, type EventFilter } from '@/lib/events/filter';
import { readTimelineParams, type RefreshOption } from '@/components/timeline/url-state';

export const DEFAULT_LIMIT = 5_000;
export const MAX_LIMIT = 100_000;

export interface EventsUrlState {
  from: string;
  to: string;
  refresh?: RefreshOption;
  filter: EventFilter;
  group: boolean;
  /** Minutes picked in the strip: [from, to) in ms. */
  sel?: { from: number; to: number };
  /** Rows asked for (more than the default after "show more"). */
  limit?: number;
}

export function readEventsParams(get: (key: string) => string | null | undefined, defaults: { from: string; to: string }): EventsUrlState {
  const t = readTimelineParams(get, defaults);
  const sel = /^(\d{10,16})-(\d{10,16})$/.exec(get('sel') ?? '');
  const limit = Number(get('limit'));
  return {
    from: t.from, to: t.to, ...(t.refresh ? { refresh: t.refresh } : {}),
    filter: readFilter(get),
    group: get('group') === 'object',
    ...(sel && Number(sel[1]) < Number(sel[2]) ? { sel: { from: Number(sel[1]), to: Number(sel[2]) } } : {}),
    ...(Number.isInteger(limit) && limit > DEFAULT_LIMIT ? { limit: Math.min(MAX_LIMIT, limit) } : {}),
  };
}

/** The page's query string, keys always in the same order (links compare equal). */
export function eventsSearch(s: EventsUrlState): string {
  const q = new URLSearchParams({ from: s.from, to: s.to });
  if (s.refresh) q.set('refresh', s.refresh);
  for (const [k, v] of filterEntries(s.filter)) q.set(k, v);
  if (s.group) q.set('group', 'object');
  if (s.sel) q.set('sel', `${s.sel.from}-${s.sel.to}`);
  if (s.limit) q.set('limit', String(s.limit));
  return q.toString();
}

/** The API's query for a state (the same keys; the limit always explicit). */
export function eventsApiParams(s: EventsUrlState): Record<string, string> {
  const p: Record<string, string> = { from: s.from, to: s.to };
  for (const [k, v] of filterEntries(s.filter)) p[k] = v;
  if (s.group) p.group = 'object';
  if (s.sel) p.sel = `${s.sel.from}-${s.sel.to}`;
  p.limit = String(s.limit ?? DEFAULT_LIMIT);
  return p;
}

/** The events page of a cluster for one minute (or any span), e.g. from the timeline's crosshair. */
export function eventsHref(clusterId: string, range: { from: number; to: number }, filter: EventFilter = {}): string {
  const pad = 5 * 60_000;
  const from = Math.floor(range.from / 60_000) * 60_000;
  const to = Math.ceil(range.to / 60_000) * 60_000;
  const s: EventsUrlState = { from: String(from - pad), to: String(to + pad), filter, group: false, sel: { from, to: Math.max(to, from + 60_000) } };
  return `/clusters/${encodeURIComponent(clusterId)}/events?${eventsSearch(s)}`;
}
