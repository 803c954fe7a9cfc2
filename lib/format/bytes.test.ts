import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent } from './bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [401_408, '392 KiB'],
    [286_842_880, '274 MiB'],
    [27.4 * 1024 ** 2, '27.4 MiB'],
    [8 * 1024 ** 3, '8 GiB'],
    [2 * 1024 ** 3, '2 GiB'],
    [1023.97 * 1024, '1 MiB'],
  ])('%d → %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it('shows a dash for missing values', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatPercent', () => {
  it.each([
    [0, '0.0%'],
    [0.0001, '<0.1%'],
    [0.0523, '5.2%'],
    [0.95, '95%'],
    [1.02, '102%'],
  ])('%d → %s', (r, s) => expect(formatPercent(r)).toBe(s));

  it('shows a dash for missing values', () => expect(formatPercent(null)).toBe('—'));
});
