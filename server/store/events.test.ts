import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '@/lib/events/redact';
import type { NormalizedEvent } from '@/lib/parse/events';
import { MIGRATIONS } from './migrations';
import { Store } from './store';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const M = 60_000;

function ev(uid: string, o: Partial<NormalizedEvent> & { kind?: string; ns?: string; obj?: string } = {}): NormalizedEvent {
  return {
    uid, api: 'core/v1', namespace: o.ns ?? 'shop', name: `${uid}.x`, resourceVersion: '1',
    object: { kind: o.kind ?? 'Pod', namespace: o.ns ?? 'shop', name: o.obj ?? `pod-${uid}` },
    reason: o.reason ?? 'BackOff', type: o.type ?? 'Warning', message: o.message ?? 'Back-off restarting failed container',
    component: o.component ?? 'kubelet', host: '', firstTimestamp: o.firstTimestamp ?? o.lastTimestamp ?? T0, lastTimestamp: o.lastTimestamp ?? T0, count: o.count ?? 1,
  };
}

function seeded(): Store {
  const s = Store.memory();
  s.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
  s.events.put('c', [
    ev('a', { lastTimestamp: T0 + M, count: 4 }),
    ev('b', { lastTimestamp: T0 + 2 * M, reason: 'FailedScheduling', component: 'default-scheduler', message: 'no nodes available to schedule pods' }),
    ev('c', { lastTimestamp: T0 + 2 * M, reason: 'Pulled', type: 'Normal', obj: 'pod-a' }),
    ev('d', { lastTimestamp: T0 + 3 * M, kind: 'Secret', obj: 'db-creds', reason: 'FailedDecode', message: 'bad value hunter2 in key password' }),
    ev('e', { lastTimestamp: T0 + 4 * M, kind: 'Node', ns: '', obj: 'node-1', reason: 'NodeNotReady', type: 'Normal', component: 'node-controller', message: 'Node node-1 status is now: NodeNotReady' }),
  ]);
  return s;
}

const scope = (filter = {}) => ({ from: T0, to: T0 + 10 * M, filter });

