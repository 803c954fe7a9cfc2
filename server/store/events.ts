import 'server-only';
import type { EventActivity } from '@/lib/detectors/types';
import type { EventFilter } from '@/lib/events/filter';
import type { ObjectGroup } from '@/lib/events/group';
import { maskedMessage } from '@/lib/events/redact';
import { newOccurrences } from '@/lib/events/occurrences';
import type { MinuteCount } from '@/lib/events/storms';
import type { BucketCount } from '@/lib/events/strip';
import { FACET_KEYS, MAX_FACET_VALUES, type EventFacets, type EventRow } from '@/lib/events/types';
import type { NormalizedEvent } from '@/lib/parse/events';
import type { DB } from './db';

export interface EventQuery {
  from: number;
  to: number;
  limit: number;
  namespace?: string;
  kind?: string;
  name?: string;
  reason?: string;
  type?: string;
  component?: string;
  text?: string;
}

/** A range and a filter: what every archive query below starts from. `to` is inclusive. */
export interface EventScope { from: number; to: number; filter: EventFilter }

type Params = Record<string, string | number>;
const COLUMNS = { namespace: 'namespace', kind: 'kind', name: 'name', reason: 'reason', type: 'type', component: 'component' } as const;
export const MAX_EVENT_ROWS = 100_000;

/** `%text%` for LIKE, with LIKE's own wildcards escaped. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of a scope; `omit` leaves one filter out (a facet counts every value of its own dimension). */
function whereOf(cluster: string, s: EventScope, omit?: keyof EventFilter): { sql: string; p: Params } {
  const where = ['cluster_id = @cluster', 'last_ts BETWEEN @from AND @to'];
  const p: Params = { cluster, from: s.from, to: s.to };
  for (const k of Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>) {
    const v = s.filter[k];
    if (v === undefined || k === omit) continue;
    where.push(`${COLUMNS[k]} = @f_${k}`);
    p[`f_${k}`] = v;
  }
  if (s.filter.q && omit !== 'q') {
    // A Secret's event message is never shown (lib/events/redact), so it must not be searchable either:
    // a match would reveal what the masked text contains.
    where.push("(name LIKE @q ESCAPE '\\' OR (kind <> 'Secret' AND message LIKE @q ESCAPE '\\'))");
    p.q = likePattern(s.filter.q);
  }
  return { sql: where.join(' AND '), p };
}

interface RowRecord {
  uid: string; api: string; type: string; reason: string; kind: string; namespace: string; name: string;
  message: string; component: string; count: number; first_ts: number; last_ts: number;
}

function toRow(r: RowRecord): EventRow {
  const object = { kind: r.kind, namespace: r.namespace, name: r.name };
  return {
    uid: r.uid, api: r.api, type: r.type, reason: r.reason, object, message: maskedMessage({ object, message: r.message }),
    component: r.component, count: r.count, firstTimestamp: r.first_ts, lastTimestamp: r.last_ts,
  };
}

/** The events archive: deduplicated by uid, keeping the latest count and last-seen time. */
export class EventStore {
  private readonly upsert;
  private readonly prior;
  private readonly bump;

  constructor(private readonly db: DB) {
    this.prior = db.prepare<[string, string], { count: number; lastTimestamp: number }>('SELECT count, last_ts AS lastTimestamp FROM events WHERE cluster_id = ? AND uid = ?');
    this.bump = db.prepare(`
      INSERT INTO event_occurrences (cluster_id, t, reason, kind, type, namespace, n) VALUES (@cluster, @t, @reason, @kind, @type, @namespace, @n)
      ON CONFLICT(cluster_id, t, reason, kind, type, namespace) DO UPDATE SET n = n + excluded.n`);
    this.upsert = db.prepare(`
      INSERT INTO events (cluster_id, uid, api, namespace, kind, name, reason, type, component, message, first_ts, last_ts, count, resource_version, body)
      VALUES (@cluster, @uid, @api, @namespace, @kind, @name, @reason, @type, @component, @message, @first, @last, @count, @rv, @body)
      ON CONFLICT(cluster_id, uid) DO UPDATE SET
        count = MAX(events.count, excluded.count),
        last_ts = MAX(events.last_ts, excluded.last_ts),
        first_ts = MIN(events.first_ts, excluded.first_ts),
        message = excluded.message,
        resource_version = excluded.resource_version,
        body = excluded.body
      WHERE excluded.last_ts >= events.last_ts OR excluded.count > events.count`);
  }

