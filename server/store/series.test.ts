import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from './chunk';
import { Store } from './store';

const H = 3600_000;

function seeded(): Store {
  const store = Store.memory();
  store.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
  for (let t = 0; t <= 10 * H; t += 15_000) {
    store.series.append('c', t, [
      { name: 'g', labels: { a: '1' }, value: t / 1000 },
      { name: 'g', labels: { a: '2' }, value: -t / 1000 },
    ]);
  }
  return store;
}

describe('chunks', () => {
  it('round-trip times and values exactly', () => {
    const t = [1_795_000_000_000, 1_795_000_015_000, 1_795_000_030_123];
    const v = [0, -1.5e-300, Number.MAX_VALUE];
    const d = decodeChunk(encodeChunk(t, v));
    expect([...d.t]).toEqual(t);
    expect([...d.v]).toEqual(v);
  });

  it('refuse a truncated chunk', () => {
    expect(() => decodeChunk(encodeChunk([1, 2], [3, 4]).subarray(0, 20))).toThrow(/corrupt chunk/);
  });
});

describe('series store with compaction', () => {
  it('returns the same points before and after compaction, across the chunk boundary', () => {
    const store = seeded();
    const before = store.series.query('c', 'g', 3 * H - 60_000, 7 * H + 60_000, { a: '1' });
    const r = store.series.compact(6 * H + 1000); // whole 2 h windows before 06:00 → [0,2), [2,4), [4,6)
    expect(r.chunks).toBe(6); // 3 windows × 2 series
    expect(r.samples).toBe(2 * (6 * H / 15_000));
    const after = store.series.query('c', 'g', 3 * H - 60_000, 7 * H + 60_000, { a: '1' });
    expect(after[0]!.points).toEqual(before[0]!.points);
    expect(store.series.count('c')).toBe(2 * (10 * H / 15_000 + 1));
  });

  it('merges a late sample into an existing chunk', () => {
    const store = seeded();
    store.series.compact(4 * H);
    store.series.append('c', 1 * H + 7_000, [{ name: 'g', labels: { a: '1' }, value: 42 }]);
    store.series.compact(4 * H);
    const pts = store.series.query('c', 'g', H, H + 15_000, { a: '1' })[0]!.points;
    expect(pts).toEqual([{ t: H, v: 3600 }, { t: H + 7_000, v: 42 }, { t: H + 15_000, v: 3615 }]);
  });

  it('answers latest() from the last chunk when no recent rows remain (an old bundle)', () => {
    const store = seeded();
    store.series.compact(11 * H);
    expect(store.series.latest('c', 'g').map((x) => x.v).sort((a, b) => a - b)).toEqual([-36000, 36000]);
  });

  it('keeps bundles out of age retention, and drops old live data', () => {
    const store = seeded();
    store.upsertCluster({ id: 'b', name: 'b', kind: 'bundle', server: '' });
    store.series.append('b', 0, [{ name: 'g', labels: {}, value: 1 }]);
    store.series.compact(4 * H);
    store.enforceRetention({ maxAgeMs: 5 * H, maxBytes: 1e12, eventsMaxAgeMs: 5 * H }, 10 * H);
    expect(store.series.query('b', 'g', 0, 10 * H)[0]!.points).toHaveLength(1);
    const live = store.series.query('c', 'g', 0, 10 * H, { a: '1' })[0]!.points;
    expect(live[0]!.t).toBe(5 * H); // chunks ending before 5 h ago and older rows are gone; the rest stays
  });
});
