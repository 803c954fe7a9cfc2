import { describe, expect, it } from 'vitest';
import { formatTimeTick, timeStep, utcTimeTicks } from './time-axis';

const t0 = Date.parse('2026-11-23T01:53:25Z');

describe('utcTimeTicks', () => {
  it('puts ticks on round UTC minutes', () => {
    const ticks = utcTimeTicks(t0, t0 + 15 * 60_000, 8);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['01:54:00', '01:56:00', '01:58:00', '02:00:00', '02:02:00', '02:04:00', '02:06:00', '02:08:00']);
  });
  it('never gives more than asked', () => {
    for (const span of [60_000, 3_600_000, 86_400_000, 7 * 86_400_000]) {
      for (const max of [3, 6, 12]) expect(utcTimeTicks(t0, t0 + span, max).length).toBeLessThanOrEqual(max + 1);
    }
  });
  it('is empty for an empty range', () => expect(utcTimeTicks(t0, t0, 5)).toEqual([]));
});

describe('timeStep', () => {
  it('picks the smallest round step that fits', () => {
    expect(timeStep(0, 3_600_000, 6)).toBe(10 * 60_000);
    expect(timeStep(0, 3_600_000, 5)).toBe(15 * 60_000);
    expect(timeStep(0, 7 * 86_400_000, 8)).toBe(86_400_000);
  });
});

describe('formatTimeTick', () => {
  it('shows seconds only for sub-minute steps, and the date at midnight or for day steps', () => {
    expect(formatTimeTick(Date.parse('2026-11-23T01:55:00Z'), 5 * 60_000)).toBe('01:55');
    expect(formatTimeTick(Date.parse('2026-11-23T01:55:30Z'), 30_000)).toBe('01:55:30');
    expect(formatTimeTick(Date.parse('2026-11-23T00:00:00Z'), 3_600_000)).toBe('23 Nov');
    expect(formatTimeTick(Date.parse('2026-11-24T00:00:00Z'), 86_400_000)).toBe('24 Nov');
  });
});
