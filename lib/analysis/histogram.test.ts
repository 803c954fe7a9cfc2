// histogram_quantile semantics (promql/quantile.go) on hand-written buckets, then on real bucket
// increases between consecutive scrapes from testdata/metrics (captured from kube-apiserver
// v1.20.2 and etcd 3.4.23; see testdata/README.md). Expected values are worked out in comments.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrometheusText } from '../parse/prometheus-text';
import type { PromSample } from '../parse/prometheus-text';
import { bucketDeltas, bucketQuantile, histogramQuantile, histogramSeries, quantileBetweenScrapes, quantileBy, sumDeltas } from './histogram';

const B = (pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile (bucketQuantile)', () => {
  const h = B([[0.1, 10], [0.2, 30], [0.4, 40], [Infinity, 40]]);

  it('interpolates linearly inside the bucket holding the rank', () => {
    // q=0.5: rank 20 → bucket le=0.2 (count 30 ≥ 20); starts at 0.1 with 10 below:
    // 0.1 + (0.2−0.1)·(20−10)/(30−10) = 0.15.
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.15, 15);
    // q=0.9: rank 36 → bucket le=0.4: 0.2 + 0.2·(36−30)/(40−30) = 0.32.
    expect(histogramQuantile(0.9, h)).toBeCloseTo(0.32, 15);
  });

  it('interpolates the lowest bucket from 0 when its bound is positive', () => {
    // q=0.25: rank 10 → first bucket: 0 + 0.1·10/10 = 0.1; q=0.1: rank 4 → 0.04.
    expect(histogramQuantile(0.25, h)).toBeCloseTo(0.1, 15);
    expect(histogramQuantile(0.1, h)).toBeCloseTo(0.04, 15);
  });

  it('returns the lowest bound itself when it is ≤ 0', () => {
    expect(histogramQuantile(0.1, B([[-1, 5], [0, 8], [Infinity, 10]]))).toBe(-1);
    expect(histogramQuantile(0.1, B([[0, 5], [1, 8], [Infinity, 10]]))).toBe(0);
  });

  it('returns the second-highest bound when the rank falls in the +Inf bucket', () => {
    // rank 0.99·50 = 49.5 > 40 (le=0.4) → in +Inf → 0.4.
    expect(histogramQuantile(0.99, B([[0.1, 10], [0.4, 40], [Infinity, 50]]))).toBe(0.4);
  });

  it('handles q outside [0,1] and NaN', () => {
    expect(histogramQuantile(-0.1, h)).toBe(-Infinity);
    expect(histogramQuantile(1.1, h)).toBe(Infinity);
    expect(histogramQuantile(NaN, h)).toBeNaN();
    // q checks come first: even without +Inf bucket q>1 is +Inf.
    expect(histogramQuantile(2, B([[1, 1]]))).toBe(Infinity);
  });

  it('is NaN without a +Inf bucket, with fewer than two buckets, or with no observations', () => {
    expect(histogramQuantile(0.5, B([[0.1, 1], [0.2, 2]]))).toBeNaN();
    expect(histogramQuantile(0.5, B([[Infinity, 5]]))).toBeNaN();
    expect(histogramQuantile(0.5, B([[0.1, 0], [Infinity, 0]]))).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('sorts unsorted buckets and merges equal bounds (coalesceBuckets)', () => {
    const shuffled = B([[Infinity, 40], [0.2, 30], [0.1, 10], [0.4, 40]]);
    expect(histogramQuantile(0.5, shuffled)).toBeCloseTo(0.15, 15);
    // Two le=0.2 entries add up: {0.1:10, 0.2:15+15, +Inf:40} behaves like h without le=0.4:
    // q=0.9 rank 36 > 30 → +Inf bucket → second-highest bound 0.2.
    expect(histogramQuantile(0.9, B([[0.1, 10], [0.2, 15], [0.2, 15], [Infinity, 40]]))).toBe(0.2);
  });

  it('forces monotonic counts (ensureMonotonic) and reports it', () => {
    // 0.2 drops to 5 < 10: raised to 10. q=0.5 rank 10 → first bucket (count 10) → 0.1.
    const r = bucketQuantile(0.5, B([[0.1, 10], [0.2, 5], [Infinity, 20]]));
    expect(r).toEqual({ value: 0.1, forcedMonotonic: true, fixedPrecision: false });
  });

  it('flattens float-noise differences ≤ 1e-12 relative (correctPrecisionErrors)', () => {
    const r = bucketQuantile(0.5, B([[0.1, 10], [0.2, 10 * (1 + 1e-14)], [Infinity, 20]]));
    expect(r.fixedPrecision).toBe(true);
    expect(r.forcedMonotonic).toBe(false);
  });

  it('is monotonic in q and stays within the finite bounds (property)', () => {
    const arb = fc.array(fc.tuple(fc.double({ min: 0.001, max: 100, noNaN: true }), fc.nat(1000)), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(arb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (raw, q1, q2) => {
      const bounds = [...new Set(raw.map(([le]) => le))].sort((a, b) => a - b);
      let c = 0;
      const buckets = bounds.map((le, i) => ({ le, count: (c += raw[i]?.[1] ?? 0) }));
      buckets.push({ le: Infinity, count: c + 1 });
      const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
      const a = histogramQuantile(lo, buckets), b = histogramQuantile(hi, buckets);
      expect(a).toBeLessThanOrEqual(b + 1e-12);
      expect(b).toBeLessThanOrEqual(bounds[bounds.length - 1]!);
      expect(a).toBeGreaterThanOrEqual(0);
    }));
  });
});