describe('EventStore', () => {
  it('keeps one row per uid with the newest count and last-seen time, whatever the arrival order', () => {
    const s = seeded();
    s.events.put('c', [ev('a', { lastTimestamp: T0 + 5 * M, count: 9 })]);
    s.events.put('c', [ev('a', { lastTimestamp: T0 + 2 * M, count: 5 })]); // a stale copy (the other API, a relist)
    const [a] = s.events.rows('c', scope({ name: 'pod-a', reason: 'BackOff' }), 10).rows;
    expect(a).toMatchObject({ uid: 'a', count: 9, lastTimestamp: T0 + 5 * M, firstTimestamp: T0 + M });
    expect(s.events.count('c')).toBe(5);
  });

  it('returns rows newest first, the total before the limit, and masks Secret messages', () => {
    const s = seeded();
    const r = s.events.rows('c', scope(), 3);
    expect(r.total).toBe(5);
    expect(r.rows.map((x) => x.uid)).toEqual(['e', 'd', 'b']);
    expect(r.rows[1]!.message).toBe(MASKED_MESSAGE);
    expect(JSON.stringify(s.events.rows('c', scope(), 10))).not.toContain('hunter2');
  });

  it('filters by each field; free text searches names and messages, never a Secret event\'s message', () => {
    const s = seeded();
    const uids = (f: object) => s.events.rows('c', scope(f), 100).rows.map((x) => x.uid).sort();
    expect(uids({ reason: 'FailedScheduling' })).toEqual(['b']);
    expect(uids({ type: 'Normal' })).toEqual(['c', 'e']);
    expect(uids({ component: 'node-controller', kind: 'Node' })).toEqual(['e']);
    expect(uids({ namespace: 'shop', name: 'pod-a' })).toEqual(['a', 'c']);
    expect(uids({ q: 'NO NODES' })).toEqual(['b']);
    expect(uids({ q: 'node-1' })).toEqual(['e']);
    expect(uids({ q: '100%_' })).toEqual([]);
    expect(uids({ q: 'hunter2' })).toEqual([]);
    expect(uids({ q: 'db-creds' })).toEqual(['d']);
    // The range is on last-seen time, `to` inclusive.
    expect(s.events.rows('c', { from: T0 + 2 * M, to: T0 + 3 * M, filter: {} }, 100).rows.map((x) => x.uid)).toEqual(['d', 'b', 'c']);
  });

  it('aggregates for the strip, the storm detector, the facets and the object groups', () => {
    const s = seeded();
    const b = s.events.bucketCounts('c', scope(), 2 * M);
    expect(b.find((x) => x.t === T0 && x.reason === 'BackOff')).toEqual({ t: T0, type: 'Warning', reason: 'BackOff', n: 1, occurrences: 4 });
    expect(b.filter((x) => x.t === T0 + 2 * M).map((x) => x.reason).sort()).toEqual(['FailedDecode', 'FailedScheduling', 'Pulled']);
    expect(s.events.minuteCounts('c', scope(), ['NodeNotReady', 'BackOff']).sort((x, y) => x.minute - y.minute))
      .toEqual([{ minute: T0 + M, reason: 'BackOff', kind: 'Pod', object: 'shop/pod-a', n: 1 }, { minute: T0 + 4 * M, reason: 'NodeNotReady', kind: 'Node', object: '/node-1', n: 1 }]);
    // A facet ignores its own filter (every reason stays choosable) but honours the others.
    const f = s.events.facets('c', scope({ reason: 'BackOff', type: 'Warning' }));
    expect(f.reason.map((x) => x.value).sort()).toEqual(['BackOff', 'FailedDecode', 'FailedScheduling']);
    expect(f.type).toEqual([{ value: 'Warning', n: 1 }]);
    const g = s.events.groups('c', scope(), 10);
    expect(g.total).toBe(4);
    expect(g.groups.find((x) => x.name === 'pod-a')).toMatchObject({ events: 2, occurrences: 5, warnings: 1, reasons: ['BackOff', 'Pulled'] });
  });

  it('the one-pass aggregate agrees with the separate SQL aggregates under every filter', () => {
    const s = seeded();
    const norm = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
    const reasons = new Set(['BackOff', 'NodeNotReady', 'FailedScheduling']);
    for (const filter of [{}, { reason: 'BackOff' }, { type: 'Warning', namespace: 'shop' }, { q: 'node' }, { kind: 'Pod', name: 'pod-a' }, { component: 'nope' }]) {
      const a = s.events.aggregate('c', scope(filter), 2 * M, reasons);
      expect(a.total, JSON.stringify(filter)).toBe(s.events.rows('c', scope(filter), 0).total);
      expect(norm(a.buckets)).toEqual(norm(s.events.bucketCounts('c', scope(filter), 2 * M)));
      expect(norm(a.minutes)).toEqual(norm(s.events.minuteCounts('c', scope(filter), [...reasons])));
      expect(a.facets).toEqual(s.events.facets('c', scope(filter)));
    }
  });

  it('retention: events live longer than metrics by age, and go last (oldest first) when over the size budget', () => {
    const s = seeded();
    const now = T0 + 10 * M;
    expect(s.enforceRetention({ maxAgeMs: M, maxBytes: 1e12, eventsMaxAgeMs: 7 * M }, now).deletedEvents).toBe(3);
    expect(s.events.count('c')).toBe(2);
    // A bundle's events are evidence: never dropped.
    s.upsertCluster({ id: 'bundle', name: 'b', kind: 'bundle', server: '' });
    s.events.put('bundle', [ev('old', { lastTimestamp: 0 })]);
    const r = s.enforceRetention({ maxAgeMs: M, maxBytes: 1, eventsMaxAgeMs: 7 * M }, now);
    expect(r.deletedEvents).toBe(2);
    expect(s.events.count('c')).toBe(0);
    expect(s.events.count('bundle')).toBe(1);
  });

  it('occurrences: a repeat counts its rise in count when it is seen again; copies already kept count nothing', () => {
    const s = Store.memory();
    s.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
    // A crash loop: one Event whose count climbs, as the watch sees it (ADDED, then MODIFIED twice).
    s.events.put('c', [ev('loop', { lastTimestamp: T0 + 10_000, count: 1 })]);
    s.events.put('c', [ev('loop', { firstTimestamp: T0 + 10_000, lastTimestamp: T0 + M + 5_000, count: 300 })]);
    s.events.put('c', [ev('loop', { firstTimestamp: T0 + 10_000, lastTimestamp: T0 + 2 * M + 5_000, count: 900 })]);
    // A relist and the events.k8s.io copy of the same Event: nothing new.
    s.events.put('c', [ev('loop', { firstTimestamp: T0 + 10_000, lastTimestamp: T0 + 2 * M + 5_000, count: 900 }), { ...ev('loop', { firstTimestamp: T0 + 10_000, lastTimestamp: T0 + 2 * M + 5_000, count: 900 }), api: 'events.k8s.io/v1' }]);
    // Another pod's single event.
    s.events.put('c', [ev('other', { lastTimestamp: T0 + 2 * M + 6_000, reason: 'Pulled', type: 'Normal' })]);
    const o = s.events.occurrences('c', T0, T0 + 10 * M);
    expect(o.perMinute).toEqual([{ t: T0, v: 1 }, { t: T0 + M, v: 299 }, { t: T0 + 2 * M, v: 601 }]);
    expect(o.top[0]).toEqual({ reason: 'BackOff', kind: 'Pod', type: 'Warning', namespace: 'shop', count: 900 });
    expect(o.top[1]).toMatchObject({ reason: 'Pulled', count: 1 });
    // One row in the archive all along.
    expect(s.events.count('c')).toBe(2);
    // A past moment never counts what came after it.
    expect(s.events.occurrences('c', T0, T0 + M + 4_999).perMinute).toEqual([{ t: T0, v: 1 }]);
  });

  it('occurrences: an Event first seen with repeats folded in is spread over its span, not piled on one minute', () => {
    const s = Store.memory();
    s.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
    s.events.put('c', [ev('old', { firstTimestamp: T0 - 60 * M, lastTimestamp: T0, count: 61 })]);
    const o = s.events.occurrences('c', T0 - 2 * 60 * M, T0);
    expect(o.perMinute.reduce((a, p) => a + p.v, 0)).toBe(61);
    expect(Math.max(...o.perMinute.map((p) => p.v))).toBe(1);
  });

  it('occurrences go with their events under retention', () => {
    const s = seeded();
    const now = T0 + 10 * M;
    s.enforceRetention({ maxAgeMs: M, maxBytes: 1e12, eventsMaxAgeMs: 7 * M }, now);
    const left = s.events.occurrences('c', 0, now);
    expect(left.perMinute.map((p) => p.t)).toEqual([T0 + 3 * M, T0 + 4 * M]);
  });

  it('migration 8: an archive recorded before counts one occurrence per Event, when it was last seen', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-mig8-'));
    try {
      const old = new Database(path.join(dir, 'kube-forensics.db'));
      for (let v = 0; v < 7; v++) old.exec(MIGRATIONS[v]!);
      old.pragma('user_version = 7');
      const ins = old.prepare(`INSERT INTO events (cluster_id, uid, api, namespace, kind, name, reason, type, component, message, first_ts, last_ts, count, body)
        VALUES ('c', ?, 'core/v1', 'shop', 'Pod', ?, 'BackOff', 'Warning', 'kubelet', '', ?, ?, ?, '{}')`);
      ins.run('a', 'pod-a', T0, T0 + M, 40);
      ins.run('b', 'pod-b', T0 + M, T0 + M, 1);
      ins.run('c', 'pod-c', T0 + 2 * M, T0 + 2 * M + 1, 1);
      old.close();
      const s = Store.open(dir);
      try {
        expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(s.events.occurrences('c', T0, T0 + 10 * M).perMinute).toEqual([{ t: T0 + M, v: 2 }, { t: T0 + 2 * M, v: 1 }]);
      } finally { s.close(); }
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
