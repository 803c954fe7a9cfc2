import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile, parseProfile } from '../parse/pprof';
import { encodeFixtureProfile } from '../parse/pprof-fixture';
import { topTable } from './profile';
import { formatPercentage, formatTopText, goFixed2, scaledLabel, scaleValue } from './profile-format';
import { compareGoStrings, simplifyFunc } from './profile-graph';

const root = path.resolve(__dirname, '../..');
const heap = () => parseProfile(new Uint8Array(fs.readFileSync(path.join(root, 'testdata/pprof/go1.19/heap.pb.gz'))));
const row = (t: ReturnType<typeof topTable>, name: string) => t.rows.find((r) => r.function === name);

describe('topTable semantics (pprof internal/graph newGraph, report newTrimmedGraph)', () => {
  const fixture = decodeProfile(encodeFixtureProfile({
    sampleTypes: [['objects', 'count'], ['space', 'bytes']],
    samples: [
      // recursion: rec appears three times on one stack; cum must count the sample once
      { stack: ['rec', 'rec', 'rec', 'main'], values: [1, 1000] },
      // inline chain (leaf first) inside one location
      { stack: [['inner', 'outer'], 'main'], values: [2, 500] },
      { stack: ['outer', 'main'], values: [1, 300] },
      { stack: ['tiny', 'main'], values: [1, 1] }, // below the 0.5% node fraction
      { stack: ['zero', 'main'], values: [0, 0] }, // zero samples are skipped entirely
    ],
  }));

  it('flat = leaf value, cum = once per sample, default sample type is the last', () => {
    const t = topTable(fixture);
    expect(t.sampleType.type).toBe('space');
    expect(t.total).toBe(1801);
    expect(row(t, 'rec')).toMatchObject({ flat: 1000, cum: 1000 });
    expect(row(t, 'main')).toMatchObject({ flat: 0, cum: 1801 });
    expect(row(t, 'inner')).toMatchObject({ flat: 500, cum: 500, inline: 'inline' });
    expect(row(t, 'outer')).toMatchObject({ flat: 300, cum: 800, inline: '' });
    expect(row(t, 'zero')).toBeUndefined();
  });

  it('drops nodes with |cum| < int64(Σflat × 0.005) and reports them', () => {
    const t = topTable(fixture);
    expect(row(t, 'tiny')).toBeUndefined(); // cum 1 < trunc(1801 × 0.005) = 9
    expect(t.droppedNodes).toBe(1);
    expect(t.droppedCutoff).toBe(9);
    expect(t.nodesAfterCutoff).toBe(4);
  });

  it('sorts by flat desc, then name', () => {
    const t = topTable(fixture, 'space', { nodeFraction: 0 });
    expect(t.rows.map((r) => r.function)).toEqual(['rec', 'inner', 'outer', 'tiny', 'main']);
    expect(t.rows.at(-1)!.sumPct).toBeCloseTo(100);
  });

  it('nodeCount keeps the first N rows and records how many there were', () => {
    const t = topTable(fixture, 'space', { nodeCount: 2, nodeFraction: 0 });
    expect(t.rows.map((r) => r.function)).toEqual(['rec', 'inner']);
    expect(t.nodesAfterCutoff).toBe(5);
    expect(t.shownFlat).toBe(1500);
  });

  it('on a real heap profile: sorted rows, sum% running, flat ≤ cum', async () => {
    const t = topTable(await heap());
    expect(t.sampleType.type).toBe('inuse_space');
    for (let i = 1; i < t.rows.length; i++) expect(Math.abs(t.rows[i - 1]!.flat)).toBeGreaterThanOrEqual(Math.abs(t.rows[i]!.flat));
    for (const r of t.rows) expect(r.flat).toBeLessThanOrEqual(r.cum);
    expect(row(t, 'main.newBuf')?.inline).toBe('inline');
    expect(row(t, 'runtime.main')!.cum).toBeLessThanOrEqual(t.total);
  });
});

