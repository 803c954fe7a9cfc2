import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFlameGraph } from '@/lib/analysis/flame';
import { HttpError } from '../api/handler';
import { PprofCaptures } from '../capture/pprof-capture';
import type { ClusterEntry, Runtime } from '../runtime';
import { Store } from '../store/store';
import { captureAnalysis, captureDiff, captureIdOf, captureRaw, capturesList } from './runtime';
import { compactFlame } from './runtime-heap';
import { readHeapProfile } from '../capture/pprof-capture';

const root = path.resolve(import.meta.dirname, '../..');
const DUMP = fs.readFileSync(path.join(root, 'testdata/goroutines/kube-apiserver/v1.20.2/idle-debug2.txt'));
const DUMP1 = fs.readFileSync(path.join(root, 'testdata/goroutines/kube-apiserver/v1.20.2/idle-debug1.txt'));
const HEAP = fs.readFileSync(path.join(root, 'testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz'));

async function seeded() {
  const store = Store.memory();
  store.upsertCluster({ id: 'b', name: 'b', kind: 'bundle', server: '' });
  const rt = { store, clusters: new Map() } as unknown as Runtime;
  const entry: ClusterEntry = { id: 'b', name: 'b', kind: 'bundle' };
  const caps = new PprofCaptures(store);
  const g2 = await caps.upload(entry, 'goroutine', 'kube-apiserver', DUMP);
  const g1 = await caps.upload(entry, 'goroutine', 'kube-apiserver', DUMP1);
  const h = await caps.upload(entry, 'heap', 'kube-apiserver', HEAP);
  return { rt, entry, g2, g1, h };
}

describe('runtime views', () => {
  it('lists captures and says why a bundle cannot capture', async () => {
    const { rt, entry } = await seeded();
    const l = capturesList(rt, entry);
    expect(l.canCapture).toBe(false);
    expect(l.reason).toMatch(/read-only/);
    expect(l.captures).toHaveLength(3);
  });

  it('analyses a goroutine dump in the CLI JSON shape', async () => {
    const { rt, entry, g2 } = await seeded();
    const a = await captureAnalysis(rt, entry, g2.id);
    if (a.kind !== 'goroutine') throw new Error('kind');
    expect(a.total).toBe(g2.total);
    expect(a.groups.length).toBeGreaterThan(0);
    expect(a.groups.length).toBeLessThanOrEqual(300);
    expect(a.groups[0]!.count).toBeGreaterThanOrEqual(a.groups[a.groups.length - 1]!.count);
    expect(a.groups[0]).toHaveProperty('minutes.median');
    expect(a.idle.goroutines).toBeGreaterThan(0);
    // Same object from the cache the second time round (parsed once).
    expect((await captureAnalysis(rt, entry, g2.id)).total).toBe(a.total);
  });

  it('analyses a heap profile with a sample type and a compact flame graph', async () => {
    const { rt, entry, h } = await seeded();
    const a = await captureAnalysis(rt, entry, h.id, 'alloc_space');
    if (a.kind !== 'heap') throw new Error('kind');
    expect(a.sampleIndex).toBe('alloc_space');
    expect(a.top.length).toBeGreaterThan(0);
    expect(a.top.length).toBeLessThanOrEqual(200);
    expect(a.flame.total[0]).toBe(a.total);
    await expect(captureAnalysis(rt, entry, h.id, 'nope')).rejects.toMatchObject({ status: 400 });
  });

  it('diffs captures of one kind and refuses mixed kinds', async () => {
    const { rt, entry, g2, g1, h } = await seeded();
    const d = await captureDiff(rt, entry, g1.id, g2.id);
    expect(d).toMatchObject({ kind: 'goroutine', totalBefore: g1.total, totalAfter: g2.total });
    const hd = await captureDiff(rt, entry, h.id, h.id);
    expect(hd).toMatchObject({ kind: 'heap', totalDelta: 0 });
    await expect(captureDiff(rt, entry, g1.id, h.id)).rejects.toBeInstanceOf(HttpError);
  });

  it('downloads the original bytes with a file name', async () => {
    const { rt, entry, h } = await seeded();
    const res = captureRaw(rt, entry, h.id);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="b-kube-apiserver-heap-.*\.pb\.gz"/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(HEAP));
    expect(() => captureRaw(rt, entry, 999)).toThrow(/no capture/);
  });

  it('reads the capture id from the path', () => {
    expect(captureIdOf(new Request('http://x/api/clusters/c/captures/12'), 1)).toBe(12);
    expect(captureIdOf(new Request('http://x/api/clusters/c/captures/12/raw'), 2)).toBe(12);
    expect(() => captureIdOf(new Request('http://x/api/clusters/c/captures/abc'), 1)).toThrow(/positive integer/);
  });
});

describe('compactFlame', () => {
  it('keeps the heaviest nodes as a tree and merges the rest into their parents', async () => {
    const g = buildFlameGraph(await readHeapProfile(HEAP), 'alloc_space');
    const full = compactFlame(g);
    expect(full.names).toHaveLength(g.count);
    expect(full.merged).toBe(0);
    const cap = Math.max(10, Math.floor(g.count / 5));
    const c = compactFlame(g, cap);
    expect(c.names.length).toBeLessThanOrEqual(cap);
    expect(c.names.length + c.merged).toBe(g.count);
    // Parents precede children (pre-order) and every node's total = self + Σ children's totals.
    const childSum = new Float64Array(c.names.length);
    for (let i = 1; i < c.names.length; i++) {
      expect(c.parent[i]!).toBeLessThan(i);
      childSum[c.parent[i]!]! += c.total[i]!;
    }
    for (let i = 0; i < c.names.length; i++) expect(c.self[i]! + childSum[i]!).toBeCloseTo(c.total[i]!, 3);
    expect(c.total[0]).toBe(g.total[0]);
  });
});

describe('known issues in the analysis', () => {
  it('reports the DeleteCollection chan-send leak with its link (kubernetes#105606)', async () => {
    const store = Store.memory();
    store.upsertCluster({ id: 'l', name: 'l', kind: 'live', server: '' });
    store.saveSnapshot('l', 'version', 1, { gitVersion: 'v1.20.2', major: '1', minor: '20' });
    const rt = { store, clusters: new Map() } as unknown as Runtime;
    const entry: ClusterEntry = { id: 'l', name: 'l', kind: 'live' };
    let text = '';
    for (let i = 1; i <= 40; i++) {
      text += `goroutine ${i} [chan send, ${10 + i} minutes]:\n`
        + 'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1(0xc000a, 0xc000b)\n'
        + '\t/workspace/src/k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry/store.go:1062 +0x165\n'
        + 'created by k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection\n'
        + '\t/workspace/src/k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry/store.go:1059 +0x2c5\n\n';
    }
    const up = await new PprofCaptures(store).upload(entry, 'goroutine', 'kube-apiserver', new TextEncoder().encode(text));
    const a = await captureAnalysis(rt, entry, up.id);
    if (a.kind !== 'goroutine') throw new Error('kind');
    expect(a.knownIssues).toHaveLength(1);
    expect(a.knownIssues[0]).toMatchObject({ count: 40, version: 'affected', links: ['https://github.com/kubernetes/kubernetes/pull/105606'], groups: [0] });
    expect(a.groups[0]).toMatchObject({ count: 40, state: 'chan send', minutes: { min: 11, max: 50 } });
    expect(a.suspects[0]).toMatchObject({ score: 100, group: 0, minutes: { min: 11, max: 50 } });
  });
});
