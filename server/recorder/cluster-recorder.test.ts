import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterError, type ClusterSource, type RawScrape } from '../cluster/types';
import { createIngest } from '../runtime';
import { Store } from '../store/store';
import { Backoff } from './backoff';
import { ClusterRecorder } from './cluster-recorder';

const REAL_SCRAPE = fs.readFileSync(path.join(__dirname, '../../testdata/metrics/kube-apiserver/v1.20.2/2026-11-23T01:53:25Z.prom'), 'utf8');

/** A source whose apiserver can be switched off; counts every upstream call. */
function fakeSource(clock: () => number = Date.now) {
  const calls: string[] = [];
  let up = true;
  const fail = (what: string) => { throw new ClusterError('fake', 'unreachable', `${what}: ECONNREFUSED`); };
  const src = {
    id: 'fake', kind: 'live',
    describe: () => ({ id: 'fake', name: 'fake', kind: 'live', server: 'https://127.0.0.1:1', components: ['kube-apiserver'], notes: [] }),
    metrics: async (): Promise<RawScrape> => { calls.push('metrics'); if (!up) fail('metrics'); return { component: 'kube-apiserver', at: clock(), text: REAL_SCRAPE, origin: '/metrics' }; },
    health: async () => { calls.push('readyz'); if (!up) fail('readyz'); return { endpoint: 'readyz', at: clock(), ok: true, httpStatus: 200, checks: [], raw: 'readyz check passed' }; },
    version: async () => { calls.push('version'); return { gitVersion: 'v1.20.2', major: '1', minor: '20' }; },
    kubernetesEndpoints: async () => { calls.push('endpoints'); return { name: 'kubernetes', namespace: 'default', addresses: ['192.0.2.10'], ports: [6443] }; },
    nodes: async () => { calls.push('nodes'); return []; },
    nodeLeases: async () => { calls.push('leases'); return []; },
    census: async () => { calls.push('census'); return { at: Date.now(), entries: [], durationMs: 1 }; },
    close: async () => undefined,
  } as unknown as ClusterSource;
  return { src, calls, setUp: (v: boolean) => { up = v; } };
}

describe('Backoff', () => {
  it('doubles the step up to the cap, jittered into [d/2, d], and resets on success', () => {
    const b = new Backoff(1000, 8000, () => 1);
    expect([b.failure(0), b.failure(0), b.failure(0), b.failure(0), b.failure(0)]).toEqual([1000, 2000, 4000, 8000, 8000]);
    const low = new Backoff(1000, 8000, () => 0);
    expect([low.failure(0), low.failure(0)]).toEqual([500, 1000]);
    b.success();
    expect(b.isOpen).toBe(false);
    expect(b.failure(100)).toBe(1000);
    expect(b.nextAttemptAt).toBe(1100);
  });
});

