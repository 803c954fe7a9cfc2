import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../analysis/histogram';
import { parsePrometheusText } from '../parse/prometheus-text';
import { recordInMemory } from '../recording/memory';
import { evaluateQuery } from './evaluate';
import { evaluateTimeline } from './timeline';
import type { SeriesLoader } from './types';

// Four consecutive real scrapes (15 s apart) of kube-apiserver 1.20.2 and etcd 3.4: testdata/README.md.
const dir = (c: string) => path.join(__dirname, '../../testdata/metrics', c);
const scrapes = (c: string) => fs.readdirSync(dir(c)).filter((f) => f.endsWith('.prom')).sort()
  .map((f) => ({ t: Date.parse(f.replace('.prom', '')), text: fs.readFileSync(path.join(dir(c), f), 'utf8') }));

/** Records the real scrapes through the recording rules, as the recorder does, into an in-memory loader. */
function recorded(): SeriesLoader {
  return recordInMemory([
    ...scrapes('kube-apiserver/v1.20.2').map((s) => ({ ...s, component: 'kube-apiserver' as const })),
    ...scrapes('etcd/v3.4').map((s) => ({ ...s, component: 'etcd' as const })),
  ]);
}

describe('timeline evaluation on real scrapes', () => {
  const load = recorded();
  const api = scrapes('kube-apiserver/v1.20.2');
  const range = { from: api[0]!.t - 60_000, to: api[api.length - 1]!.t + 1000, maxPoints: 1000 };

  it('computes etcd WAL fsync p99 per interval exactly as histogram_quantile over the bucket increases', () => {
    const [p99] = evaluateQuery({ kind: 'quantile', series: 'etcd_disk_wal_fsync_duration_seconds_bucket', q: 0.99, legend: 'p99' }, load, range);
    const etcd = scrapes('etcd/v3.4');
    // Independently: parse two consecutive raw scrapes, subtract cumulative bucket counts, apply the quantile.
    const buckets = (text: string) => parsePrometheusText(text).families.get('etcd_disk_wal_fsync_duration_seconds')!.samples
      .filter((s) => s.name.endsWith('_bucket')).map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }));
    const expected: Array<[number, number]> = [];
    for (let i = 1; i < etcd.length; i++) {
      const a = buckets(etcd[i - 1]!.text);
      const b = buckets(etcd[i]!.text);
      const inc = b.map((x, j) => ({ le: x.le, count: x.count - a[j]!.count }));
      const v = histogramQuantile(0.99, inc);
      if (!Number.isNaN(v)) expected.push([etcd[i]!.t, v]);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(p99!.points).toEqual(expected);
    // An idle etcd on a healthy disk: p99 well under the 10 ms recommendation.
    for (const [, v] of p99!.points) expect(v!).toBeLessThan(0.01);
  });

  it('computes request rates by verb from counter increases over the real interval', () => {
    const rates = evaluateQuery({ kind: 'rate', series: 'apiserver_request_total', by: ['verb'], legend: '{verb}' }, load, range);
    const get = rates.find((r) => r.labels.verb === 'GET');
    expect(get).toBeDefined();
    const fam = (text: string) => parsePrometheusText(text).families.get('apiserver_request_total')!.samples.filter((s) => s.labels.verb === 'GET').reduce((a, s) => a + s.value, 0);
    const expectedFirst = (fam(api[1]!.text) - fam(api[0]!.text)) / ((api[1]!.t - api[0]!.t) / 1000);
    expect(get!.points[0]![0]).toBe(api[1]!.t);
    expect(get!.points[0]![1]).toBeCloseTo(expectedFirst, 9);
    expect(get!.points).toHaveLength(api.length - 1);
  });

  it('fills every panel of an idle cluster and names no growing resource', () => {
    const t = evaluateTimeline(load, range);
    const byId = new Map(t.panels.map((p) => [p.id, p]));
    expect(byId.get('etcd-wal-fsync')!.series.map((s) => s.name).sort()).toEqual(['p50', 'p99']);
    const db = byId.get('etcd-db-size')!;
    expect(db.series.map((s) => s.name)).toEqual(['DB size', 'in use', 'quota']);
    expect(db.stats.find((s) => s.label === 'of quota')?.value).toMatch(/% of 2.0 GiB$/);
    expect(byId.get('objects')!.series.length).toBeGreaterThan(3);
    expect(byId.get('apiserver-goroutines')!.series[0]!.points).toHaveLength(4);
    expect(t.markers).toEqual([]);
    // p99 by verb and resource: at most 8 series (the worst peaks), the worst one named in a stat.
    const slow = byId.get('apiserver-latency-resource')!;
    expect(slow.series.length).toBeGreaterThan(0);
    expect(slow.series.length).toBeLessThanOrEqual(8);
    for (const s of slow.series) expect(s.points.length).toBeLessThanOrEqual(api.length - 1);
    const peaks = slow.series.map((s) => Math.max(...s.points.map(([, v]) => v!)));
    const worst = slow.stats.find((x) => x.label === 'worst')!;
    expect(worst.value.startsWith(slow.series[peaks.indexOf(Math.max(...peaks))]!.name)).toBe(true);
  });
});

describe('counters born during the recording', () => {
  // Hand-made edge case: apiserver_request_total{verb="POST",code="500"} appears only when the first
  // write fails (as on a real NOSPACE etcd), after the recording started.
  const ok = { labels: { verb: 'POST', code: '201' }, points: [{ t: 0, v: 100 }, { t: 15_000, v: 110 }, { t: 30_000, v: 110 }, { t: 45_000, v: 110 }] };
  const failed = { labels: { verb: 'POST', code: '500' }, points: [{ t: 30_000, v: 30 }, { t: 45_000, v: 45 }] };
  const load = () => [ok, failed];
  const range = { from: 0, to: 60_000, maxPoints: 100 };

  it('counts the first value of a counter created between two scrapes as its increase', () => {
    const [s] = evaluateQuery({ kind: 'rate', series: 'x', match: { code: '500' }, legend: '500' }, load, range);
    expect(s!.points).toEqual([[30_000, 2], [45_000, 1]]); // 30 failures in the 15 s before its first scrape, then 15
  });

  it('does not invent an increase for series present since the first scrape', () => {
    const [s] = evaluateQuery({ kind: 'increase', series: 'x', match: { code: '201' }, legend: '201' }, load, range);
    expect(s!.points).toEqual([[15_000, 10], [30_000, 0], [45_000, 0]]);
  });
});
