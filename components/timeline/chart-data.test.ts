import { describe, expect, it } from 'vitest';
import type { TimelinePanel } from '@/lib/query/timeline';
import {
  emptyMessage, fastestResource, lastValue, markersInRange, nearestPoint, nearestTickIndex, prepareSeries, REFERENCE_COLOR, splitThresholds,
  toChartPoints, typicalStep, valueExtent,
} from './chart-data';

const pts = (...ts: Array<[number, number | null]>) => ts;

describe('toChartPoints', () => {
  it('breaks the line where recording stopped', () => {
    const out = toChartPoints(pts([0, 1], [15, 2], [30, 3], [45, 4], [300, 5]));
    expect(out.map((p) => p.v)).toEqual([1, 2, 3, 4, null, 5]);
    expect(out[4]!.t).toBe(173);
  });
  it('keeps nulls from the API as gaps', () => {
    expect(toChartPoints(pts([0, 1], [15, null], [30, 3])).map((p) => p.v)).toEqual([1, null, 3]);
  });
  it('measures the typical step', () => expect(typicalStep(pts([0, 1], [15, 1], [30, 1], [100, 1]))).toBe(15));
});

describe('nearestPoint', () => {
  const p = toChartPoints(pts([0, 1], [10, 2], [20, null], [30, 4]), 0);
  it('finds the nearest point with a value', () => {
    expect(nearestPoint(p, 11, 100)).toEqual({ t: 10, v: 2 });
    expect(nearestPoint(p, 21, 100)).toEqual({ t: 30, v: 4 });
  });
  it('gives nothing beyond the tolerance', () => expect(nearestPoint(p, 60, 5)).toBeUndefined());
  it('handles an empty series', () => expect(nearestPoint([], 1, 5)).toBeUndefined());
  it('finds the last value', () => expect(lastValue(toChartPoints(pts([0, 1], [10, null]), 0))).toBe(1));
});

describe('nearestTickIndex', () => {
  const ticks = [{ value: 30 }, { value: 0 }, { value: 10 }];
  it('matches by time, not by position', () => {
    expect(nearestTickIndex(ticks, 12, 5)).toBe(2);
    expect(nearestTickIndex(ticks, 28, 5)).toBe(0);
  });
  it('gives -1 when nothing is near', () => expect(nearestTickIndex(ticks, 100, 5)).toBe(-1));
});

const panel = (o: Partial<TimelinePanel> & { result: TimelinePanel['result'] }): TimelinePanel => ({
  id: 'p', group: 'etcd', title: 'P', explanation: '', unit: 'bytes', ...o,
});

describe('prepareSeries', () => {
  it('draws reference series (the quota) dashed in the critical colour, data lines in the palette', () => {
    const s = prepareSeries(panel({ result: { id: 'p', stats: [], series: [
      { name: 'DB size', labels: {}, style: 'line', points: [[0, 1], [15, 2]] },
      { name: 'quota', labels: {}, style: 'reference', points: [[0, 8], [15, 8]] },
      { name: 'in use', labels: {}, style: 'line', points: [[0, 1]] },
    ] } }));
    expect(s.map((x) => [x.name, x.reference, x.color])).toEqual([
      ['DB size', false, 'var(--series-0)'], ['quota', true, REFERENCE_COLOR], ['in use', false, 'var(--series-1)'],
    ]);
    expect(s[0]!.last).toBe(2);
    expect(valueExtent(s)).toEqual({ min: 1, max: 8 });
  });
  it('highlights the fastest-growing resource', () => {
    const series = [
      { name: 'secrets', labels: {}, style: 'line' as const, points: [] },
      { name: 'ephemeralreports.reports.kyverno.io', labels: {}, style: 'line' as const, points: [] },
    ];
    const stats = [{ label: 'fastest growing', value: 'ephemeralreports.reports.kyverno.io +1.2k/min (2.0k now)', severity: 'warning' as const }];
    expect(fastestResource(stats, series)).toBe('ephemeralreports.reports.kyverno.io');
    const s = prepareSeries(panel({ special: 'objects', unit: 'count', result: { id: 'objects', stats, series } }));
    expect(s.map((x) => x.highlight)).toEqual([false, true]);
  });
  it('names no resource when nothing grows', () => {
    expect(fastestResource([{ label: 'fastest growing', value: 'nothing is growing' }], [])).toBeUndefined();
  });
});

describe('splitThresholds', () => {
  const th = [
    { value: 0.01, label: '10 ms', severity: 'warning' as const },
    { value: 0.1, label: '100 ms', severity: 'critical' as const },
  ];
  it('draws thresholds near the data and lists the rest', () => {
    expect(splitThresholds(th, 0.004)).toEqual({ shown: [th[0]], offScale: [th[1]] });
    expect(splitThresholds(th, 0.15).shown).toHaveLength(2);
    expect(splitThresholds(undefined, 1)).toEqual({ shown: [], offScale: [] });
  });
});

describe('markersInRange', () => {
  it('clips findings to the range and widens a one-point finding', () => {
    const m = markersInRange([
      { t: 50, until: 200, kind: 'finding', label: 'NOSPACE', severity: 'critical' },
      { t: 500, kind: 'restart', label: 'restarted' },
      { t: 60, until: 60, kind: 'finding', label: 'blip', severity: 'warning' },
    ], 100, 1100, 0.01);
    expect(m.map((x) => [x.label, x.x1, x.x2])).toEqual([['NOSPACE', 100, 200], ['restarted', 500, 500]]);
    const w = markersInRange([{ t: 600, until: 600, kind: 'finding', label: 'blip' }], 100, 1100, 0.01);
    expect(w[0]!.x2 - w[0]!.x1).toBe(10);
  });
});

describe('emptyMessage', () => {
  const empty = panel({ id: 'etcd-peer-rtt', result: { id: 'etcd-peer-rtt', series: [], stats: [], empty: 'No etcd metrics in this range: configure an etcd endpoint' } });
  const full = panel({ id: 'etcd-wal-fsync', result: { id: 'etcd-wal-fsync', stats: [], series: [{ name: 'p99', labels: {}, style: 'line', points: [[0, 1]] }] } });
  it("keeps the server's reason when no etcd panel has data", () => expect(emptyMessage(empty, [empty])).toMatch(/configure an etcd endpoint/));
  it('does not blame the configuration when etcd is recorded', () => expect(emptyMessage(empty, [empty, full])).toMatch(/being recorded, but none for this panel/));
  it('is undefined for a panel with data', () => expect(emptyMessage(full, [full])).toBeUndefined());
});
