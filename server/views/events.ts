import 'server-only';
import type { EventFilter } from '@/lib/events/filter';
import { detectStorms, STORM_SPECS } from '@/lib/events/storms';
import { buildStrip, stripStep } from '@/lib/events/strip';
import type { EventsResult } from '@/lib/events/types';
import { resolveRange } from '@/lib/timeline/time-range';
import type { ClusterEntry, Runtime } from '../runtime';
import { clusterNow } from './timeline';

export interface EventsQuery {
  from?: string;
  to?: string;
  filter: EventFilter;
  limit: number;
  group: 'none' | 'object';
  /** A part of the range picked in the strip (ms); rows and groups are limited to it. */
  sel?: { from: number; to: number };
}

export const DEFAULT_EVENT_LIMIT = 5_000;
const STORM_REASONS: ReadonlySet<string> = new Set(STORM_SPECS.map((s) => s.reason));

/**
 * The events archive for one range and filter: rows (newest first) or groups by involved object,
 * the strip, the facets and the detected storms, all from the store (live and bundle alike).
 * Throws RangeError for an unreadable range or a selection outside it (the route answers 400).
 */
export function events(rt: Runtime, entry: ClusterEntry, q: EventsQuery): EventsResult {
  const started = performance.now();
  const now = clusterNow(entry);
  const { from, to } = resolveRange(q.from, q.to, now);
  const store = rt.store.events;
  const scope = { from, to, filter: q.filter };
  let selection: EventsResult['selection'] = null;
  if (q.sel) {
    if (q.sel.from >= q.sel.to) throw new RangeError('the selection must end after it starts');
    const s = { from: Math.max(from, q.sel.from), to: Math.min(to, q.sel.to) };
    if (s.from >= s.to) throw new RangeError('the selection is outside the range');
    selection = s;
  }
  // `to` is inclusive in the store; a selection [from, to) is a half-open minute.
  const listScope = selection ? { ...scope, from: selection.from, to: selection.to - 1 } : scope;
  const step = stripStep(from, to);
  // Free text: one pass evaluates LIKE once per row (and only matches reach JS). Without it, SQLite's
  // GROUP BYs over the covering index beat streaming every row of the range into JS (~3× on 100k;
  // scripts/bench/suites/events.ts).
  const agg = q.filter.q
    ? store.aggregate(entry.id, scope, step, STORM_REASONS)
    : { total: undefined, buckets: store.bucketCounts(entry.id, scope, step), minutes: store.minuteCounts(entry.id, scope, [...STORM_REASONS]), facets: store.facets(entry.id, scope) };
  const strip = buildStrip(agg.buckets, from, to, step);
  const storms = detectStorms(agg.minutes);
  let rows: EventsResult['rows'] = [];
  let groups: EventsResult['groups'] = null;
  let total: number;
  if (q.group === 'object') {
    const g = store.groups(entry.id, listScope, q.limit);
    groups = g.groups;
    total = g.total;
  } else {
    // Without a selection the aggregate already counted the matches.
    const r = store.rows(entry.id, listScope, q.limit, selection ? undefined : agg.total);
    rows = r.rows;
    total = r.total;
  }
  const shown = groups ? groups.length : rows.length;
  return {
    cluster: entry.id, now, from, to, selection, order: 'last-seen-desc', rows, groups, total, truncated: shown < total,
    strip, facets: agg.facets, storms, archived: store.count(entry.id), tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
