import { describe, expect, it } from 'vitest';
import { filterEntries, matchesFilter, readFilter, type FilterableEvent } from './filter';
import { groupByObject } from './group';
import { isSecretEvent, MASKED_MESSAGE, maskedMessage, redactEvent, redactRawEvent } from './redact';
import { detectStorms, stormOf, STORM_SPECS, type MinuteCount } from './storms';
import { buildStrip, bucketOf, stripStep } from './strip';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const M = 60_000;

const ev = (o: Partial<FilterableEvent> & { kind?: string; name?: string; ns?: string } = {}): FilterableEvent => ({
  object: { kind: o.kind ?? 'Pod', namespace: o.ns ?? 'shop', name: o.name ?? 'web-1' },
  reason: o.reason ?? 'BackOff', type: o.type ?? 'Warning', component: o.component ?? 'kubelet', message: o.message ?? 'Back-off restarting failed container',
});

describe('filter', () => {
  it('reads only known, non-blank, bounded keys, in a fixed order', () => {
    const f = readFilter((k) => ({ q: ' restart ', reason: 'BackOff', kind: '', bogus: 'x', name: 'n'.repeat(300) } as Record<string, string>)[k]);
    expect(f).toEqual({ q: 'restart', reason: 'BackOff' });
    expect(filterEntries(f)).toEqual([['reason', 'BackOff'], ['q', 'restart']]);
  });

  it('matches exact fields and a case-insensitive substring of the message or name', () => {
    expect(matchesFilter(ev(), { reason: 'BackOff', namespace: 'shop', kind: 'Pod', component: 'kubelet', type: 'Warning' })).toBe(true);
    expect(matchesFilter(ev(), { reason: 'Backoff' })).toBe(false);
    expect(matchesFilter(ev(), { q: 'RESTARTING' })).toBe(true);
    expect(matchesFilter(ev(), { q: 'web-' })).toBe(true);
    expect(matchesFilter(ev(), { q: 'etcd' })).toBe(false);
    // A cluster-scoped object's namespace falls back to the Event's own.
    expect(matchesFilter({ ...ev({ kind: 'Node', ns: '' }), namespace: 'default' }, { namespace: 'default' })).toBe(true);
  });
});

describe('redaction', () => {
  it('withholds the message of events about a Secret, and only those', () => {
    const s = { ...ev({ kind: 'Secret', name: 'db-creds' }), message: 'failed to decode password=hunter2' };
    expect(isSecretEvent(s)).toBe(true);
    expect(maskedMessage(s)).toBe(MASKED_MESSAGE);
    expect(redactEvent(s)).toMatchObject({ message: MASKED_MESSAGE, object: { name: 'db-creds' } });
    expect(JSON.stringify(redactEvent(s))).not.toContain('hunter2');
    const p = ev();
    expect(redactEvent(p)).toBe(p);
  });

  it('masks raw Events of both APIs (what bundles export)', () => {
    const core = { involvedObject: { kind: 'Secret', name: 's' }, message: 'password=hunter2', reason: 'X' };
    const v1 = { regarding: { kind: 'Secret', name: 's' }, note: 'password=hunter2', deprecatedSource: {} };
    expect(redactRawEvent(core)).toEqual({ ...core, message: MASKED_MESSAGE });
    expect(redactRawEvent(v1)).toEqual({ ...v1, note: MASKED_MESSAGE });
    const pod = { involvedObject: { kind: 'Pod' }, message: 'ok' };
    expect(redactRawEvent(pod)).toBe(pod);
  });
});

describe('strip', () => {
  it('uses one-minute bars up to 6 h, then coarser steps, never more than 360 bars', () => {
    expect(stripStep(T0, T0 + 3600_000)).toBe(M);
    expect(stripStep(T0, T0 + 6 * 3600_000)).toBe(M);
    expect(stripStep(T0, T0 + 24 * 3600_000)).toBe(5 * M);
    expect((T0 + 90 * 86_400_000 - T0) / stripStep(T0, T0 + 90 * 86_400_000)).toBeLessThanOrEqual(360);
  });

  it('fills empty minutes, splits by type, ranks reasons', () => {
    const from = T0 + 30_000;
    const s = buildStrip([
      { t: T0 + M, type: 'Warning', reason: 'BackOff', n: 3, occurrences: 40 },
      { t: T0 + M, type: 'Normal', reason: 'Pulled', n: 1, occurrences: 1 },
      { t: T0 + M, type: 'Warning', reason: 'FailedScheduling', n: 5, occurrences: 5 },
      { t: T0 + 9 * M, type: 'Warning', reason: 'BackOff', n: 2, occurrences: 2 },
    ], from, T0 + 5 * M);
    expect(s.buckets.map((b) => b.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * M));
    expect(s.buckets[1]).toMatchObject({ warning: 8, normal: 1, other: 0, occurrences: 46 });
    expect(s.buckets[1]!.reasons.map((r) => r.reason)).toEqual(['FailedScheduling', 'BackOff', 'Pulled']);
    expect(s.max).toBe(9);
    // Outside the range: not drawn.
    expect(s.buckets.reduce((n, b) => n + b.warning, 0)).toBe(8);
    expect(bucketOf(T0 + 7 * M + 5, 5 * M)).toBe(T0 + 5 * M);
  });
});

