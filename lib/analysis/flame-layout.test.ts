import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile, parseProfile } from '../parse/pprof';
import { encodeFixtureProfile } from '../parse/pprof-fixture';
import { buildFlameGraph, nodeName } from './flame';
import { type FlameLayout, flameRectAt, hitTestFlame, layoutFlameGraph } from './flame-layout';

const rects = (l: FlameLayout) => Array.from({ length: l.count }, (_, i) => flameRectAt(l, i));

describe('layoutFlameGraph', () => {
  const g = buildFlameGraph(decodeProfile(encodeFixtureProfile({
    sampleTypes: [['space', 'bytes']],
    samples: [
      { stack: ['a', 'main'], values: [600] },
      { stack: ['b', 'main'], values: [300] },
      { stack: ['c', 'b', 'main'], values: [99] },
      { stack: ['d', 'main'], values: [1] },
    ],
  })));

  it('lays children left to right inside their parent, proportional to total', () => {
    const l = layoutFlameGraph(g, { width: 1000 });
    const byName = new Map(rects(l).map((r) => [nodeName(g, r.nodeIndex), r]));
    expect(byName.get('root')).toMatchObject({ x: 0, width: 1000, depth: 0 });
    expect(byName.get('main')).toMatchObject({ x: 0, width: 1000, depth: 1 });
    expect(byName.get('a')).toMatchObject({ x: 0, width: 600, depth: 2 });
    expect(byName.get('b')).toMatchObject({ x: 600, width: 399, depth: 2 });
    expect(byName.get('c')).toMatchObject({ x: 600, width: 99, depth: 3 });
    expect(byName.get('d')).toMatchObject({ x: 999, width: 1, depth: 2 });
    expect(l.ancestorCount).toBe(0);
  });

  it('skips nodes narrower than minWidthPx, with their subtrees', () => {
    const l = layoutFlameGraph(g, { width: 100, minWidthPx: 1 }); // d = 0.1px, c = 9.9px
    expect(rects(l).map((r) => nodeName(g, r.nodeIndex))).toEqual(['root', 'main', 'a', 'b', 'c']);
    expect(l.skipped).toBe(1);
  });

  it('zooms: the zoom node fills the width, ancestors become full-width context rows', () => {
    const b = rects(layoutFlameGraph(g, { width: 1000 })).find((r) => nodeName(g, r.nodeIndex) === 'b')!;
    const l = layoutFlameGraph(g, { width: 1000, zoomNode: b.nodeIndex });
    expect(l.ancestorCount).toBe(2);
    const rs = rects(l);
    expect(rs.slice(0, 2).map((r) => [nodeName(g, r.nodeIndex), r.width])).toEqual([['root', 1000], ['main', 1000]]);
    expect(rs[2]).toMatchObject({ x: 0, width: 1000, depth: 2 });
    expect(rs[3]!.width).toBeCloseTo(1000 * 99 / 399);
    expect(hitTestFlame(l, 10, 3 * 16 + 2, 16)).toBe(rs[3]!.nodeIndex);
    expect(hitTestFlame(l, 999, 3 * 16 + 2, 16)).toBe(-1);
  });

  it('respects maxDepth', () => {
    expect(rects(layoutFlameGraph(g, { width: 1000, maxDepth: 1 })).map((r) => r.depth)).toEqual([0, 1]);
  });

  it('stays cheap on a 100k+ node tree: bounded by what is visible', async () => {
    const p = await parseProfile(new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../testdata/pprof/go1.19/heap-wide.pb.gz'))));
    const big = buildFlameGraph(p, 'alloc_space');
    expect(big.count).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const l = layoutFlameGraph(big, { width: 1920 });
    const ms = performance.now() - t0;
    expect(l.count).toBeLessThan(20_000);
    expect(l.skipped).toBeGreaterThan(0);
    for (let i = 0; i < l.count; i++) expect(l.width[i]!).toBeGreaterThanOrEqual(0.5);
    expect(ms).toBeLessThan(200);
  });
});
