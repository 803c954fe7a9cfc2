import { describe, expect, it } from 'vitest';
import { isStale, staleAfterMs } from './staleness';

describe('staleness', () => {
  it('is one interval and a grace of half an interval, 1 to 5 s', () => {
    expect(staleAfterMs(2_000)).toBe(3_000);
    expect(staleAfterMs(3_000)).toBe(4_500);
    expect(staleAfterMs(15_000)).toBe(20_000);
    expect(staleAfterMs(60_000)).toBe(65_000);
    expect(staleAfterMs(1_000)).toBe(2_000);
  });

  it('says stale once the scrape that was due is late, and when nothing was scraped', () => {
    expect(isStale(14_000, 15_000)).toBe(false);
    expect(isStale(20_000, 15_000)).toBe(false);
    expect(isStale(20_001, 15_000)).toBe(true);
    expect(isStale(null, 15_000)).toBe(true);
  });
});
