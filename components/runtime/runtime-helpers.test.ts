import { describe, expect, it } from 'vitest';
import { layoutFlameGraph, hitTestFlame } from '@/lib/analysis/flame-layout';
import { searchFlameGraph } from '@/lib/analysis/flame';
import type { GoroutineGroupRow } from '@/lib/query/runtime';
import { toFlameGraph } from './flame-data';
import { EMPTY_FILTER, groupRows, matchesFilter, minutesText, shortFunction, stateOptions } from './goroutine-rows';
import { captureTicks, sparkline } from './trend-data';
import { formatSampleValue } from './value-format';

const g = (over: Partial<GoroutineGroupRow>): GoroutineGroupRow => ({
  count: 1, state: 'select', minutes: { min: 0, median: 0, max: 0 }, function: 'pkg.f', file: 'f.go', line: 1,
  createdBy: null, lockedToThread: false, idle: false, frames: [{ function: 'pkg.f', file: 'f.go', line: 1 }], ...over,
});

describe('goroutine rows', () => {
  const groups = [
    g({ count: 500, state: 'chan send', minutes: { min: 10, median: 40, max: 90 }, function: 'k8s.io/kubernetes/vendor/k8s.io/apiserver/x.DeleteCollection.func1' }),
    g({ count: 3, idle: true, function: 'net/http.(*conn).serve' }),
    g({ count: 2, idle: true, state: 'IO wait', function: 'internal/poll.wait' }),
  ];
  const idle = { groups: 2, goroutines: 5, byState: [{ state: 'select', goroutines: 3 }, { state: 'IO wait', goroutines: 2 }] };

  it('folds idle groups into one expandable row', () => {
    const rows = groupRows({ groups, idle }, EMPTY_FILTER, false);
    expect(rows.map((r) => r.type)).toEqual(['group', 'idle']);
    expect(groupRows({ groups, idle }, EMPTY_FILTER, true).map((r) => r.type)).toEqual(['group', 'idle', 'group', 'group']);
  });

  it('filters by text, state and minutes, unfolding matches', () => {
    expect(groupRows({ groups, idle }, { ...EMPTY_FILTER, text: 'conn' }, false)).toHaveLength(1);
    expect(groupRows({ groups, idle }, { ...EMPTY_FILTER, state: 'IO wait' }, false)).toMatchObject([{ type: 'group', index: 2 }]);
    expect(matchesFilter(groups[0]!, { ...EMPTY_FILTER, minMinutes: 60 })).toBe(true);
    expect(matchesFilter(groups[0]!, { ...EMPTY_FILTER, minMinutes: 91 })).toBe(false);
  });

  it('lists states by goroutines and shortens vendor paths', () => {
    expect(stateOptions(groups)[0]).toEqual({ state: 'chan send', count: 500 });
    expect(shortFunction(groups[0]!.function)).toBe('k8s.io/apiserver/x.DeleteCollection.func1');
    expect(minutesText({ min: 10, max: 90 }, 'chan send')).toBe('10–90');
    expect(minutesText({ min: 0, max: 0 }, null)).toBe('—');
  });
});

describe('flame data', () => {
  // root(10) → a(6) → c(4); root → b(3); root self 1.
  const compact = { strings: ['root', 'a', 'b', 'c'], names: [0, 1, 3, 2], parent: [-1, 0, 1, 0], self: [1, 2, 4, 3], total: [10, 6, 4, 3], merged: 0 };
  it('rebuilds a FlameGraph the layout and search functions accept', () => {
    const fg = toFlameGraph(compact, { type: 'inuse_space', unit: 'bytes' });
    expect(Array.from(fg.end)).toEqual([4, 3, 3, 4]);
    expect(Array.from(fg.depth)).toEqual([0, 1, 2, 1]);
    expect(fg.maxDepth).toBe(2);
    const layout = layoutFlameGraph(fg, { width: 100 });
    expect(layout.count).toBe(4);
    expect(hitTestFlame(layout, 75, 18 + 2, 18)).toBe(3); // b sits right of a
    expect(searchFlameGraph(fg, 'c').matchCount).toBe(1);
  });
  it('rejects arrays not in pre-order', () => {
    expect(() => toFlameGraph({ ...compact, parent: [-1, 2, 0, 0] }, { type: 't', unit: 'count' })).toThrow(/pre-order/);
  });
});

