/**
 * The timeline's state, all of it in the URL (as in Grafana), so a link pasted into the war-room
 * channel reproduces the view: `?from=now-1h&to=now&refresh=15s&panel=etcd-db-size&run=12`.
 * Times are the expressions of lib/timeline/time-range.ts: `now-15m`, epoch ms, or ISO 8601.
 */
import { formatUtcRange } from '@/lib/format/time';
import { QUICK_RANGES } from '@/lib/timeline/time-range';

export const DEFAULT_FROM = 'now-1h';
export const DEFAULT_TO = 'now';

export const REFRESH_OPTIONS = ['off', '5s', '15s', '1m'] as const;
export type RefreshOption = (typeof REFRESH_OPTIONS)[number];
export const REFRESH_MS: Record<RefreshOption, number> = { off: 0, '5s': 5_000, '15s': 15_000, '1m': 60_000 };

export interface TimelineUrlState {
  from: string;
  to: string;
  /** Unset: the default for the cluster (15 s when live, off for a bundle). */
  refresh?: RefreshOption;
  /** A panel to bring into view and outline. */
  panel?: string;
  /** Only this incident's annotations on the charts (a link from its war room). */
  incident?: string;
  /** A runbook run whose wizard is shown beside the charts (its steps while watching the charts). */
  run?: number;
  /** The objects panel as small multiples (one chart per resource, each on its own scale) rather than lines. */
  objects?: 'multiples';
}

/**
 * Reads the state from search params; anything unreadable falls back to the default (the last
 * hour, or for a bundle its whole capture: see `defaultRange`).
 */
export function readTimelineParams(get: (key: string) => string | null | undefined, defaults: { from: string; to: string } = { from: DEFAULT_FROM, to: DEFAULT_TO }): TimelineUrlState {
  const time = (k: string, d: string) => {
    const v = get(k)?.trim();
    return v && v.length <= 40 ? v : d;
  };
  const refresh = get('refresh');
  const panel = get('panel');
  const incident = get('incident');
  const run = get('run');
  const objects = get('objects');
  return {
    from: time('from', defaults.from),
    to: time('to', defaults.to),
    ...(refresh && (REFRESH_OPTIONS as readonly string[]).includes(refresh) ? { refresh: refresh as RefreshOption } : {}),
    ...(panel && /^[a-z0-9-]{1,60}$/.test(panel) ? { panel } : {}),
    ...(incident && /^[a-z0-9]{4,40}$/.test(incident) ? { incident } : {}),
    // Run ids are SQLite rowids: positive integers (the runbooks page reads `?run=` the same way).
    ...(run && /^[1-9]\d{0,14}$/.test(run) ? { run: Number(run) } : {}),
    ...(objects === 'multiples' ? { objects } : {}),
  };
}

/** The query string of a state, keys always in the same order (links compare equal). */
export function timelineSearch(s: TimelineUrlState): string {
  const q = new URLSearchParams({ from: s.from, to: s.to });
  if (s.refresh) q.set('refresh', s.refresh);
  if (s.panel) q.set('panel', s.panel);
  if (s.incident) q.set('incident', s.incident);
  if (s.run !== undefined) q.set('run', String(s.run));
  if (s.objects) q.set('objects', s.objects);
  return q.toString();
}

/**
 * The timeline with run `run`'s wizard beside the charts. `carried` is a timeline query to keep
 * (range, panel, incident: the view the operator came from); without one the timeline opens on its
 * default range, which for a bundle is its capture rather than the last hour.
 */
export function runBesideTimelineHref(clusterId: string, run: number, carried?: string): string {
  const p = new URLSearchParams(carried ?? '');
  const q = new URLSearchParams(timelineSearch({ ...readTimelineParams((k) => p.get(k)), run }));
  if (!p.has('from') && !p.has('to')) { q.delete('from'); q.delete('to'); }
  return `/clusters/${encodeURIComponent(clusterId)}/timeline?${q}`;
}

/**
 * The range shown when the URL names none: the last hour of a live cluster; a bundle's whole
 * capture (a minute of margin before it), since an hour before its end is mostly empty.
 */
export function defaultRange(bundle?: { from: number; to: number }): { from: string; to: string } {
  if (!bundle || !(bundle.to > bundle.from)) return { from: DEFAULT_FROM, to: DEFAULT_TO };
  const span = bundle.to - bundle.from;
  return { from: String(Math.floor(bundle.from - Math.min(60_000, span / 20))), to: DEFAULT_TO };
}

export function defaultRefresh(kind: 'live' | 'bundle'): RefreshOption {
  return kind === 'live' ? '15s' : 'off';
}

export function isAbsoluteTime(expr: string): boolean {
  return /^\d{10,16}$/.test(expr);
}

const UNITS: Array<[string, number]> = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];

/** `now-<span>` in the largest unit that divides the span exactly: now-2h, now-30m, now-90s. */
export function relativeFrom(spanMs: number): string {
  const ms = Math.max(1000, Math.round(spanMs / 1000) * 1000);
  for (const [u, size] of UNITS) if (ms % size === 0) return `now-${ms / size}${u}`;
  return `now-${ms / 1000}s`;
}

const MAX_SPAN = 90 * 86_400_000;

/**
 * Twice the span around the same centre. A range ending now stays relative (now-1h → now-2h);
 * an absolute one stays absolute and never reaches past now.
 */
export function zoomOut(resolved: { from: number; to: number }, exprs: { from: string; to: string }, now: number): { from: string; to: string } {
  const span = Math.min(MAX_SPAN / 2, Math.max(1000, resolved.to - resolved.from));
  if (exprs.to === 'now') return { from: relativeFrom(2 * span), to: 'now' };
  const centre = (resolved.from + resolved.to) / 2;
  const to = Math.min(now, Math.round(centre + span));
  return { from: String(Math.round(to - 2 * span)), to: String(to) };
}

/** The range selected by dragging across a chart, as absolute ms; null for a click or a tiny drag. */
export function dragRange(a: number, b: number, minSpanMs = 2_000): { from: string; to: string } | null {
  const from = Math.round(Math.min(a, b));
  const to = Math.round(Math.max(a, b));
  return to - from < minSpanMs ? null : { from: String(from), to: String(to) };
}

const UNIT_NAMES: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };

/** "Last 1 hour" for a quick range, "Last 30 minutes" for any now-relative one, else the resolved range in UTC. */
export function rangeLabel(exprs: { from: string; to: string }, resolved: { from: number; to: number }): string {
  if (exprs.to !== 'now') return formatUtcRange(resolved.from, resolved.to);
  const quick = QUICK_RANGES.find((r) => r.from === exprs.from);
  if (quick) return quick.label;
  const rel = /^now-(\d+)([smhdw])$/.exec(exprs.from);
  if (rel) return `Last ${rel[1]} ${UNIT_NAMES[rel[2]!]}${rel[1] === '1' ? '' : 's'}`;
  return formatUtcRange(resolved.from, resolved.to);
}

/** A datetime-local input's value for a UTC instant: "2026-11-23T01:53:25". */
export function toUtcInput(t: number): string {
  return new Date(t).toISOString().slice(0, 19);
}

/** A datetime-local input's value read as UTC (the inputs are labelled UTC); null when unreadable. */
export function fromUtcInput(v: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return null;
  const t = Date.parse(`${v}Z`);
  return Number.isNaN(t) ? null : t;
}
