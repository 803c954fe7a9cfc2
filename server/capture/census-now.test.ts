import { describe, expect, it } from 'vitest';
import type { ClusterSource } from '../cluster/types';
import type { ClusterRecorder, RecorderStatus } from '../recorder/cluster-recorder';
import type { ClusterEntry } from '../runtime';
import { Store } from '../store/store';
import { CENSUS_FRESH_MS, CensusNow } from './census-now';

function setup() {
  const store = Store.memory();
  store.upsertCluster({ id: 'c', name: 'prod', kind: 'live', server: '' });
  let clock = 1_800_000_000_000;
  let calls = 0;
  let fail: Error | null = null;
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const hold = () => { gate = new Promise<void>((r) => { release = r; }); };
  const source = {
    id: 'c', kind: 'live',
    census: async () => {
      calls++;
      const at = clock;
      await gate;
      if (fail) throw fail;
      return { at, durationMs: 40, entries: [
        { group: 'reports.kyverno.io', version: 'v1', resource: 'ephemeralreports', namespaced: true, count: 2103 },
        { group: '', version: 'v1', resource: 'secrets', namespaced: true, count: 61 },
        { group: 'example.com', version: 'v1', resource: 'hidden', namespaced: true, count: null },
      ] };
    },
  } as unknown as ClusterSource;
  const backoff: RecorderStatus['backoff'] = { open: false, failures: 0, nextAttemptAt: 0 };
  const recorder = { status: () => ({ cluster: 'c', running: true, lastTickAt: clock, upstreamRequests: 0, backoff }) } as unknown as ClusterRecorder;
  const live: ClusterEntry = { id: 'c', name: 'prod', kind: 'live', source, recorder };
  const census = new CensusNow(store, () => clock);
  return {
    store, census, live, backoff, hold, release: () => release(), calls: () => calls,
    failWith: (e: Error | null) => { fail = e; }, tick: (ms: number) => { clock += ms; }, now: () => clock,
  };
}

describe('CensusNow', () => {
  it('one census for a war room\'s clicks, stored as the recorder stores it', async () => {
    const s = setup();
    s.hold();
    const clicks = Array.from({ length: 5 }, () => s.census.take(s.live));
    s.release();
    const ts = await Promise.all(clicks);
    expect(s.calls()).toBe(1);
    expect(new Set(ts)).toEqual(new Set([s.now()]));
    expect(s.store.latestSnapshot<{ entries: unknown[] }>('c', 'census')?.t).toBe(s.now());
    const counts = s.store.series.query('c', 'kf_census_objects', s.now() - 1, s.now() + 1).map((x) => [x.labels.resource, x.points[0]!.v]);
    // A resource the server did not count (null) is not stored as 0.
    expect(counts.sort()).toEqual([['ephemeralreports.reports.kyverno.io', 2103], ['secrets', 61]]);
  });

  it('a census younger than 15 s is the answer; an older one is taken again', async () => {
    const s = setup();
    const first = await s.census.take(s.live);
    s.tick(CENSUS_FRESH_MS - 1);
    expect(await s.census.take(s.live)).toBe(first);
    expect(s.calls()).toBe(1);
    s.tick(1);
    expect(await s.census.take(s.live)).toBe(s.now());
    expect(s.calls()).toBe(2);
  });

  it('sends nothing while the recorder\'s breaker is open, and says when the next probe is', () => {
    const s = setup();
    Object.assign(s.backoff, { open: true, failures: 4, nextAttemptAt: s.now() + 42_500 });
    expect(() => s.census.take(s.live)).toThrow(expect.objectContaining({ status: 503, message: "prod's apiserver is not answering (4 failed probes in a row); no census is sent until it does (next probe in 43 s)" }));
    expect(s.calls()).toBe(0);
  });

  it('a failed census is not remembered: the next click tries again', async () => {
    const s = setup();
    s.failWith(new Error('timeout after 10 s'));
    await expect(s.census.take(s.live)).rejects.toThrow('timeout after 10 s');
    s.failWith(null);
    await expect(s.census.take(s.live)).resolves.toBe(s.now());
    expect(s.calls()).toBe(2);
  });

  it('a bundle has nothing to count: 409', () => {
    const s = setup();
    expect(() => s.census.take({ id: 'b', name: 'recording', kind: 'bundle' })).toThrow(expect.objectContaining({ status: 409 }));
  });
});
