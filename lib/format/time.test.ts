import { describe, expect, it } from 'vitest';
import { formatUtc, formatUtcRange, formatUtcShort, utcClock, utcDate } from './time';

const t = Date.parse('2026-11-23T01:53:25.600Z');

describe('UTC times', () => {
  it('formats clock and date in UTC, whatever the local zone', () => {
    expect(utcClock(t)).toBe('01:53:25');
    expect(utcClock(t, false)).toBe('01:53');
    expect(utcDate(t)).toBe('23 Nov 2026');
  });

  it('omits the date on the same UTC day', () => {
    expect(formatUtc(t, t + 3_600_000)).toBe('01:53:25 UTC');
    expect(formatUtc(t, t + 86_400_000)).toBe('23 Nov 2026 01:53:25 UTC');
    expect(formatUtc(t)).toBe('01:53:25 UTC');
  });
});

describe('formatUtcShort', () => {
  it('gives the clock on the same day, else the date and minutes', () => {
    expect(formatUtcShort(t, t + 60_000)).toBe('01:53:25');
    expect(formatUtcShort(t, t + 86_400_000)).toBe('23 Nov 01:53');
  });
});

describe('formatUtcRange', () => {
  it('formats a same-day range in minutes', () => {
    expect(formatUtcRange(t, Date.parse('2026-11-23T02:10:05Z'))).toBe('23 Nov 2026, 01:53–02:10 UTC');
  });
  it('keeps seconds for short ranges', () => {
    expect(formatUtcRange(t, Date.parse('2026-11-23T01:54:10Z'))).toBe('23 Nov 2026, 01:53:25–01:54:10 UTC');
  });
  it('gives both dates across midnight', () => {
    expect(formatUtcRange(Date.parse('2026-11-22T23:50:00Z'), Date.parse('2026-11-23T00:20:00Z')))
      .toBe('22 Nov 2026 23:50 – 23 Nov 2026 00:20 UTC');
  });
});