describe('ClusterRecorder', () => {
  it('records a tick: one call per endpoint, the scrape committed, freshness ok', async () => {
    const store = Store.memory();
    const f = fakeSource();
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 1000 });
    await r.tick();
    expect(f.calls.sort()).toEqual(['census', 'endpoints', 'leases', 'metrics', 'nodes', 'readyz', 'version']);
    expect(store.series.latest('fake', 'go_goroutines')).toHaveLength(1);
    expect(store.freshness('fake')[0]).toMatchObject({ component: 'kube-apiserver', ok: true });
  });

  it('when the apiserver dies: records staleness, sends one probe per backoff step, recovers by itself', async () => {
    const store = Store.memory();
    let now = Date.parse('2026-11-23T03:00:00Z');
    const f = fakeSource(() => now);
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 1000, maxBackoffMs: 8000, now: () => now });
    await r.tick();
    now += 1000;
    f.setUp(false);
    f.calls.length = 0;
    // Three failed ticks: each makes exactly one upstream call (the /metrics probe), nothing else.
    for (let i = 0; i < 3; i++) { await r.tick(); now += 5000; }
    expect(f.calls).toEqual(['metrics', 'metrics', 'metrics']);
    expect(r.status().backoff).toMatchObject({ open: true, failures: 3 });
    const fresh = store.freshness('fake')[0]!;
    expect(fresh.ok).toBe(false);
    expect(fresh.lastError).toMatch(/ECONNREFUSED/);
    expect(fresh.lastOk).toBeLessThan(fresh.lastAttempt);
    // Back up: the next probe succeeds, the breaker closes, the full tick resumes.
    f.setUp(true);
    f.calls.length = 0;
    now += 1000;
    await r.tick();
    expect(r.status().backoff.open).toBe(false);
    expect(f.calls).toContain('readyz');
    expect(store.freshness('fake')[0]!.ok).toBe(true);
  });

  it('a hung side read neither holds up /metrics nor doubles up, and is aborted when the breaker opens', async () => {
    const store = Store.memory();
    const f = fakeSource();
    let censusCalls = 0;
    let censusAborted = false;
    (f.src as { census: ClusterSource['census'] }).census = (o) => new Promise((_, reject) => {
      censusCalls++;
      o?.signal?.addEventListener('abort', () => { censusAborted = true; reject(new ClusterError('fake', 'timeout', 'census aborted')); }, { once: true });
    });
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 40, censusEveryMs: 0, maxBackoffMs: 200 });
    r.start();
    try {
      // With the census hung, /metrics keeps its cadence (each tick parses a real 1.20 scrape: slow
      // on a busy machine, hence a deadline rather than a count per window).
      const metrics = () => f.calls.filter((c) => c === 'metrics').length;
      for (const deadline = Date.now() + 10_000; metrics() < 4 && Date.now() < deadline;) await new Promise((res) => setTimeout(res, 20));
      expect(metrics()).toBeGreaterThanOrEqual(4);
      expect(censusCalls).toBe(1);
      f.setUp(false);
      await new Promise((res) => setTimeout(res, 300));
      expect(censusAborted).toBe(true);
      expect(r.status().backoff.open).toBe(true);
    } finally { await r.stop(); }
  });

  it('lists the pods of down nodes only, with the taint each will get, and stores them for the detectors', async () => {
    const store = Store.memory();
    const now = Date.now();
    const f = fakeSource();
    let nodes: Array<{ name: string; ready: string; lastHeartbeat: string; taints: Array<{ key: string; effect: string }> }> = [
      { name: 'ok', ready: 'True', lastHeartbeat: new Date(now).toISOString(), taints: [] },
      { name: 'quiet', ready: 'True', lastHeartbeat: new Date(now - 10_000).toISOString(), taints: [] },
    ];
    const asked: unknown[] = [];
    Object.assign(f.src, {
      nodes: async () => nodes,
      podTolerations: async (down: Array<{ name: string }>) => { asked.push(down); return { nodes: down.map((d) => d.name), pods: [{ namespace: 'app', name: 'web', node: down[0]!.name, tolerationSeconds: 300 }], skipped: 0 }; },
    });
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 1000, now: () => now });
    await r.tick();
    expect(asked).toEqual([]); // healthy: no pod is ever listed
    nodes = [
      { name: 'ok', ready: 'True', lastHeartbeat: new Date(now).toISOString(), taints: [] },
      { name: 'silent', ready: 'True', lastHeartbeat: new Date(now - 60_000).toISOString(), taints: [] },
      { name: 'sick', ready: 'False', lastHeartbeat: new Date(now).toISOString(), taints: [] },
      { name: 'gone', ready: 'Unknown', lastHeartbeat: new Date(now - 90_000).toISOString(), taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
    ];
    const r2 = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 1000, now: () => now + 1 });
    await r2.tick();
    expect(asked).toEqual([[
      { name: 'silent', taint: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' } },
      { name: 'sick', taint: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' } },
      { name: 'gone', taint: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' } },
    ]]);
    expect(store.snapshots('fake', 'pods', 0, now + 10)[0]!.body).toMatchObject({ nodes: ['silent', 'sick', 'gone'], pods: [{ name: 'web', tolerationSeconds: 300 }] });
    // A longer grace period (configured): 60 s of silence is not down yet.
    asked.length = 0;
    const r3 = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: 1000, now: () => now + 2, nodeLifecycle: { gracePeriodMs: 120_000 } });
    await r3.tick();
    expect((asked[0] as Array<{ name: string }>).map((d) => d.name)).toEqual(['sick', 'gone']);
    store.close();
  });
});
