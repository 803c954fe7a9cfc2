import { describe, expect, it } from 'vitest';
import { pickLabels, seriesKey, withoutLabels } from './series';

describe('seriesKey', () => {
  it('ignores label order and empty values, and honours exclusions', () => {
    expect(seriesKey({ b: '2', a: '1' })).toBe(seriesKey({ a: '1', b: '2', c: '' }));
    expect(seriesKey({ a: '1', le: '0.5' }, ['le'])).toBe(seriesKey({ a: '1' }));
    expect(seriesKey({ a: '1', le: '0.5' }, new Set(['le']))).toBe(seriesKey({ a: '1' }));
  });

  it('cannot be forged by separators inside values', () => {
    expect(seriesKey({ a: 'x","b","y' })).not.toBe(seriesKey({ a: 'x', b: 'y' }));
    expect(seriesKey({ a: 'x,b=y' })).not.toBe(seriesKey({ a: 'x', b: 'y' }));
  });
});

describe('label helpers', () => {
  it('withoutLabels and pickLabels', () => {
    expect(withoutLabels({ a: '1', le: '2' }, ['le'])).toEqual({ a: '1' });
    expect(pickLabels({ verb: 'GET' }, ['verb', 'resource'])).toEqual({ verb: 'GET', resource: '' });
  });
});
