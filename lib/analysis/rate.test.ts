// Hand-written series for PromQL's extrapolatedRate / instantValue rules; every expected value is
// worked out in the comment above it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { delta, deltaCounter, extrapolatedRate, increase, irate, rate, selectRange } from './rate';
import type { Point } from './rate';

const s = (sec: number, v: number): Point => ({ t: sec * 1000, v });

describe('selectRange', () => {
  it('is left-open and right-closed, like Prometheus 3 range selectors', () => {
    const pts = [s(0, 0), s(15, 1), s(30, 2), s(60, 3), s(61, 4)];
    expect(selectRange(pts, { endMs: 60_000, rangeMs: 60_000 }).map((p) => p.t / 1000)).toEqual([15, 30, 60]);
  });
});

describe('increase / rate', () => {
  it('extrapolates to both edges when the samples reach them', () => {
    // Samples every 15 s at 1/s; window (0, 60s] holds t=15..60, values 15..60.
    // result = 45; sampled interval 45 s; avg spacing 15 s, threshold 16.5 s.
    // durationToStart = 15 (< 16.5, kept); zero point: 45·15/45 = 15, not < 15; durationToEnd = 0.
    // factor = (45 + 15 + 0) / 45 → increase = 60, rate = 60 / 60 s = 1.
    const pts = [0, 15, 30, 45, 60].map((t) => s(t, t));
    const w = { endMs: 60_000, rangeMs: 60_000 };
    expect(increase(pts, w)).toBeCloseTo(60, 12);
    expect(rate(pts, w)).toBeCloseTo(1, 12);
  });

  it('adds back the value before each counter reset', () => {
    // t=10,20,30,40 values 5,10,2,6 in (0,40]: result = 6−5 + 10 (reset after 10) = 11.
    // sampled 30 s, avg 10 s, threshold 11; durationToStart 10 kept; zero point 30·5/11 = 13.6 > 10;
    // end 0 → factor (30+10)/30 → increase = 11·4/3 = 14.666…, rate = that / 40 s.
    const pts = [s(10, 5), s(20, 10), s(30, 2), s(40, 6)];
    const w = { endMs: 40_000, rangeMs: 40_000 };
    expect(increase(pts, w)).toBeCloseTo(44 / 3, 12);
    expect(rate(pts, w)).toBeCloseTo(44 / 3 / 40, 12);
  });

  it('extends by half a spacing when the series starts inside the window, and never below zero', () => {
    // t=30,40,50,60 values 1,11,21,31 in (0,60]: result 30, sampled 30 s, avg 10 s, threshold 11.
    // durationToStart = 30 ≥ 11 → 5 (half the spacing); zero point 30·1/30 = 1 < 5 → 1.
    // factor (30+1+0)/30 → increase 31.
    const pts = [s(30, 1), s(40, 11), s(50, 21), s(60, 31)];
    expect(increase(pts, { endMs: 60_000, rangeMs: 60_000 })).toBeCloseTo(31, 12);
  });

  it('extends by half a spacing when the series ends inside the window', () => {
    // t=10,20,30 values 0,10,20 in (0,60]: result 20, sampled 20 s, avg 10 s, threshold 11.
    // start 10 kept, but the zero point is 20·0/20 = 0 → 0. durationToEnd 30 ≥ 11 → 5.
    // factor (20+0+5)/20 → increase 25.
    const pts = [s(10, 0), s(20, 10), s(30, 20)];
    expect(increase(pts, { endMs: 60_000, rangeMs: 60_000 })).toBeCloseTo(25, 12);
  });

  it('returns undefined with fewer than two samples in the window (PromQL drops the series)', () => {
    expect(increase([s(10, 1)], { endMs: 60_000, rangeMs: 60_000 })).toBeUndefined();
    expect(rate([s(0, 1), s(70, 2)], { endMs: 60_000, rangeMs: 60_000 })).toBeUndefined();
  });

  it('delta() treats a gauge: no reset handling, no zero clamp', () => {
    // t=10,20,30 values 10,5,20 in (0,30]: result 10; start 10 (< 11) kept; end 0 → ×30/20 = 15.
    expect(delta([s(10, 10), s(20, 5), s(30, 20)], { endMs: 30_000, rangeMs: 30_000 })).toBeCloseTo(15, 12);
    expect(extrapolatedRate([s(10, 10), s(20, 5)], { endMs: 20_000, rangeMs: 20_000 }, false, false)).toBeCloseTo(-10, 12);
  });

  it('a steady counter has rate = slope when the window is sample-aligned (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 50 }), fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (n, stepS, slope) => {
      const pts = Array.from({ length: n + 1 }, (_, i) => s(i * stepS, 1e6 + i * stepS * slope));
      const r = rate(pts, { endMs: n * stepS * 1000, rangeMs: n * stepS * 1000 });
      expect(r).toBeDefined();
      // Subtracting values near 1e6 loses digits: the relative error is about 2^-52·1e6/(slope·step),
      // up to ~1e-8 for the smallest slopes here, so 1e-6 is the honest tolerance.
      expect(Math.abs(r! - slope) / slope).toBeLessThan(1e-6);
    }), { seed: 20261123, numRuns: 500 });
  });
});

describe('irate / deltaCounter', () => {
  it('uses the last two samples and treats a drop as a reset', () => {
    // (10 s, 100) → (25 s, 40): a reset, so the increase is 40 over 15 s.
    expect(irate([s(0, 50), s(10, 100), s(25, 40)], { endMs: 30_000, rangeMs: 60_000 })).toBeCloseTo(40 / 15, 12);
    expect(irate([s(0, 50), s(10, 80)], { endMs: 30_000, rangeMs: 60_000 })).toBeCloseTo(3, 12);
    expect(irate([s(10, 1)], { endMs: 30_000, rangeMs: 60_000 })).toBeUndefined();
  });

  it('deltaCounter: cur − prev, or cur after a reset', () => {
    expect(deltaCounter(10, 15)).toBe(5);
    expect(deltaCounter(10, 3)).toBe(3);
    expect(deltaCounter(10, 10)).toBe(0);
  });
});
