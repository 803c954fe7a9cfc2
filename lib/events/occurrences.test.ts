import { describe, expect, it } from 'vitest';
import { MINUTE, newOccurrences } from './occurrences';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const total = (xs: Array<[number, number]>) => xs.reduce((a, [, n]) => a + n, 0);

describe('newOccurrences', () => {
  it('a new event seen once: one, when it was seen', () => {
    expect(newOccurrences(undefined, { count: 1, firstTimestamp: T0 + 5_000, lastTimestamp: T0 + 5_000 })).toEqual([[T0 + 5_000, 1]]);
  });

  it('a repeat: the rise in count, at the new last sighting', () => {
    expect(newOccurrences({ count: 4, lastTimestamp: T0 }, { count: 604, firstTimestamp: T0, lastTimestamp: T0 + 3 * MINUTE + 10 })).toEqual([[T0 + 3 * MINUTE + 10, 600]]);
  });

  it('a copy that is not newer adds nothing (relists, the other API, a re-import)', () => {
    expect(newOccurrences({ count: 9, lastTimestamp: T0 + MINUTE }, { count: 9, firstTimestamp: T0, lastTimestamp: T0 + MINUTE })).toEqual([]);
    expect(newOccurrences({ count: 9, lastTimestamp: T0 + MINUTE }, { count: 5, firstTimestamp: T0, lastTimestamp: T0 })).toEqual([]);
  });

  it('first seen with repeats already folded in: spread over its span, one at the first sighting, none lost', () => {
    const r = newOccurrences(undefined, { count: 31, firstTimestamp: T0, lastTimestamp: T0 + 10 * MINUTE });
    expect(total(r)).toBe(31);
    // One at the first sighting, then 30 over the ten minutes after it, 3 a minute.
    expect(r).toEqual([[T0, 1], ...Array.from({ length: 10 }, (_, i): [number, number] => [T0 + (i + 1) * MINUTE, 3])]);
  });

  it('an old series seen for the first time is no spike: three days of 800 repeats over at most 60 slices', () => {
    const r = newOccurrences(undefined, { count: 800, firstTimestamp: T0 - 3 * 24 * 60 * MINUTE, lastTimestamp: T0 });
    expect(total(r)).toBe(800);
    expect(r.length).toBeLessThanOrEqual(61);
    expect(Math.max(...r.map(([, n]) => n))).toBeLessThan(20);
    expect(r[r.length - 1]![0]).toBe(T0);
  });

  it('no first time, or a first time after the last: all at the last sighting', () => {
    expect(newOccurrences(undefined, { count: 3, firstTimestamp: 0, lastTimestamp: T0 + 1 })).toEqual([[T0 + 1, 3]]);
    expect(newOccurrences(undefined, { count: 3, firstTimestamp: T0 + 9 * MINUTE, lastTimestamp: T0 })).toEqual([[T0, 3]]);
  });
});
