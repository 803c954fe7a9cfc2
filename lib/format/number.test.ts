import { describe, expect, it } from 'vitest';
import { formatCount } from './number';

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1790)).toBe('1,790');
    expect(formatCount(18_204)).toBe('18,204');
    expect(formatCount(7)).toBe('7');
  });
  it('rounds to whole numbers', () => expect(formatCount(61.6)).toBe('62'));
  it('shows a dash for missing values', () => expect(formatCount(null)).toBe('—'));
});
