import { describe, expect, it } from 'vitest';
import type { Overview } from '@/lib/query/overview';
import { cleanError, describeFreshness } from './freshness';

const now = Date.parse('2026-11-23T02:00:00Z');

function overview(o: Partial<Overview> = {}): Overview {
  return {
    now,
    cluster: { id: 'ctx-a', name: 'a', kind: 'live', server: 'https://127.0.0.1:6443', notes: [] },
    version: null, readyz: null, intervalMs: 5_000,
    freshness: [{ component: 'kube-apiserver', lastAttempt: now - 4_000, lastOk: now - 4_000, ok: true, lastError: null, ageMs: 4_000, stale: false }],
    recorder: { running: true, backoffOpen: false, failures: 0, nextAttemptAt: 0 },
    findings: [],
    figures: { goroutines: null, residentMemoryBytes: null, etcdDbBytes: null, etcdDbInUseBytes: null, etcdQuotaBytes: null, objects: [] },
    ...o,
  };
}

describe('describeFreshness', () => {
  it('says live with the scrape age, growing with the time since the data arrived', () => {
    expect(describeFreshness(overview(), 0)).toEqual({ state: 'live', tone: 'ok', title: 'Live', facts: ['last scrape 4 s ago', 'every 5 s'] });
    expect(describeFreshness(overview(), 3_000).facts[0]).toBe('last scrape 7 s ago');
  });

  it('with Prometheus as the source: the probe\'s age, where the series come from, and a failing Prometheus beside it', () => {
    const mirror = { url: 'https://prometheus.monitoring:9090/prom', components: ['kube-apiserver', 'etcd'], lastError: null };
    const rec = { running: true, backoffOpen: false, failures: 0, nextAttemptAt: 0 };
    expect(describeFreshness(overview({ recorder: { ...rec, mirror } }), 0)).toEqual({
      state: 'live', tone: 'ok', title: 'Live', facts: ['last probe 4 s ago', 'every 5 s', 'apiserver and etcd series from Prometheus (prometheus.monitoring:9090)'],
    });
    const down = describeFreshness(overview({
      recorder: { ...rec, mirror: { ...mirror, components: [], lastError: 'connect ECONNREFUSED' } },
      freshness: [
        { component: 'kube-apiserver', lastAttempt: now - 4_000, lastOk: now - 4_000, ok: true, lastError: null, ageMs: 4_000, stale: false },
        { component: 'prometheus', lastAttempt: now - 4_000, lastOk: now - 60_000, ok: false, lastError: 'https://prometheus.monitoring:9090/prom: connect ECONNREFUSED', ageMs: 60_000, stale: true },
      ],
    }), 0);
    expect(down).toMatchObject({ state: 'degraded', tone: 'warn', title: 'Live' });
    expect(down.facts).toEqual(['last scrape 4 s ago', 'every 5 s', 'scraping /metrics until Prometheus (prometheus.monitoring:9090) answers',
      'prometheus unreachable: https://prometheus.monitoring:9090/prom: connect ECONNREFUSED']);
  });

  it('turns stale on screen by the server\'s rule as the age grows between refreshes', () => {
    // Interval 5 s: stale past 7.5 s (lib/util/staleness). The server said fresh 4 s ago.
    expect(describeFreshness(overview(), 3_500).state).toBe('live');
    expect(describeFreshness(overview(), 3_501).state).toBe('stale');
    expect(describeFreshness(overview(), 4_000)).toMatchObject({ state: 'stale', tone: 'warn', title: 'Stale for 8 s' });
  });

  it('turns red with the error, the next probe and the age of what is shown when the apiserver is unreachable', () => {
    const v = describeFreshness(overview({
      freshness: [{ component: 'kube-apiserver', lastAttempt: now - 2_000, lastOk: now - 192_000, ok: false,
        lastError: 'ctx-a: connect ECONNREFUSED 127.0.0.1:1', ageMs: 192_000, stale: true }],
      recorder: { running: true, backoffOpen: true, failures: 6, nextAttemptAt: now + 40_000 },
    }), 0);
    expect(v).toEqual({
      state: 'stale', tone: 'crit', title: 'Stale for 3m 12s',
      facts: ['apiserver unreachable: connect ECONNREFUSED 127.0.0.1:1', 'next probe in 40 s (backing off after 6 failures)', 'showing recorded data from 01:56:48 UTC'],
    });
  });

  it('is amber, not red, when data is old but the last attempt did not fail', () => {
    const v = describeFreshness(overview({
      freshness: [{ component: 'kube-apiserver', lastAttempt: now - 60_000, lastOk: now - 60_000, ok: true, lastError: null, ageMs: 60_000, stale: true }],
      recorder: { running: false, backoffOpen: false, failures: 0, nextAttemptAt: 0 },
    }), 0);
    expect(v).toMatchObject({ state: 'stale', tone: 'warn', title: 'Stale for 1m' });
    expect(v.facts).toContain('recorder stopped');
  });

  it('says when nothing was ever scraped', () => {
    const v = describeFreshness(overview({
      freshness: [{ component: 'kube-apiserver', lastAttempt: now, lastOk: null, ok: false, lastError: 'ctx-a: 401 Unauthorized', ageMs: null, stale: true }],
    }), 0);
    expect(v).toMatchObject({ state: 'never', tone: 'crit', title: 'No successful scrape yet' });
    expect(v.facts).toEqual(['apiserver scrape failing: 401 Unauthorized', 'nothing recorded yet']);
  });

  it('stops claiming "live" when the browser has lost contact with kube-forensics', () => {
    expect(describeFreshness(overview(), 9_000, true)).toEqual({
      state: 'frozen', tone: 'neutral', title: 'Last known: Live', facts: ['last scrape 13 s ago', 'every 5 s'],
    });
  });

  it('waits for the first scrape', () => {
    expect(describeFreshness(overview({ freshness: [] }), 0)).toMatchObject({ state: 'connecting', tone: 'neutral' });
  });

  it('describes a bundle by its captured range', () => {
    const v = describeFreshness(overview({
      cluster: { id: 'bundle-x', name: 'x', kind: 'bundle', server: '/b.tar.gz', notes: [] },
      bundle: { path: '/b.tar.gz', from: Date.parse('2026-11-23T01:53:00Z'), to: Date.parse('2026-11-23T02:10:00Z'), warnings: [] },
      recorder: null,
    }), 0);
    expect(v).toEqual({ state: 'bundle', tone: 'bundle', title: 'Recorded bundle', facts: ['captured 23 Nov 2026, 01:53–02:10 UTC', '17m of data', 'not live'] });
  });
});

describe('cleanError', () => {
  it('drops the cluster-id prefix only', () => {
    expect(cleanError('ctx-a: timeout', 'ctx-a')).toBe('timeout');
    expect(cleanError('other: timeout', 'ctx-a')).toBe('other: timeout');
    expect(cleanError(null, 'ctx-a')).toBe('unknown error');
  });
});