describe('storms', () => {
  /** `perMinute[i]` distinct objects with one event each in minute i (objects named by minute, so never repeated). */
  const minutes = (reason: string, kind: string, perMinute: number[], start = T0): MinuteCount[] =>
    perMinute.flatMap((n, i) => Array.from({ length: n }, (_, k) => ({ minute: start + i * M, reason, kind, object: `ns/o-${start + i * M}-${k}`, n: 1 })));

  it('has an explanation and a threshold for each known storm', () => {
    expect(STORM_SPECS.map((s) => s.reason).sort()).toEqual(['BackOff', 'FailedScheduling', 'NodeNotReady', 'TaintManagerEviction']);
    for (const s of STORM_SPECS) { expect(s.explanation.length).toBeGreaterThan(100); expect(s.burst.count).toBeGreaterThan(1); }
  });

  it('finds N events within M minutes, merges touching windows, ignores the same number spread out', () => {
    // 5 TaintManagerEvictions in 3 minutes: a burst (5 in 5).
    const burst = detectStorms(minutes('TaintManagerEviction', 'Pod', [2, 0, 3]));
    expect(burst).toHaveLength(1);
    expect(burst[0]).toMatchObject({ id: 'taint-manager-eviction', from: T0, to: T0 + 3 * M, events: 5, objects: 5, peak: 5, severity: 'critical', threshold: '5 or more pods in 5 minutes' });
    // The same 5, one every 2 minutes: never 5 within 5 minutes.
    expect(detectStorms(minutes('TaintManagerEviction', 'Pod', [1, 0, 1, 0, 1, 0, 1, 0, 1]))).toEqual([]);
    // Evictions of non-pods do not count toward a Pod-only storm.
    expect(detectStorms(minutes('TaintManagerEviction', 'Node', [5]))).toEqual([]);
    // A long storm is one entry spanning it.
    const long = detectStorms(minutes('NodeNotReady', 'Node', Array(30).fill(2)));
    expect(long).toHaveLength(1);
    expect(long[0]).toMatchObject({ from: T0, to: T0 + 30 * M, events: 60, objects: 60, peak: 10 });
    // One pod retried every minute (kube-scheduler 1.20 writes an Event per retry): many events, one object, no storm.
    const retries = Array.from({ length: 30 }, (_, i) => ({ minute: T0 + i * 20_000, reason: 'FailedScheduling', kind: 'Pod', object: 'shop/stuck', n: 1 }));
    expect(detectStorms(retries)).toEqual([]);
    // …but ten pods stuck together are.
    const ten = Array.from({ length: 10 }, (_, i) => ({ minute: T0 + i * 30_000, reason: 'FailedScheduling', kind: 'Pod', object: `shop/p${i}`, n: 3 }));
    expect(detectStorms(ten)[0]).toMatchObject({ events: 30, objects: 10, peak: 10 });
    // Two bursts an hour apart are two storms.
    const two = detectStorms([...minutes('BackOff', 'Pod', [10]), ...minutes('BackOff', 'Pod', [12], T0 + 60 * M)]);
    expect(two.map((s) => s.from)).toEqual([T0, T0 + 60 * M]);
  });

  it('lists critical storms first, and tells which rows belong to a storm', () => {
    const s = detectStorms([...minutes('FailedScheduling', 'Pod', [10]), ...minutes('NodeNotReady', 'Pod', [6], T0 + 5 * M)]);
    expect(s.map((x) => x.id)).toEqual(['node-not-ready', 'failed-scheduling']);
    expect(stormOf({ reason: 'FailedScheduling', lastTimestamp: T0 + 30_000 }, s)?.id).toBe('failed-scheduling');
    expect(stormOf({ reason: 'FailedScheduling', lastTimestamp: T0 + 2 * M }, s)).toBeUndefined();
  });
});

describe('groupByObject', () => {
  it('groups by kind/namespace/name, most recently active first, with top reasons', () => {
    const e = (name: string, reason: string, last: number, count = 1, type = 'Warning') => ({
      object: { kind: 'Pod', namespace: 'shop', name }, reason, type, count, firstTimestamp: last - M, lastTimestamp: last,
    });
    const g = groupByObject([e('a', 'BackOff', T0, 10), e('a', 'BackOff', T0 + M), e('a', 'Pulled', T0, 1, 'Normal'), e('b', 'FailedScheduling', T0 + 5 * M)]);
    expect(g.map((x) => x.name)).toEqual(['b', 'a']);
    expect(g[1]).toMatchObject({ events: 3, occurrences: 12, warnings: 2, firstTimestamp: T0 - M, lastTimestamp: T0 + M, reasons: ['BackOff', 'Pulled'] });
  });
});