describe('histogramSeries / bucketDeltas (hand-written scrapes)', () => {
  const scrape = (lines: string[]) => parsePrometheusText(['# TYPE lat histogram', ...lines].join('\n')).families.get('lat')!;
  const prev = scrape([
    'lat_bucket{verb="GET",le="0.1"} 10', 'lat_bucket{verb="GET",le="1"} 12', 'lat_bucket{verb="GET",le="+Inf"} 12', 'lat_sum{verb="GET"} 2', 'lat_count{verb="GET"} 12',
    'lat_bucket{verb="PUT",le="0.1"} 1', 'lat_bucket{verb="PUT",le="1"} 5', 'lat_bucket{verb="PUT",le="+Inf"} 6', 'lat_sum{verb="PUT"} 9', 'lat_count{verb="PUT"} 6',
  ]);
  const cur = scrape([
    'lat_bucket{verb="GET",le="0.1"} 15', 'lat_bucket{verb="GET",le="1"} 20', 'lat_bucket{verb="GET",le="+Inf"} 21', 'lat_sum{verb="GET"} 5', 'lat_count{verb="GET"} 21',
    // PUT restarted: every counter is lower, so the whole current histogram is the increase.
    'lat_bucket{verb="PUT",le="0.1"} 0', 'lat_bucket{verb="PUT",le="1"} 2', 'lat_bucket{verb="PUT",le="+Inf"} 2', 'lat_sum{verb="PUT"} 1', 'lat_count{verb="PUT"} 2',
    'lat_bucket{verb="LIST",le="0.1"} 1', 'lat_bucket{verb="LIST",le="1"} 1', 'lat_bucket{verb="LIST",le="+Inf"} 1',
  ]);

  it('splits a family into series keyed by labels without le', () => {
    const hs = histogramSeries(prev);
    expect(hs.map((h) => h.labels)).toEqual([{ verb: 'GET' }, { verb: 'PUT' }]);
    expect(hs[0]).toMatchObject({ buckets: B([[0.1, 10], [1, 12], [Infinity, 12]]), sum: 2, count: 12 });
  });

  it('skips buckets whose le does not parse (funcHistogramQuantile)', () => {
    const samples: PromSample[] = [
      { name: 'x_bucket', labels: { le: 'abc' }, value: 1 },
      { name: 'x_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'x_bucket', labels: {}, value: 2 },
    ];
    expect(histogramSeries(samples)[0]?.buckets).toEqual(B([[Infinity, 2]]));
  });

  it('differences per series, treats any decrease as a reset of the whole series, drops new series', () => {
    const d = bucketDeltas(prev, cur);
    expect(d.map((x) => x.labels['verb'])).toEqual(['GET', 'PUT']);
    expect(d[0]).toMatchObject({ buckets: B([[0.1, 5], [1, 8], [Infinity, 9]]), sum: 3, count: 9 });
    expect(d[1]).toMatchObject({ buckets: B([[0.1, 0], [1, 2], [Infinity, 2]]), sum: 1, count: 2 });
    expect(bucketDeltas(prev, cur, { newSeries: 'include' }).map((x) => x.labels['verb'])).toEqual(['GET', 'PUT', 'LIST']);
  });

  it('treats a changed bucket layout as a reset', () => {
    const other = scrape(['lat_bucket{verb="GET",le="0.5"} 30', 'lat_bucket{verb="GET",le="+Inf"} 31']);
    expect(bucketDeltas(prev, other)[0]?.buckets).toEqual(B([[0.5, 30], [Infinity, 31]]));
  });

  it('quantileBy sums buckets by (by…, le) before the quantile', () => {
    // sum by (le) over GET {5,8,9} and PUT {0,2,2}: {0.1:5, 1:10, +Inf:11}.
    // p50: rank 5.5 → le=1 bucket: 0.1 + 0.9·(5.5−5)/(10−5) = 0.19.
    const all = quantileBy(0.5, bucketDeltas(prev, cur), []);
    expect(all).toHaveLength(1);
    expect(all[0]!.value).toBeCloseTo(0.19, 12);
    expect(all[0]!.observations).toBe(11);
    // by verb: GET p50 rank 4.5 → first bucket: 0.1·4.5/5 = 0.09; PUT rank 1 → le=1: 0.1 + 0.9·1/2 = 0.55.
    const byVerb = quantileBy(0.5, bucketDeltas(prev, cur), ['verb']);
    expect(byVerb.map((g) => [g.labels['verb'], +g.value.toFixed(12)])).toEqual([['GET', 0.09], ['PUT', 0.55]]);
    expect(quantileBetweenScrapes(0.5, prev, cur, ['verb'])).toEqual(byVerb);
    expect(quantileBetweenScrapes(0.5, undefined, cur, ['verb'])).toEqual([]);
  });

  it('sumDeltas adds windows key by key', () => {
    const d = bucketDeltas(prev, cur);
    const twice = sumDeltas([d, d]);
    expect(twice[0]).toMatchObject({ buckets: B([[0.1, 10], [1, 16], [Infinity, 18]]), sum: 6, count: 18 });
  });
});

// Real captures: four consecutive scrapes 15 s apart of an idle control plane.
const dir = new URL('../../testdata/metrics/', import.meta.url);
const read = (rel: string) => parsePrometheusText(fs.readFileSync(new URL(rel, dir), 'utf8'));
const haveCaptures = fs.existsSync(new URL('etcd/v3.4/2026-11-23T01:53:25Z.prom', dir));

describe.runIf(haveCaptures)('quantiles on real consecutive scrapes', () => {
  it('etcd WAL fsync p99 between 01:53:55 and 01:54:10 (etcd 3.4.23)', () => {
    const a = read('etcd/v3.4/2026-11-23T01:53:55Z.prom').families.get('etcd_disk_wal_fsync_duration_seconds');
    const b = read('etcd/v3.4/2026-11-23T01:54:10Z.prom').families.get('etcd_disk_wal_fsync_duration_seconds');
    // Cumulative buckets, 01:53:55 → 01:54:10:
    //   le=0.001: 293 → 295 (+2)   le=0.002: 312 → 314 (+2)   le=0.004: 318 → 323 (+5)
    //   le=0.008 … +Inf: 319/320 → 324/325 (+5 each)
    const d = bucketDeltas(a!, b!);
    expect(d).toHaveLength(1);
    expect(d[0]!.buckets.slice(0, 4)).toEqual(B([[0.001, 2], [0.002, 2], [0.004, 5], [0.008, 5]]));
    expect(d[0]!.count).toBe(5);
    // p99: rank 0.99·5 = 4.95 → first bucket with count ≥ 4.95 is le=0.004 (5), after le=0.002 (2):
    //   0.002 + (0.004 − 0.002)·(4.95 − 2)/(5 − 2) = 0.002 + 0.002·0.98333… = 0.00396667 s.
    expect(histogramQuantile(0.99, d[0]!.buckets)).toBeCloseTo(0.002 + 0.002 * (2.95 / 3), 12);
    // p50: rank 2.5 → le=0.004 again (le=0.002 holds only 2): 0.002 + 0.002·0.5/3 = 0.00233333 s.
    expect(histogramQuantile(0.5, d[0]!.buckets)).toBeCloseTo(0.002 + 0.002 * (0.5 / 3), 12);
    // The _sum increase is the real total fsync time: 0.226786569 − 0.216429269 = 0.0103573 s.
    expect(d[0]!.sum).toBeCloseTo(0.22678656900000005 - 0.21642926900000004, 15);
  });

  it('etcd WAL fsync p99 between 01:53:40 and 01:53:55', () => {
    // 0.001: 291→293 (+2); 0.002: 308→312 (+4); all higher buckets +4.
    // rank 3.96 → le=0.002 (4) after le=0.001 (2): 0.001 + 0.001·(3.96−2)/(4−2) = 0.00198 s.
    const r = quantileBetweenScrapes(0.99, read('etcd/v3.4/2026-11-23T01:53:40Z.prom').families.get('etcd_disk_wal_fsync_duration_seconds'),
      read('etcd/v3.4/2026-11-23T01:53:55Z.prom').families.get('etcd_disk_wal_fsync_duration_seconds'), []);
    expect(r[0]!.value).toBeCloseTo(0.00198, 12);
    expect(r[0]!.observations).toBe(4);
  });

  it('apiserver-side etcd_request_duration_seconds p99 by operation, 01:53:25 → 01:53:40 (kube-apiserver 1.20.2)', () => {
    const a = read('kube-apiserver/v1.20.2/2026-11-23T01:53:25Z.prom').families.get('etcd_request_duration_seconds');
    const b = read('kube-apiserver/v1.20.2/2026-11-23T01:53:40Z.prom').families.get('etcd_request_duration_seconds');
    const byOp = new Map(quantileBetweenScrapes(0.99, a, b, ['operation']).map((g) => [g.labels['operation'], g]));
    // sum by (operation, le) over the `type` series. operation="get": le=0.005 298 → 308 and every
    // higher bucket 313 → 323, so 10 reads, all ≤ 5 ms. rank 9.9 in the lowest bucket, which
    // interpolates from 0: 0.005·9.9/10 = 0.00495 s.
    expect(byOp.get('get')!.observations).toBe(10);
    expect(byOp.get('get')!.value).toBeCloseTo(0.00495, 12);
    // operation="update": 0.005: 47 → 49 (+2), 0.01: 59 → 61 (+2), 0.025…+Inf: 60 → 62 (+2).
    // rank 1.98 → lowest bucket: 0.005·1.98/2 = 0.00495 s.
    expect(byOp.get('update')!.value).toBeCloseTo(0.00495, 12);
    // operation="create" saw no requests: no observations → NaN, as PromQL returns.
    expect(byOp.get('create')!.observations).toBe(0);
    expect(byOp.get('create')!.value).toBeNaN();
  });

  it('apiserver p99 by verb, 01:53:25 → 01:53:40: GET', () => {
    const a = read('kube-apiserver/v1.20.2/2026-11-23T01:53:25Z.prom').families.get('apiserver_request_duration_seconds');
    const b = read('kube-apiserver/v1.20.2/2026-11-23T01:53:40Z.prom').families.get('apiserver_request_duration_seconds');
    const get = quantileBetweenScrapes(0.99, a, b, ['verb']).find((g) => g.labels['verb'] === 'GET')!;
    // GET _count increases: endpoints 7→9, namespaces 56→58, services 7→9, endpointslices 7→9
    // (+8), all in the lowest bucket le=0.05. rank 7.92 → 0.05·7.92/8 = 0.0495 s.
    expect(get.observations).toBe(8);
    expect(get.value).toBeCloseTo(0.0495, 12);
  });
});
