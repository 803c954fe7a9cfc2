import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lttb, minMaxDownsample } from './downsample';
import type { Point } from './rate';

const series = (vals: number[]): Point[] => vals.map((v, i) => ({ t: i * 15_000, v }));

describe('minMaxDownsample', () => {
  it('keeps a one-sample spike that averaging would lose', () => {
    const vals = Array.from({ length: 1000 }, () => 1);
    vals[537] = 500;
    vals[200] = -3;
    const out = minMaxDownsample(series(vals), 20);
    expect(out.length).toBeLessThanOrEqual(42);
    expect(out.some((p) => p.v === 500 && p.t === 537 * 15_000)).toBe(true);
    expect(out.some((p) => p.v === -3)).toBe(true);
    expect(out[0]).toEqual({ t: 0, v: 1 });
    expect(out[out.length - 1]).toEqual({ t: 999 * 15_000, v: 1 });
  });

  it('returns a copy when already small', () => {
    const pts = series([1, 2, 3]);
    const out = minMaxDownsample(pts, 10);
    expect(out).toEqual(pts);
    expect(out).not.toBe(pts);
  });

  it('buckets by time: a gap leaves empty buckets instead of squeezing', () => {
    const pts = [...series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { t: 1_000_000, v: 0 }];
    const out = minMaxDownsample(pts, 4);
    expect(out.map((p) => p.v)).toEqual([1, 2, 10, 0]);
  });

  it('keeps a NaN gap only when a bucket holds nothing else', () => {
    const vals = [1, NaN, NaN, NaN, NaN, NaN, 2, 3, 4, 5, 6, 7, 8, 9];
    const out = minMaxDownsample(series(vals), 4);
    expect(out.some((p) => Number.isNaN(p.v))).toBe(true);
  });

  it('is time-ordered, bounded, and preserves the global min and max (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.integer({ min: 1, max: 50 }), (vals, n) => {
      const pts = series(vals);
      const out = minMaxDownsample(pts, n);
      expect(out.length).toBeLessThanOrEqual(Math.max(pts.length, 2 * n + 2));
      for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThanOrEqual(out[i - 1]!.t);
      expect(Math.max(...out.map((p) => p.v))).toBe(Math.max(...vals));
      expect(Math.min(...out.map((p) => p.v))).toBe(Math.min(...vals));
    }));
  });
});

describe('lttb', () => {
  it('reduces to exactly the threshold, keeping first and last', () => {
    const pts = series(Array.from({ length: 1000 }, (_, i) => Math.sin(i / 20)));
    const out = lttb(pts, 100);
    expect(out).toHaveLength(100);
    expect(out[0]).toBe(pts[0]);
    expect(out[99]).toBe(pts[999]);
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
  });

  it('picks the peak of a single spike', () => {
    const vals = Array.from({ length: 300 }, () => 0);
    vals[150] = 100;
    expect(lttb(series(vals), 10).some((p) => p.v === 100)).toBe(true);
  });

  it('returns a copy when no reduction is possible', () => {
    const pts = series([1, 2, 3, 4]);
    expect(lttb(pts, 10)).toEqual(pts);
    expect(lttb(pts, 2)).toEqual(pts);
  });
});
