import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, recordedBundle, type RecordedBundle } from '../../test/support/recorded-bundle';
import type { SeriesData } from '../timeline/types';
import { detect, onsetOfRun } from './evaluate';

describe('onsetOfRun', () => {
  const pts = [1, 5, 6, 2, 7, 8, 9].map((v, i) => ({ t: i * 10, v }));
  it('is the first point of the run that holds at the newest point', () => {
    expect(onsetOfRun(pts, 60, (p) => p.v > 4)).toBe(40);
    expect(onsetOfRun(pts, 25, (p) => p.v > 4)).toBe(10);
    expect(onsetOfRun(pts, 30, (p) => p.v > 4)).toBeNull();
    expect(onsetOfRun([], 30, () => true)).toBeNull();
  });
});

// A hand-made NOSPACE history: the DB grows from 40 % of a 128 MiB quota, reaches it at t=10 min,
// and every write fails from then on (POST 500s counted by the apiserver).
const MiB = 1024 ** 2;
const quota = 128 * MiB;
const minutes = Array.from({ length: 21 }, (_, i) => i * 60_000);
const db = minutes.map((t, i) => ({ t, v: Math.min(0.4 + i * 0.06, 0.999) * quota }));
const series: Record<string, SeriesData[]> = {
  etcd_mvcc_db_total_size_in_bytes: [{ labels: {}, points: db }],
  etcd_server_quota_backend_bytes: [{ labels: {}, points: minutes.map((t) => ({ t, v: quota })) }],
  apiserver_request_total: [
    { labels: { verb: 'POST', code: '201' }, points: minutes.map((t, i) => ({ t, v: 100 + 30 * Math.min(i, 10) })) },
    { labels: { verb: 'POST', code: '500' }, points: minutes.filter((t) => t >= 11 * 60_000).map((t, i) => ({ t, v: 30 * (i + 1) })) },
  ],
  kf_census_objects: [
    { labels: { resource: 'configmaps' }, points: minutes.map((t) => ({ t, v: 40 })) },
    { labels: { resource: 'ephemeralreports.reports.kyverno.io' }, points: minutes.map((t, i) => ({ t, v: i < 3 ? 12 : 12 + 200 * Math.min(i - 2, 8) })) },
  ],
};
const load = (n: string) => series[n] ?? [];

describe('detector evidence starts at the onset, not at the lookback window', () => {
  const at = 20 * 60_000;
  const findings = detect({ load, at, from: 0 });
  it('NOSPACE: from the first scrape at the quota, naming the first failed write', () => {
    const f = findings.find((x) => x.detector === 'etcd-nospace')!;
    expect(f.severity).toBe('critical');
    // 0.4 + i·0.06 ≥ 0.99 first at i = 10 (1.0 → capped at 0.999 of the quota).
    expect(f.evidence.from).toBe(10 * 60_000);
    expect(f.evidence.facts.join('\n')).toContain('first failed write recorded at 1970-01-01T00:11:00Z');
  });
  it('growth: from where the resource began to grow', () => {
    const f = detect({ load, at: 8 * 60_000, from: 0 }).find((x) => x.detector === 'resource-growth')!;
    expect(f.summary).toContain('ephemeralreports.reports.kyverno.io');
    expect(f.evidence.from).toBe(2 * 60_000);
  });
  it('DB quota: from the crossing of the level reached (superseded by NOSPACE in the list)', () => {
    expect(findings.some((x) => x.detector === 'etcd-db-quota')).toBe(false);
    const early = detect({ load, at: 8 * 60_000, from: 0 }).find((x) => x.detector === 'etcd-db-quota')!;
    // At 8 min the DB is at 88 % and projected full within minutes (critical); it crossed 80 % at 7 min (0.4 + 7·0.06 = 0.82).
    expect(early.severity).toBe('critical');
    expect(early.summary).toBe('etcd DB at 88.0% of its quota');
    expect(early.evidence.from).toBe(7 * 60_000);
  });
});

// Real recorded series: the demo bundles recorded from the real control plane.
const has = (n: string) => fs.existsSync(path.join(BUNDLES, `${n}.tar.gz`));

describe('on the healthy baseline (real recording)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('healthy-baseline'); }, 120_000);
  afterAll(() => b?.close());
  it('no detector fires above info', () => {
    const f = detect({ load: b.load, at: b.to, from: b.from });
    expect(f.filter((x) => x.severity !== 'info')).toEqual([]);
  });
});

describe.runIf(has('etcd-nospace'))('on the NOSPACE recording (real)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('etcd-nospace'); }, 120_000);
  afterAll(() => b?.close());
  it('fires NOSPACE (critical) from the onset, with the real 500s, and names the grower', () => {
    const f = detect({ load: b.load, at: b.to, from: b.from });
    const nospace = f.find((x) => x.detector === 'etcd-nospace')!;
    expect(nospace.severity).toBe('critical');
    expect(nospace.summary).toContain('writes fail');
    expect(nospace.evidence.from).toBeGreaterThan(b.from + 60_000);
    expect(nospace.evidence.from).toBeLessThan(b.to);
    const size = b.load('etcd_mvcc_db_total_size_in_bytes')[0]!.points;
    const before = size.filter((p) => p.t < nospace.evidence.from);
    expect(before[before.length - 1]!.v).toBeLessThan(0.99 * 128 * MiB);
    const growthAt = size.find((p) => p.v > 0.9 * 128 * MiB)!.t;
    const g = detect({ load: b.load, at: growthAt, from: b.from }).find((x) => x.detector === 'resource-growth')!;
    expect(g.summary).toContain('ephemeralreports.reports.kyverno.io');
    // The onset is the census just before the flood (count 0), not the start of the lookback window.
    const census = b.load('kf_census_objects').find((x) => x.labels.resource === 'ephemeralreports.reports.kyverno.io')!.points;
    const firstGrown = census.findIndex((p) => p.v > 0);
    expect(firstGrown).toBeGreaterThan(0);
    expect(g.evidence.from).toBe(census[firstGrown - 1]!.t);
  });
});

describe('threshold detectors keep the worst level of an ongoing run', () => {
  // A hand-made gauge detector: warning above 1, critical above 10, two points sustained.
  const spec = {
    id: 'gauge-test', kind: 'threshold' as const, title: 'test gauge', summary: 'value {value}', format: 'count' as const,
    query: { kind: 'gauge' as const, series: 'g', legend: 'g' }, levels: [{ severity: 'warning' as const, above: 1 }, { severity: 'critical' as const, above: 10 }],
    sustainedPoints: 2, explanation: '', references: [],
  };
  const gauge = (vs: number[]) => (n: string) => (n === 'g' ? [{ labels: {}, points: vs.map((v, i) => ({ t: i * 60_000, v })) }] : []);
  const run = (vs: number[]) => detect({ load: gauge(vs), at: (vs.length - 1) * 60_000, from: 0 }, [spec])[0];
  it('critical, easing but not over: stays critical and names the peak', () => {
    const f = run([0, 0, 20, 30, 25, 5, 4])!;
    expect(f.severity).toBe('critical');
    expect(f.summary).toBe('value 4 (peak 30)');
    expect(f.evidence.facts).toContain('above 10 (critical) from 1970-01-01T00:02:00Z; easing since, not over');
  });
  it('a single spike over the critical level is not sustained: warning', () => {
    expect(run([0, 2, 30, 2, 2])!.severity).toBe('warning');
  });
  it('once the run ends, nothing', () => {
    expect(run([0, 20, 30, 0])).toBeUndefined();
  });
});