  /**
   * Stores a batch in one transaction (an event storm costs one commit per batch, not per event),
   * and the occurrences each event adds (lib/events/occurrences: a repeat adds its rise
   * in count, a copy already kept adds nothing).
   */
  put(cluster: string, events: NormalizedEvent[]): void {
    this.db.transaction(() => {
      for (const e of events) {
        const namespace = e.object.namespace || e.namespace;
        const before = this.prior.get(cluster, e.uid);
        this.upsert.run({
          cluster, uid: e.uid, api: e.api, namespace, kind: e.object.kind, name: e.object.name,
          reason: e.reason, type: e.type, component: e.component, message: e.message,
          first: e.firstTimestamp, last: e.lastTimestamp, count: e.count, rv: e.resourceVersion, body: JSON.stringify(e),
        });
        for (const [t, n] of newOccurrences(before, e)) {
          this.bump.run({ cluster, t, reason: e.reason, kind: e.object.kind, type: e.type, namespace, n });
        }
      }
    })();
  }

  /**
   * Occurrences in [from, to] per minute, and the largest (reason, kind, type, namespace) groups by
   * occurrences: the event-storm detector's input.
   */
  occurrences(cluster: string, from: number, to: number): EventActivity {
    const perMinute = this.db.prepare<[string, number, number], { t: number; v: number }>(
      'SELECT (t / 60000) * 60000 AS t, SUM(n) AS v FROM event_occurrences WHERE cluster_id = ? AND t BETWEEN ? AND ? GROUP BY 1 ORDER BY 1',
    ).all(cluster, from, to);
    const top = this.db.prepare<[string, number, number], { reason: string; kind: string; type: string; namespace: string; count: number }>(
      `SELECT reason, kind, type, namespace, SUM(n) AS count FROM event_occurrences WHERE cluster_id = ? AND t BETWEEN ? AND ?
       GROUP BY reason, kind, type, namespace ORDER BY count DESC, reason, kind, namespace LIMIT 5`,
    ).all(cluster, from, to);
    return { perMinute, top };
  }

  /** Whole normalised events, oldest first (bundle export and tests). Messages are as stored: callers that show them mask them. */
  query(cluster: string, q: EventQuery): NormalizedEvent[] {
    const { text, from, to, limit, ...rest } = q;
    const { sql, p } = whereOf(cluster, { from, to, filter: { ...rest, ...(text ? { q: text } : {}) } });
    p.limit = Math.min(MAX_EVENT_ROWS, Math.max(1, limit));
    return this.db.prepare<Params, { body: string }>(`SELECT body FROM events WHERE ${sql} ORDER BY last_ts ASC, uid LIMIT @limit`)
      .all(p).map((r) => JSON.parse(r.body) as NormalizedEvent);
  }