describe('drop_frames / keep_frames (pprof profile/prune.go)', () => {
  it('removes the matching frame and everything beneath it, unless kept', () => {
    const p = decodeProfile(encodeFixtureProfile({
      sampleTypes: [['x', 'count']],
      dropFrames: 'malloc|new.*',
      keepFrames: 'newKeep',
      samples: [
        { stack: ['memset', 'malloc', 'user', 'main'], values: [10] },
        { stack: ['newKeep', 'user', 'main'], values: [5] },
        { stack: ['malloc', 'main'], values: [3] },
      ],
    }));
    const t = topTable(p, undefined, { nodeFraction: 0 });
    expect(row(t, 'memset')).toBeUndefined();
    expect(row(t, 'malloc')).toBeUndefined();
    expect(row(t, 'user')).toMatchObject({ flat: 10, cum: 15 });
    expect(row(t, 'newKeep')).toMatchObject({ flat: 5 });
    expect(row(t, 'main')).toMatchObject({ flat: 3, cum: 18 });
  });

  it('simplifyFunc trims argument lists but not reserved names', () => {
    expect(simplifyFunc('foo(int)')).toBe('foo');
    expect(simplifyFunc('.foo')).toBe('foo');
    expect(simplifyFunc('(anonymous namespace)::f(int)')).toBe('(anonymous namespace)::f');
  });
});

describe('pprof number formatting (internal/measurement)', () => {
  it('%.2f rounds exact ties to even like Go', () => {
    expect(goFixed2(1.125)).toBe('1.12');
    expect(goFixed2(1.375)).toBe('1.38');
    expect(goFixed2(0.625)).toBe('0.62');
    expect(goFixed2(2.675)).toBe((2.675).toFixed(2)); // not an exact tie in binary
    expect(goFixed2(-1.125)).toBe('-1.12');
  });

  it('scales bytes and time', () => {
    expect(scaledLabel(1536, 'bytes', 'minimum')).toBe('1.50kB');
    expect(scaledLabel(1048576, 'bytes', 'auto')).toBe('1MB');
    expect(scaledLabel(33827885, 'bytes', 'B')).toBe('33827885B');
    expect(scaledLabel(30060000000, 'nanoseconds', 'auto')).toBe('30.06s');
    expect(scaledLabel(0, 'bytes', 'MB')).toBe('0');
    expect(scaleValue(42, 'count', 'count')).toEqual([42, '']);
  });

  it('percentages', () => {
    expect(formatPercentage(1, 1)).toBe('  100%');
    expect(formatPercentage(5799, 10000)).toBe('57.99%');
    expect(formatPercentage(37, 10000)).toBe(' 0.37%');
    expect(formatPercentage(0, 10)).toBe('    0%');
    expect(formatPercentage(12, 100_000_000)).toBe('1.2e-05%');
    expect(formatPercentage(5, 1000)).toBe('  0.5%');
    expect(formatPercentage(12345, 1_000_000_000)).toBe('0.0012%');
  });

  it('formatTopText prints the pprof -top layout', async () => {
    const p = await heap();
    const text = formatTopText(p, topTable(p));
    expect(text).toMatch(/^File: heapgen\nType: inuse_space\nTime: .* \(UTC\)\nShowing nodes accounting for /);
    expect(text).toContain('      flat  flat%   sum%        cum   cum%\n');
    expect(text).toMatch(/main\.newBuf \(inline\)\n/);
  });

  it('compareGoStrings orders by code point (UTF-8 byte order)', () => {
    expect(compareGoStrings('a', 'b')).toBeLessThan(0);
    expect(compareGoStrings('\u{1F600}', '\uFFFD')).toBeGreaterThan(0); // JS '<' says the opposite
    expect(compareGoStrings('ab', 'a')).toBeGreaterThan(0);
  });
});
