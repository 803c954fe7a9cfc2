import type { ObjectGroup } from './group';
import type { Storm } from './storms';
import type { EventStrip } from './strip';

/** One archived event as the API returns it (the message already masked: lib/events/redact). */
export interface EventRow {
  uid: string;
  api: string;
  type: string;
  reason: string;
  object: { kind: string; namespace: string; name: string };
  message: string;
  component: string;
  count: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

export interface FacetValue { value: string; n: number }
export interface EventFacets {
  namespace: FacetValue[];
  kind: FacetValue[];
  reason: FacetValue[];
  type: FacetValue[];
  component: FacetValue[];
}
export const FACET_KEYS = ['namespace', 'kind', 'reason', 'type', 'component'] as const;
/** At most this many values per facet (the most frequent). */
export const MAX_FACET_VALUES = 200;

/** The answer of GET /api/clusters/[cluster]/events. */
export interface EventsResult {
  cluster: string;
  now: number;
  from: number;
  to: number;
  /** The minute(s) picked in the strip, when any: rows and groups are limited to it, the strip is not. */
  selection: { from: number; to: number } | null;
  /** Rows are newest first (last seen, descending). */
  order: 'last-seen-desc';
  rows: EventRow[];
  /** With group=object: one row per involved object instead of `rows` (which is then empty). */
  groups: ObjectGroup[] | null;
  /** Events (or groups) matching, before `limit`. */
  total: number;
  truncated: boolean;
  strip: EventStrip;
  facets: EventFacets;
  storms: Storm[];
  /** Events in the whole archive of this cluster (any time), so an empty range is not mistaken for an empty archive. */
  archived: number;
  /** Milliseconds the store took to answer. */
  tookMs: number;
}
