import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatIn } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [4_000, '4 s'],
    [59_999, '59 s'],
    [60_000, '1m'],
    [192_000, '3m 12s'],
    [3_600_000, '1h'],
    [3_900_000, '1h 05m'],
    [26 * 3_600_000, '1d 2h'],
    [3 * 86_400_000, '3d'],
  ])('%d ms → %s', (ms, s) => expect(formatDuration(ms)).toBe(s));

  it('reads negative and non-finite durations as zero', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('0 s');
  });
});

describe('formatAgo / formatIn', () => {
  it('says "just now" under a second and for future times', () => {
    expect(formatAgo(400)).toBe('just now');
    expect(formatAgo(-3_000)).toBe('just now');
    expect(formatAgo(4_200)).toBe('4 s ago');
    expect(formatAgo(192_000)).toBe('3m 12s ago');
  });
  it('counts down to "now"', () => {
    expect(formatIn(40_000)).toBe('in 40 s');
    expect(formatIn(0)).toBe('now');
    expect(formatIn(-100)).toBe('now');
  });
});
