import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Profile, decodeProfile, parseProfile } from '../parse/pprof';
import { encodeFixtureProfile } from '../parse/pprof-fixture';
import { type FlameGraph, buildFlameGraph, flameAncestors, flameChildren, flameNode, focusFrame, focusSubtree, nodeName, searchFlameGraph } from './flame';
import { topTable } from './profile';
import { compareGoStrings } from './profile-graph';

const root = path.resolve(__dirname, '../..');
const load = (rel: string) => parseProfile(new Uint8Array(fs.readFileSync(path.join(root, rel))));

/** Structural invariants of the pre-order array form (plain checks: trees have 100k+ nodes). */
function checkTree(g: FlameGraph): void {
  const bad: string[] = [];
  if (g.parent[0] !== -1 || g.end[0] !== g.count) bad.push('root');
  let maxDepth = 0;
  for (let i = 1; i < g.count && bad.length < 5; i++) {
    const p = g.parent[i]!;
    if (!(p < i) || g.depth[i] !== g.depth[p]! + 1 || !(i < g.end[p]!) || g.end[i]! > g.end[p]!) bad.push(`node ${i}: parent/depth/end`);
    maxDepth = Math.max(maxDepth, g.depth[i]!);
  }
  if (g.maxDepth !== maxDepth) bad.push('maxDepth');
  for (let i = 0; i < g.count && bad.length < 5; i++) {
    const kids = flameChildren(g, i);
    const sum = kids.reduce((s, c) => s + g.total[c]!, g.self[i]!);
    if (Math.abs(sum - g.total[i]!) > 1e-6 * Math.abs(g.total[i]!) + 1e-9) bad.push(`node ${i}: total ${g.total[i]} != self + children ${sum}`);
    for (let k = 1; k < kids.length; k++) {
      if (compareGoStrings(nodeName(g, kids[k - 1]!), nodeName(g, kids[k]!)) >= 0) bad.push(`node ${i}: children not sorted by name`);
    }
  }
  expect(bad).toEqual([]);
}

describe('buildFlameGraph on a fixture', () => {
  const p = decodeProfile(encodeFixtureProfile({
    sampleTypes: [['space', 'bytes']],
    samples: [
      { stack: ['rec', 'rec', 'main'], values: [10] },
      { stack: [['inner', 'outer'], 'main'], values: [5] },
      { stack: ['outer', 'main'], values: [3] },
      { stack: ['zero', 'main'], values: [0] },
    ],
  }));
  const g = buildFlameGraph(p);

  it('merges stacks root → leaf, inline frames as their own nodes, zero samples dropped', () => {
    checkTree(g);
    const paths = Array.from({ length: g.count }, (_, i) => flameAncestors(g, i).map((n) => nodeName(g, n)).join(';'));
    expect(paths).toEqual(['root', 'root;main', 'root;main;outer', 'root;main;outer;inner', 'root;main;rec', 'root;main;rec;rec']);
    expect(Array.from(g.total)).toEqual([18, 18, 8, 5, 10, 10]);
    expect(Array.from(g.self)).toEqual([0, 0, 3, 5, 0, 10]);
    expect(flameNode(g, 1)).toEqual({ index: 1, name: 'main', self: 0, total: 18, depth: 1, parent: 0, children: [2, 4] });
  });

  it('search marks matches and sums outermost matches once', () => {
    const s = searchFlameGraph(g, 'REC');
    expect(s.matchCount).toBe(2);
    expect(s.matchedTotal).toBe(10);
    expect(searchFlameGraph(g, /^(inner|outer)$/).matchedTotal).toBe(8);
    expect(searchFlameGraph(g, '').matchCount).toBe(0);
  });

  it('focusSubtree re-roots a subtree', () => {
    const f = focusSubtree(g, 4); // root;main;rec
    checkTree(f);
    expect(f.count).toBe(2);
    expect(nodeName(f, 0)).toBe('rec');
    expect(f.total[0]).toBe(10);
    expect(() => focusSubtree(g, 99)).toThrow(RangeError);
  });

  it('focusFrame merges every outermost occurrence of a function', () => {
    const f = focusFrame(g, 'outer')!;
    checkTree(f);
    expect(nodeName(f, 0)).toBe('outer');
    expect(f.total[0]).toBe(8);
    expect(focusFrame(g, 'nope')).toBeUndefined();
  });
});

describe('buildFlameGraph on real profiles agrees with topTable', () => {
  let heap: Profile;
  let wide: Profile;
  let apiserver: Profile;
  beforeAll(async () => {
    [heap, wide, apiserver] = await Promise.all([
      load('testdata/pprof/go1.19/heap.pb.gz'),
      load('testdata/pprof/go1.19/heap-wide.pb.gz'),
      load('testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz'),
    ]);
  });

  it.each(['heap', 'apiserver'])('%s: Σself per frame = pprof flat; focusFrame total = pprof cum', (which) => {
    const p = which === 'heap' ? heap : apiserver;
    for (const type of ['inuse_space', 'alloc_objects']) {
      const g = buildFlameGraph(p, type);
      checkTree(g);
      const t = topTable(p, type, { nodeFraction: 0 });
      expect(g.total[0]).toBe(t.total); // heap values are non-negative
      const selfByName = new Map<string, number>();
      for (let i = 1; i < g.count; i++) selfByName.set(nodeName(g, i), (selfByName.get(nodeName(g, i)) ?? 0) + g.self[i]!);
      for (const r of t.rows) {
        expect(selfByName.get(r.function) ?? 0, r.function).toBe(r.flat);
        expect(focusFrame(g, r.function)?.total[0], r.function).toBe(r.cum);
      }
    }
  });

  it('handles a 100k+ node tree (heap-wide: 2^17 distinct stacks)', () => {
    const t0 = performance.now();
    const g = buildFlameGraph(wide, 'alloc_space');
    const ms = performance.now() - t0;
    expect(g.count).toBeGreaterThan(100_000);
    checkTree(g);
    const s = searchFlameGraph(g, 'main.wideLeft');
    expect(s.matchCount).toBeGreaterThan(10_000);
    expect(s.matchedTotal).toBeLessThanOrEqual(g.total[0]!);
    expect(ms).toBeLessThan(5_000);
  });
});
