import { describe, expect, it } from 'vitest';
import { formatCompact, formatSeconds, formatUnitTick, formatUnitValue, niceStep, niceTicks, sig } from './unit';

const MiB = 1024 ** 2;

describe('sig', () => {
  it.each([
    [0, '0'], [148.2, '148'], [12.34, '12.3'], [1.254, '1.25'], [0.05, '0.05'], [1234.4, '1,234'], [-2.5, '-2.5'],
  ])('%d → %s', (v, s) => expect(sig(v)).toBe(s));
});

describe('formatSeconds', () => {
  it.each([
    [0, '0 ms'], [0.00085, '850 µs'], [0.0123, '12.3 ms'], [0.148, '148 ms'], [1.25, '1.25 s'], [95, '95 s'],
  ])('%d s → %s', (v, s) => expect(formatSeconds(v)).toBe(s));
  it('shows a dash for missing values', () => expect(formatSeconds(null)).toBe('—'));
});

describe('formatUnitValue', () => {
  it('formats each unit', () => {
    expect(formatUnitValue('seconds', 0.1)).toBe('100 ms');
    expect(formatUnitValue('bytes', 128 * MiB)).toBe('128 MiB');
    expect(formatUnitValue('ops', 12.345)).toBe('12.3/s');
    expect(formatUnitValue('count', 18204)).toBe('18,204');
    expect(formatUnitValue('count', 0.5)).toBe('0.5');
    expect(formatUnitValue('per-minute', 1200)).toBe('1,200/min');
    expect(formatUnitValue('percent', 99.94)).toBe('99.9%');
    expect(formatUnitValue('bool', 1)).toBe('yes (1)');
    expect(formatUnitValue('ops', null)).toBe('—');
  });
});

describe('formatUnitTick', () => {
  it('keeps one sub-unit per axis', () => {
    expect(formatUnitTick('seconds', 0.05, 0.2)).toBe('50 ms');
    expect(formatUnitTick('seconds', 1, 2)).toBe('1 s');
    expect(formatUnitTick('seconds', 0.5, 2)).toBe('0.5 s');
    expect(formatUnitTick('seconds', 0)).toBe('0');
  });
  it('is compact for counts and rates', () => {
    expect(formatUnitTick('count', 12_000)).toBe('12k');
    expect(formatUnitTick('count', 1500)).toBe('1,500');
    expect(formatUnitTick('ops', 2_500_000)).toBe('2.5M/s');
    expect(formatUnitTick('bytes', 64 * MiB)).toBe('64 MiB');
  });
  it('compacts big numbers', () => expect(formatCompact(1_500_000_000)).toBe('1.5G'));
});

describe('niceStep', () => {
  it.each([[0.3, 0.5], [0.12, 0.2], [2.2, 2.5], [40, 50], [7, 10], [1, 1]])('%d → %d', (raw, s) => expect(niceStep(raw)).toBe(s));
  it('keeps counts whole', () => {
    expect(niceStep(0.3, true)).toBe(1);
    expect(niceStep(2.2, true)).toBe(5);
  });
});

describe('niceTicks', () => {
  it('reaches a 128 MiB quota in binary steps', () => {
    expect(niceTicks('bytes', 0, 128 * MiB)).toEqual([0, 32, 64, 96, 128].map((x) => x * MiB));
  });
  it('does not add a step for a value a hair over a round top', () => {
    expect(niceTicks('bytes', 0, 128.01 * MiB)).toEqual([0, 32, 64, 96, 128].map((x) => x * MiB));
    expect(niceTicks('count', 0, 2005)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks('count', 0, 2049)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
  });
  it('starts at zero and ends at or above the maximum', () => {
    const t = niceTicks('seconds', 0.001, 0.148);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(0.148);
    expect(t).toEqual([0, 0.05, 0.1, 0.15]);
  });
  it('gives a flat series an axis', () => {
    expect(niceTicks('count', 1, 1)).toEqual([0, 1]);
    expect(niceTicks('count', 0, 0)).toEqual([0, 1]);
    expect(niceTicks('ops', 0, 0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('uses whole steps for counts', () => {
    expect(niceTicks('count', 0, 1816)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks('count', 0, 3)).toEqual([0, 1, 2, 3]);
  });
});
