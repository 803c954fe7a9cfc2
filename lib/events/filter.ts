/**
 * The events filter: one model for the API (zod query → SQL), the page (URL state) and the CLI
 * (in-memory matching). Every field is an exact match except `q`, a case-insensitive substring of
 * the message or the involved object's name (what an operator pastes from a log line).
 */
export interface EventFilter {
  namespace?: string;
  kind?: string;
  name?: string;
  reason?: string;
  /** Normal | Warning (anything a controller writes is kept, but these are the two the API defines). */
  type?: string;
  /** source.component, else reportingComponent / reportingController (lib/parse/events). */
  component?: string;
  q?: string;
}

export const FILTER_KEYS = ['namespace', 'kind', 'name', 'reason', 'type', 'component', 'q'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Longest value accepted for any filter field (Kubernetes names are ≤ 253; reasons ≤ 128). */
export const MAX_FILTER_LENGTH = 256;

/** The fields of an event the filter reads. */
export interface FilterableEvent {
  object: { kind: string; namespace: string; name: string };
  namespace?: string;
  reason: string;
  type: string;
  component: string;
  message: string;
}

/** Reads a filter from any key → value getter (URL search params, a zod-parsed query); drops blanks and overlong values. */
export function readFilter(get: (key: string) => string | null | undefined): EventFilter {
  const f: EventFilter = {};
  for (const k of FILTER_KEYS) {
    const v = get(k)?.trim();
    if (v && v.length <= MAX_FILTER_LENGTH) f[k] = v;
  }
  return f;
}

/** The filter as query-string pairs, keys in a fixed order (links compare equal). */
export function filterEntries(f: EventFilter): Array<[FilterKey, string]> {
  return FILTER_KEYS.flatMap((k) => (f[k] ? [[k, f[k]!] as [FilterKey, string]] : []));
}

export function isEmptyFilter(f: EventFilter): boolean {
  return filterEntries(f).length === 0;
}

/** The namespace an event is about: the involved object's, else the Event's own (cluster-scoped objects have none). */
export function eventNamespace(e: FilterableEvent): string {
  return e.object.namespace || e.namespace || '';
}

export function matchesFilter(e: FilterableEvent, f: EventFilter): boolean {
  if (f.namespace !== undefined && eventNamespace(e) !== f.namespace) return false;
  if (f.kind !== undefined && e.object.kind !== f.kind) return false;
  if (f.name !== undefined && e.object.name !== f.name) return false;
  if (f.reason !== undefined && e.reason !== f.reason) return false;
  if (f.type !== undefined && e.type !== f.type) return false;
  if (f.component !== undefined && e.component !== f.component) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!e.message.toLowerCase().includes(q) && !e.object.name.toLowerCase().includes(q)) return false;
  }
  return true;
}