  /** Matching rows, newest first (ties by uid, so pages are stable), and how many match in all. */
  rows(cluster: string, s: EventScope, limit: number, knownTotal?: number): { rows: EventRow[]; total: number } {
    const { sql, p } = whereOf(cluster, s);
    const total = knownTotal ?? this.db.prepare<Params, { n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${sql}`).get(p)!.n;
    if (limit <= 0 || total === 0) return { rows: [], total };
    const rows = this.db.prepare<Params, RowRecord>(`
      SELECT uid, api, type, reason, kind, namespace, name, message, component, count, first_ts, last_ts
      FROM events WHERE ${sql} ORDER BY last_ts DESC, uid LIMIT @limit`).all({ ...p, limit: Math.min(MAX_EVENT_ROWS, limit) });
    return { rows: rows.map(toRow), total };
  }

  /** One group per involved object, the most recently active first, and how many objects match. */
  groups(cluster: string, s: EventScope, limit: number): { groups: ObjectGroup[]; total: number } {
    const { sql, p } = whereOf(cluster, s);
    const total = this.db.prepare<Params, { n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE ${sql} GROUP BY kind, namespace, name)`).get(p)!.n;
    if (limit <= 0 || total === 0) return { groups: [], total };
    const rows = this.db.prepare<Params, { kind: string; namespace: string; name: string; events: number; occurrences: number; warnings: number; first: number; last: number }>(`
      SELECT kind, namespace, name, COUNT(*) AS events, SUM(count) AS occurrences, SUM(type = 'Warning') AS warnings,
        MIN(first_ts) AS first, MAX(last_ts) AS last
      FROM events WHERE ${sql} GROUP BY kind, namespace, name
      ORDER BY last DESC, events DESC, kind, namespace, name LIMIT @limit`).all({ ...p, limit: Math.min(MAX_EVENT_ROWS, limit) });
    // Top reasons per listed object, in one pass over their events.
    const reasons = new Map<string, Map<string, number>>();
    const key = (k: string, ns: string, n: string) => `${k}\u0000${ns}\u0000${n}`;
    for (const r of rows) reasons.set(key(r.kind, r.namespace, r.name), new Map());
    if (rows.length <= 5_000) {
      const per = this.db.prepare<Params, { kind: string; namespace: string; name: string; reason: string; n: number }>(`
        SELECT kind, namespace, name, reason, COUNT(*) AS n FROM events WHERE ${sql} GROUP BY kind, namespace, name, reason`).all(p);
      for (const r of per) reasons.get(key(r.kind, r.namespace, r.name))?.set(r.reason, r.n);
    }
    const groups = rows.map((r) => ({
      kind: r.kind, namespace: r.namespace, name: r.name, events: r.events, occurrences: r.occurrences, warnings: r.warnings,
      firstTimestamp: r.first, lastTimestamp: r.last,
      reasons: [...(reasons.get(key(r.kind, r.namespace, r.name)) ?? [])].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([x]) => x),
    }));
    return { groups, total };
  }

  /** Counts per time bucket (aligned on `step`), type and reason: the strip's input (lib/events/strip). */
  bucketCounts(cluster: string, s: EventScope, step: number): BucketCount[] {
    const { sql, p } = whereOf(cluster, s);
    return this.db.prepare<Params, BucketCount>(`
      SELECT (last_ts / CAST(@step AS INTEGER)) * CAST(@step AS INTEGER) AS t, type, reason, COUNT(*) AS n, SUM(count) AS occurrences
      FROM events WHERE ${sql} GROUP BY 1, type, reason`).all({ ...p, step: Math.max(1, Math.floor(step)) });
  }

  /** Per-minute counts of the given reasons by involved object: the storm detector's input (lib/events/storms). */
  minuteCounts(cluster: string, s: EventScope, reasons: readonly string[]): MinuteCount[] {
    if (!reasons.length) return [];
    const { sql, p } = whereOf(cluster, s);
    const names = reasons.map((_, i) => `@r${i}`);
    reasons.forEach((r, i) => { p[`r${i}`] = r; });
    return this.db.prepare<Params, MinuteCount>(`
      SELECT (last_ts / 60000) * 60000 AS minute, reason, kind, namespace || '/' || name AS object, COUNT(*) AS n
      FROM events WHERE ${sql} AND reason IN (${names.join(', ')}) GROUP BY 1, reason, kind, namespace, name`).all(p);
  }

  /** Values of each filterable dimension with their counts, under every other filter (faceted search). */
  facets(cluster: string, s: EventScope): EventFacets {
    const out = {} as EventFacets;
    for (const k of FACET_KEYS) {
      const { sql, p } = whereOf(cluster, s, k);
      out[k] = this.db.prepare<Params, { value: string; n: number }>(`
        SELECT ${COLUMNS[k]} AS value, COUNT(*) AS n FROM events WHERE ${sql} GROUP BY 1 ORDER BY n DESC, value LIMIT ${MAX_FACET_VALUES}`).all(p);
    }
    return out;
  }

  /**
   * Everything the events page aggregates, in one pass over the range (and the free text, evaluated
   * once per row; the view uses it for free-text queries, where only matches reach JS): the total under the filter, the strip's bucket counts, the storm detector's
   * per-minute object counts, and the facets (each under every filter but its own). Rows stream
   * from the covering index; only the aggregates are held, so memory does not grow with the range.
   */
  aggregate(cluster: string, s: EventScope, step: number, stormReasons: ReadonlySet<string>): { total: number; buckets: BucketCount[]; minutes: MinuteCount[]; facets: EventFacets } {
    const { sql, p } = whereOf(cluster, { from: s.from, to: s.to, filter: s.filter.q ? { q: s.filter.q } : {} });
    const f = s.filter;
    const want = [f.type, f.reason, f.kind, f.namespace, f.name, f.component] as const;
    const buckets = new Map<string, BucketCount>();
    const minutes = new Map<string, MinuteCount>();
    const facetMaps = FACET_KEYS.map(() => new Map<string, number>());
    // Column order of the iteration below, and which FACET_KEYS entry each facet reads.
    const facetCol = FACET_KEYS.map((k) => ({ type: 0, reason: 1, kind: 2, namespace: 3, component: 5 })[k]);
    const stmt = this.db.prepare<Params, [number, string, string, string, string, string, string, number]>(
      `SELECT last_ts, type, reason, kind, namespace, name, component, count FROM events WHERE ${sql}`).raw(true);
    const st = Math.max(1, Math.floor(step));
    let total = 0;
    const miss: boolean[] = [false, false, false, false, false, false];
    for (const r of stmt.iterate(p)) {
      let misses = 0;
      for (let i = 0; i < 6; i++) { const w = want[i]; miss[i] = w !== undefined && r[i + 1] !== w; if (miss[i]) misses++; }
      // Facet of column c: counted when every other filter matches.
      for (let k = 0; k < facetCol.length; k++) {
        const c = facetCol[k]!;
        if (misses === 0 || (misses === 1 && miss[c])) { const m = facetMaps[k]!; const v = r[c + 1] as string; m.set(v, (m.get(v) ?? 0) + 1); }
      }
      if (misses) continue;
      total++;
      const [t, type, reason, kind, namespace, name, , count] = r;
      const b = Math.floor(t / st) * st;
      const bk = `${b}\u0000${type}\u0000${reason}`;
      const bc = buckets.get(bk);
      if (bc) { bc.n++; bc.occurrences += count; } else buckets.set(bk, { t: b, type, reason, n: 1, occurrences: count });
      if (stormReasons.has(reason)) {
        const minute = Math.floor(t / 60_000) * 60_000;
        const object = `${namespace}/${name}`;
        const mk = `${minute}\u0000${reason}\u0000${kind}\u0000${object}`;
        const mc = minutes.get(mk);
        if (mc) mc.n++; else minutes.set(mk, { minute, reason, kind, object, n: 1 });
      }
    }
    const facets = {} as EventFacets;
    FACET_KEYS.forEach((k, i) => {
      facets[k] = [...facetMaps[i]!].map(([value, n]) => ({ value, n })).sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, MAX_FACET_VALUES);
    });
    return { total, buckets: [...buckets.values()], minutes: [...minutes.values()], facets };
  }

  count(cluster: string): number {
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE cluster_id = ?').get(cluster)!.n;
  }
}
