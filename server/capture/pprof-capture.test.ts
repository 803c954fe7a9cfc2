import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../api/handler';
import type { ClusterSource } from '../cluster/types';
import type { ClusterEntry } from '../runtime';
import { Store } from '../store/store';
import { listCaptures, PprofCaptures, RateLimited } from './pprof-capture';

const root = path.resolve(import.meta.dirname, '../..');
const DUMP = fs.readFileSync(path.join(root, 'testdata/goroutines/kube-apiserver/v1.20.2/idle-debug2.txt'));
const DUMP1 = fs.readFileSync(path.join(root, 'testdata/goroutines/kube-apiserver/v1.20.2/idle-debug1.txt'));
const HEAP = fs.readFileSync(path.join(root, 'testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz'));

function setup(components: string[] = ['kube-apiserver']) {
  const store = Store.memory();
  store.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
  let clock = 1_000_000;
  const calls = { goroutines: 0, heap: 0 };
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => { release = r; });
  const source = {
    id: 'c', kind: 'live',
    describe: () => ({ id: 'c', name: 'c', kind: 'live', server: '', components, notes: [] }),
    goroutines: async (_c: string, debug: number) => { calls.goroutines++; expect(debug).toBe(2); await gate; return DUMP.toString('utf8'); },
    heapProfile: async () => { calls.heap++; return new Uint8Array(HEAP); },
  } as unknown as ClusterSource;
  const live: ClusterEntry = { id: 'c', name: 'c', kind: 'live', source };
  const bundle: ClusterEntry = { id: 'c', name: 'b', kind: 'bundle' };
  const caps = new PprofCaptures(store, { now: () => clock });
  return { store, caps, live, bundle, calls, release, tick: (ms: number) => { clock += ms; } };
}

describe('PprofCaptures', () => {
  it('shares one upstream call between concurrent requests, then rate-limits', async () => {
    const s = setup();
    const a = s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver');
    const b = s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver');
    s.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(s.calls.goroutines).toBe(1);
    expect(ra).toEqual(rb);
    expect(ra).toMatchObject({ kind: 'goroutine', artifactKind: 'goroutine-debug2', source: 'on-demand', component: 'kube-apiserver' });
    expect(ra.total).toBeGreaterThan(100);

    s.tick(4_000);
    let err: unknown;
    try { s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).status).toBe(429);
    expect((err as RateLimited).retryAfterSeconds).toBe(6);
    // Another kind has its own budget.
    await expect(s.caps.captureNow(s.live, 'heap', 'kube-apiserver')).resolves.toMatchObject({ kind: 'heap', sampleTypes: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'] });
    s.tick(6_000);
    await expect(s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver')).resolves.toMatchObject({ kind: 'goroutine' });
    expect(listCaptures(s.store, 'c').map((c) => c.kind).sort()).toEqual(['goroutine', 'goroutine', 'heap']);
  });

  it('each component has its own budget: etcd right after the apiserver, then etcd is limited', async () => {
    const s = setup(['kube-apiserver', 'etcd']);
    s.release();
    await expect(s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver')).resolves.toMatchObject({ component: 'kube-apiserver' });
    await expect(s.caps.captureNow(s.live, 'goroutine', 'etcd')).resolves.toMatchObject({ component: 'etcd' });
    expect(s.calls.goroutines).toBe(2);
    s.tick(1_000);
    let err: unknown;
    try { s.caps.captureNow(s.live, 'goroutine', 'etcd'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).message).toMatch(/goroutine dump of etcd on c was captured moments ago.*struggling etcd\)$/);
    try { s.caps.captureNow(s.live, 'goroutine', 'kube-apiserver'); } catch (e) { err = e; }
    expect((err as RateLimited).message).toMatch(/of the apiserver on c .*struggling apiserver\)$/);
  });

  it('refuses bundles with 409 and unknown components with 400', () => {
    const s = setup();
    expect(() => s.caps.captureNow(s.bundle, 'heap', 'kube-apiserver')).toThrow(/read-only bundle/);
    try { s.caps.captureNow(s.bundle, 'heap', 'kube-apiserver'); } catch (e) { expect((e as HttpError).status).toBe(409); }
    try { s.caps.captureNow(s.live, 'heap', 'etcd'); } catch (e) { expect((e as HttpError).status).toBe(400); }
  });

  it('validates uploads by parsing them', async () => {
    const s = setup();
    await expect(s.caps.upload(s.bundle, 'goroutine', 'kube-apiserver', DUMP, 'idle.txt')).resolves.toMatchObject({ artifactKind: 'goroutine-debug2', source: 'upload', fileName: 'idle.txt' });
    await expect(s.caps.upload(s.bundle, 'goroutine', 'kube-apiserver', DUMP1)).resolves.toMatchObject({ artifactKind: 'goroutine-debug1' });
    await expect(s.caps.upload(s.bundle, 'heap', 'kube-apiserver', HEAP)).resolves.toMatchObject({ artifactKind: 'heap' });
    await expect(s.caps.upload(s.bundle, 'goroutine', 'kube-apiserver', new TextEncoder().encode('hello world\n'))).rejects.toMatchObject({ status: 400, message: /not a goroutine dump/ });
    await expect(s.caps.upload(s.bundle, 'heap', 'kube-apiserver', new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).rejects.toMatchObject({ status: 400, message: /not a readable heap profile/ });
    await expect(s.caps.upload(s.bundle, 'heap', 'kube-apiserver', DUMP)).rejects.toMatchObject({ status: 400 });
  });
});
