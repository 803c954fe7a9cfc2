/**
 * Reading `kubectl get events -o json` (a List of core/v1 or events.k8s.io/v1 Events), a JSON array
 * or JSON lines (a bundle's events.jsonl, a watch's output), and summarising it: what the CLI prints.
 * Pure: the caller reads (and gunzips) the file.
 */
import { normalizeEvent, type NormalizedEvent } from '../parse/events';
import { groupByObject, type ObjectGroup } from './group';
import { redactEvent } from './redact';
import { detectStorms, minuteOf, STORM_SPECS, type MinuteCount, type Storm } from './storms';

export class EventsInputError extends Error {
  override readonly name = 'EventsInputError';
}

/** The raw items of a List, an array, one Event, or JSON lines (watch lines `{type, object}` too). */
export function parseEventsInput(text: string): unknown[] {
  const t = text.trim();
  if (!t) return [];
  const unwrap = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.items)) return o.items;
      if (o.object && typeof o.object === 'object' && typeof o.type === 'string') return [o.object];
      return [o];
    }
    throw new EventsInputError('expected a JSON object, a List with items, an array, or JSON lines');
  };
  try {
    return unwrap(JSON.parse(t));
  } catch (e) {
    if (e instanceof EventsInputError) throw e;
  }
  const out: unknown[] = [];
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let v: unknown;
    try { v = JSON.parse(line); } catch { throw new EventsInputError(`line ${i + 1}: not JSON (expected a List, an array, or one Event per line)`); }
    out.push(...unwrap(v));
  }
  return out;
}

export interface ReasonCount { type: string; reason: string; events: number; occurrences: number }

export interface EventsSummary {
  /** Distinct events (by uid). */
  total: number;
  /** Items with the uid of an earlier one (the same event from both APIs, or a later version); the newest kept. */
  duplicates: number;
  /** Items that are not Events (no metadata.uid). */
  invalid: number;
  apis: Record<string, number>;
  first: number | null;
  last: number | null;
  byType: Array<{ type: string; events: number; occurrences: number }>;
  byReason: ReasonCount[];
  storms: Storm[];
  topObjects: ObjectGroup[];
  /** Every distinct event, oldest first (by last seen), Secret messages masked. */
  events: NormalizedEvent[];
}

const newer = (a: NormalizedEvent, b: NormalizedEvent) => a.lastTimestamp > b.lastTimestamp || (a.lastTimestamp === b.lastTimestamp && a.count > b.count);

export function summarizeEvents(items: readonly unknown[], o: { topObjects?: number } = {}): EventsSummary {
  const byUid = new Map<string, NormalizedEvent>();
  let invalid = 0;
  let duplicates = 0;
  for (const raw of items) {
    const e = normalizeEvent(raw);
    if (!e) { invalid++; continue; }
    const prev = byUid.get(e.uid);
    if (prev) { duplicates++; if (!newer(e, prev)) continue; }
    byUid.set(e.uid, e);
  }
  const events = [...byUid.values()].sort((a, b) => a.lastTimestamp - b.lastTimestamp || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)).map(redactEvent);
  const apis: Record<string, number> = {};
  const types = new Map<string, { type: string; events: number; occurrences: number }>();
  const reasons = new Map<string, ReasonCount>();
  const minutes = new Map<string, MinuteCount>();
  const stormReasons = new Set(STORM_SPECS.map((s) => s.reason));
  for (const e of events) {
    apis[e.api] = (apis[e.api] ?? 0) + 1;
    const t = types.get(e.type) ?? { type: e.type, events: 0, occurrences: 0 };
    t.events++; t.occurrences += e.count; types.set(e.type, t);
    const rk = `${e.type}\u0000${e.reason}`;
    const r = reasons.get(rk) ?? { type: e.type, reason: e.reason, events: 0, occurrences: 0 };
    r.events++; r.occurrences += e.count; reasons.set(rk, r);
    if (stormReasons.has(e.reason)) {
      const object = `${e.object.namespace}/${e.object.name}`;
      const mk = `${minuteOf(e.lastTimestamp)}\u0000${e.reason}\u0000${e.object.kind}\u0000${object}`;
      const m = minutes.get(mk) ?? { minute: minuteOf(e.lastTimestamp), reason: e.reason, kind: e.object.kind, object, n: 0 };
      m.n++; minutes.set(mk, m);
    }
  }
  const byCount = <T extends { events: number }>(a: T, b: T) => b.events - a.events;
  return {
    total: events.length, duplicates, invalid, apis,
    first: events.length ? events.reduce((m, e) => Math.min(m, e.firstTimestamp), Infinity) : null,
    last: events.length ? events[events.length - 1]!.lastTimestamp : null,
    byType: [...types.values()].sort((a, b) => byCount(a, b) || a.type.localeCompare(b.type)),
    byReason: [...reasons.values()].sort((a, b) => byCount(a, b) || b.occurrences - a.occurrences || a.reason.localeCompare(b.reason)),
    storms: detectStorms(minutes.values()),
    topObjects: groupByObject(events).sort((a, b) => b.events - a.events || b.occurrences - a.occurrences || b.lastTimestamp - a.lastTimestamp).slice(0, o.topObjects ?? 10),
    events,
  };
}