describe('trend and formats', () => {
  it('draws a sparkline with gaps and marks captures in range', () => {
    const s = sparkline([[0, 10], [50, null], [100, 20]], 0, 100, 200, 50);
    expect(s.path.match(/M/g)).toHaveLength(2);
    expect(s.max).toBe(20);
    expect(s.last).toBe(20);
    expect(captureTicks([{ id: 1, t: 50, kind: 'heap' }, { id: 2, t: 500, kind: 'heap' }], 0, 100, 200)).toEqual([{ id: 1, t: 50, kind: 'heap', x: 100 }]);
  });
  it('formats sample values by unit', () => {
    expect(formatSampleValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatSampleValue(-2048, 'bytes')).toBe('-2 KiB');
  });
});

describe('url state', async () => {
  const { readSelection, selectionSearch } = await import('./url-state');
  const caps = [
    { id: 5, kind: 'heap', artifactKind: 'heap', component: 'kube-apiserver', t: 5, size: 1, source: 'upload' },
    { id: 4, kind: 'goroutine', artifactKind: 'goroutine-debug2', component: 'kube-apiserver', t: 4, size: 1, source: 'upload' },
    { id: 3, kind: 'goroutine', artifactKind: 'goroutine-debug2', component: 'kube-apiserver', t: 3, size: 1, source: 'upload' },
  ] as const;
  it('defaults to the newest capture per kind and keeps valid ids', () => {
    const get = (m: Record<string, string>) => (k: string) => m[k];
    expect(readSelection(get({}), [...caps])).toEqual({ goroutine: 4, heap: 5, compare: null });
    expect(readSelection(get({ g: '3', base: '4', si: 'alloc_space' }), [...caps])).toEqual({ goroutine: 3, heap: 5, compare: 4, sampleIndex: 'alloc_space' });
    expect(readSelection(get({ g: '99', base: 'x', si: 'a b' }), [...caps])).toEqual({ goroutine: 4, heap: 5, compare: null });
    expect(selectionSearch({ goroutine: 3, heap: null, compare: 4, sampleIndex: 'inuse_space' })).toBe('g=3&base=4&si=inuse_space');
  });
  it('prefers the apiserver\'s newest capture over a newer one of etcd', () => {
    const withEtcd = [{ id: 6, kind: 'goroutine', artifactKind: 'goroutine-debug2', component: 'etcd', t: 6, size: 1, source: 'bundle' } as const, ...caps];
    expect(readSelection(() => undefined, [...withEtcd]).goroutine).toBe(4);
    expect(readSelection(() => undefined, [withEtcd[0]!]).goroutine).toBe(6);
  });
});

describe('upload kind guess', async () => {
  const { guessCaptureKind } = await import('@/lib/query/runtime');
  it('gzip and binary are heap profiles, text is a goroutine dump', async () => {
    expect(await guessCaptureKind(new Blob([new Uint8Array([0x1f, 0x8b, 8, 0])]))).toBe('heap');
    expect(await guessCaptureKind(new Blob([new Uint8Array([0x0a, 0x04, 0x08, 0x01, 0x10, 0x02])]))).toBe('heap');
    expect(await guessCaptureKind(new Blob(['goroutine 1 [running]:\nmain.main()\n']))).toBe('goroutine');
    expect(await guessCaptureKind(new Blob(['hello, not a dump\n']))).toBe('goroutine');
  });
});

describe('trend domain', async () => {
  const { dataDomain } = await import('./trend-data');
  it('starts at the first sample when the data begins late', () => {
    expect(dataDomain([{ points: [[500, null], [800, 1]] }], 0, 1000).from).toBeCloseTo(796);
    expect(dataDomain([{ points: [] }], 0, 1000)).toEqual({ from: -20, to: 1000 });
  });
});
