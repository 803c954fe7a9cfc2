import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_CAPTURE, DEFAULT_GROWTH_RULES, decideAutoCapture, growthVerdict } from './auto-policy';

const goroutines = DEFAULT_GROWTH_RULES[0]!;
const min = 60_000;
const series = (vals: number[], step = min) => vals.map((v, i) => ({ t: i * step, v }));

describe('growth trigger', () => {
  it('fires on a steady leak: +1 goroutine per failed call, for half an hour', () => {
    const pts = series(Array.from({ length: 31 }, (_, i) => 1700 + i * 60)); // 1,700 → 3,500
    const v = growthVerdict(goroutines, pts, 30 * min)!;
    expect(v.reason).toBe('goroutines rose from 1,700 to 3,500 in 30 min');
    expect(v.from).toBe(0);
  });
  it('stays silent on an idle apiserver, a small rise, and a spike that fell back', () => {
    expect(growthVerdict(goroutines, series(Array.from({ length: 31 }, (_, i) => 1690 + (i % 3))), 30 * min)).toBeNull();
    expect(growthVerdict(goroutines, series(Array.from({ length: 31 }, (_, i) => 1700 + i * 10)), 30 * min)).toBeNull();
    const spike: number[] = Array.from({ length: 31 }, (_, i) => (i >= 10 && i < 20 ? 4000 : 1700));
    spike[30] = 3000; // a second burst in progress, after a fall
    expect(growthVerdict(goroutines, series(spike), 30 * min)).toBeNull();
    // One step up to a new, flat level of load.
    expect(growthVerdict(goroutines, series(Array.from({ length: 31 }, (_, i) => (i < 10 ? 1700 : 3600))), 30 * min)).toBeNull();
    // The leak with flat scrapes between calls (one leaked goroutine per minute at a 15 s interval) still fires.
    const slow = series(Array.from({ length: 121 }, (_, i) => 1700 + Math.floor(i / 4) * 40), 15_000);
    expect(growthVerdict(goroutines, slow, 30 * min)?.reason).toBe('goroutines rose from 1,700 to 2,900 in 30 min');
  });
});

describe('decideAutoCapture', () => {
  const leak = series(Array.from({ length: 31 }, (_, i) => 1700 + i * 60));
  const load = (s: string) => (s === 'go_goroutines' ? leak : []);
  it('takes a growth capture, then waits out the cooldown', () => {
    expect(decideAutoCapture(DEFAULT_AUTO_CAPTURE, 30 * min, load, {})).toMatchObject({ trigger: 'threshold' });
    expect(decideAutoCapture(DEFAULT_AUTO_CAPTURE, 30 * min, load, { lastTriggered: 10 * min })).toBeNull();
  });
  it('schedules when asked, and only when due', () => {
    const p = { ...DEFAULT_AUTO_CAPTURE, everyMs: 15 * min, growth: [] };
    expect(decideAutoCapture(p, 30 * min, load, {})).toEqual({ trigger: 'schedule', reason: 'scheduled (every 15 min)' });
    expect(decideAutoCapture(p, 30 * min, load, { lastScheduled: 20 * min })).toBeNull();
    expect(decideAutoCapture(p, 36 * min, load, { lastScheduled: 20 * min })).toMatchObject({ trigger: 'schedule' });
  });
});
